// A Windows desk on Linux, for the desk's tests: the user's Run key behind the reg.exe command
// lines (core/desk/autostart-windows.ts runs), and the headers of a console program.
import type { RunCommand } from '../../core/desk/run-command.js'
import { SUBSYSTEM_WINDOWS_CUI } from '../../core/desk/windows-launcher.js'

/** A user's Run key in memory, behind the reg.exe command lines windowsAutostart runs. */
export function fakeRegistry (): { run: RunCommand, calls: string[][], values: Map<string, string> } {
  const values = new Map<string, string>()
  const calls: string[][] = []
  const run: RunCommand = async (file, args) => {
    calls.push([file, ...args])
    const [verb, , , name] = args
    if (file !== 'reg.exe') return { code: 0, stdout: '', stderr: '' }
    if (verb === 'query') {
      const value = values.get(name)
      return value === undefined ? { code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.' } : { code: 0, stdout: `\r\nHKEY_CURRENT_USER\\...\\Run\r\n    ${name}    REG_SZ    ${value}\r\n`, stderr: '' }
    }
    if (verb === 'add') values.set(name, args[7])
    if (verb === 'delete') values.delete(name)
    return { code: 0, stdout: '', stderr: '' }
  }
  return { run, calls, values }
}

/** The headers of a PE32+ console program, as far as the Subsystem field. */
export function consoleImage (): Uint8Array {
  const image = new Uint8Array(512)
  const view = new DataView(image.buffer)
  view.setUint16(0, 0x5a4d, true) // MZ
  view.setUint32(0x3c, 0x80, true) // e_lfanew
  view.setUint32(0x80, 0x00004550, true) // PE\0\0
  view.setUint16(0x80 + 24, 0x20b, true) // PE32+
  view.setUint16(0x80 + 24 + 68, SUBSYSTEM_WINDOWS_CUI, true)
  return image
}
