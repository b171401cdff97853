// A Windows desk on Linux, for the desk's tests: the user's Run key behind the reg.exe command
// lines (core/desk/autostart-windows.ts runs), the user's files in memory (Windows paths such as
// C:\Users\Ana\... name no file on Linux), and the headers of a console program.
import type { DeskFiles } from '../../core/desk/files.js'
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

export interface FakeWindowsDisk {
  files: DeskFiles
  contents: Map<string, Uint8Array>
  /** Paths whose write fails with this code: EBUSY for a program that runs, EPERM for a policy, ENOSPC for a full disk. */
  refused: Map<string, string>
}

/** The user's files in memory, behind DeskFiles; each write that changes a file is noted in `events` as `wrote PATH`. */
export function fakeWindowsDisk (events: string[] = []): FakeWindowsDisk {
  const contents = new Map<string, Uint8Array>()
  const refused = new Map<string, string>()
  const failure = (code: string, path: string): Error => Object.assign(new Error(`${code}: ${path}`), { code })
  const files: DeskFiles = {
    read: async path => contents.get(path) ?? await Promise.reject(failure('ENOENT', path)),
    writeIfDifferent: async (path, bytes) => {
      const existing = contents.get(path)
      if (existing !== undefined && Buffer.compare(existing, bytes) === 0) return false
      const code = refused.get(path)
      if (code !== undefined) throw failure(code, path)
      contents.set(path, Uint8Array.from(bytes))
      events.push(`wrote ${path}`)
      return true
    }
  }
  return { files, contents, refused }
}
