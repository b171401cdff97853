// Keeping a Windows desk's autostart as current as its program. Updates swap causette.exe only
// (core/update/swap/), but the launcher beside it is a copy of the program as `causette install`
// made it, and the Run key holds that version's command line: a desk installed before the launcher
// watched the node would never get the watcher. So a node started from the installed program
// writes both again where they differ, the launcher first, so that the Run key never asks a launcher
// for an option it does not know. Windows refuses to replace a program that runs: an older launcher
// exits once the node answers, so the caller tries again a little later; a watching launcher runs
// all session, and is recent enough.
import { readFile } from 'node:fs/promises'
import { win32 } from 'node:path'
import type { Step } from './autostart-types.js'
import { windowsAutostart } from './autostart-windows.js'
import { writeIfDifferent } from './files.js'
import { autostartCommand } from './install.js'
import { installedExecutablePath, windowsLauncherPath, type DeskEnv } from './locations.js'
import { runCommand, type RunCommand } from './run-command.js'
import { asWindowedProgram } from './windows-launcher.js'

/** The files the refresh reads and writes: the disk, or a test's own. */
export interface DeskFiles {
  read: (path: string) => Promise<Uint8Array>
  writeIfDifferent: (path: string, contents: Uint8Array, mode: number) => Promise<boolean>
}

const DISK: DeskFiles = { read: async path => await readFile(path), writeIfDifferent }

export interface DeskRefreshOptions {
  deskEnv: DeskEnv
  profile: string
  /** The program this node runs from (process.execPath when packaged). */
  executable: string
  run?: RunCommand
  files?: DeskFiles
}

export type DeskRefresh = { steps: Step[] } | { skipped: 'not-installed' | 'autostart-off' | 'launcher-running' }

export async function refreshWindowsDesk ({ deskEnv, profile, executable, run = runCommand, files = DISK }: DeskRefreshOptions): Promise<DeskRefresh> {
  const installed = installedExecutablePath('win32', deskEnv)
  if (win32.resolve(executable).toLowerCase() !== win32.resolve(installed).toLowerCase()) return { skipped: 'not-installed' }
  const autostart = windowsAutostart(run)
  // Turned off by `causette uninstall`: not ours to turn on again.
  if (!(await autostart.state()).enabled) return { skipped: 'autostart-off' }
  const launcher = windowsLauncherPath(deskEnv)
  let launcherChanged: boolean
  try {
    launcherChanged = await files.writeIfDifferent(launcher, asWindowedProgram(await files.read(installed)), 0o755)
  } catch (error) {
    if (['EBUSY', 'EPERM', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) return { skipped: 'launcher-running' }
    throw error
  }
  const key = await autostart.register(autostartCommand('win32', deskEnv, profile), { startNow: false })
  return { steps: [{ changed: launcherChanged, what: `its windowless launcher at ${launcher}` }, ...key] }
}
