// How to run this same program again with other arguments: the executable alone when packaged; Node,
// its flags (--import tsx in a checkout) and the script otherwise.
import { dirname, join } from 'node:path'
import { isPackaged } from '../runtime/build-info.js'

export interface SelfCommand { file: string, args: string[] }

export function selfCommand (args: string[]): SelfCommand {
  if (isPackaged()) return { file: consoleExecutable(process.execPath), args }
  return { file: process.execPath, args: [...process.execArgv, process.argv[1], ...args] }
}

/** The release executable this process runs from (the console one on Windows); null from a source checkout. */
export function packagedProgram (): string | null {
  return isPackaged() ? consoleExecutable(process.execPath) : null
}

/** The Windows launcher (causette-launcher.exe) starts the console program installed beside it. */
function consoleExecutable (executable: string): string {
  return /causette-launcher\.exe$/i.test(executable) ? join(dirname(executable), 'causette.exe') : executable
}
