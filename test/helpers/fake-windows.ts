// A Windows desk on Linux, for the desk's tests: the user's Run key and uninstall key behind the
// reg.exe command lines (core/desk/autostart-windows.ts and apps-entry-windows.ts run), the user's
// files in memory (Windows paths such as C:\Users\Ana\... name no file on Linux) with Windows's rule
// for a program that runs, and the headers of a console program.
import { win32 } from 'node:path'
import type { DeskFiles } from '../../core/desk/files.js'
import { RUN_KEY, UNINSTALL_KEY } from '../../core/desk/locations.js'
import type { RunCommand } from '../../core/desk/run-command.js'
import type { RegValue } from '../../core/desk/windows-uninstall-key.js'
import { SUBSYSTEM_WINDOWS_CUI } from '../../core/desk/windows-launcher.js'

export interface FakeRegistry {
  run: RunCommand
  /** Every command line run, reg.exe's and any other's (answered with success and no output). */
  calls: string[][]
  /** The Run key's values: name to command line. */
  values: Map<string, string>
  /** The uninstall key's values (Settings > Apps); the key is there while it holds one. */
  appsEntry: Map<string, RegValue>
}

const MISSING = { code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.' }

/** The user's Run key and uninstall key in memory, behind the reg.exe command lines causette runs. */
export function fakeRegistry (): FakeRegistry {
  const values = new Map<string, string>()
  const appsEntry = new Map<string, RegValue>()
  const calls: string[][] = []
  const run: RunCommand = async (file, args) => {
    calls.push([file, ...args])
    if (file !== 'reg.exe') return { code: 0, stdout: '', stderr: '' }
    if (args[1] === RUN_KEY) return runKey(values, args)
    if (args[1] === UNINSTALL_KEY) return uninstallKey(appsEntry, args)
    return { code: 1, stdout: '', stderr: `no such key in this test: ${args[1]}` }
  }
  return { run, calls, values, appsEntry }
}

/** `reg add|query|delete RUN_KEY /v NAME ...`, as autostart-windows.ts runs them. */
function runKey (values: Map<string, string>, args: string[]): { code: number, stdout: string, stderr: string } {
  const [verb, , , name] = args
  if (verb === 'query') {
    const value = values.get(name)
    return value === undefined ? MISSING : { code: 0, stdout: `\r\n${RUN_KEY}\r\n    ${name}    REG_SZ    ${value}\r\n\r\n`, stderr: '' }
  }
  if (verb === 'add') values.set(name, args[7])
  if (verb === 'delete') values.delete(name)
  return { code: 0, stdout: '', stderr: '' }
}

/** `reg query KEY`, `reg add KEY /v NAME /t TYPE /d DATA /f`, `reg delete KEY /f`; a DWORD listed in hexadecimal, as reg.exe does. */
function uninstallKey (entry: Map<string, RegValue>, args: string[]): { code: number, stdout: string, stderr: string } {
  const verb = args[0]
  if (verb === 'query') {
    if (entry.size === 0) return MISSING
    const lines = [...entry.values()].map(({ name, type, data }) => `    ${name}    ${type}    ${type === 'REG_DWORD' ? `0x${Number(data).toString(16)}` : data}`)
    return { code: 0, stdout: `\r\n${UNINSTALL_KEY}\r\n${lines.join('\r\n')}\r\n\r\n`, stderr: '' }
  }
  if (verb === 'add') entry.set(args[3], { name: args[3], type: args[5] as RegValue['type'], data: args[7] })
  if (verb === 'delete') {
    if (entry.size === 0) return MISSING
    entry.clear()
  }
  return { code: 0, stdout: '', stderr: '' }
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
  /** Paths whose write (or a rename to them, or a folder's removal) fails with this code: EBUSY for a program that runs or a process's current folder, EPERM for a policy, ENOSPC for a full disk, EXDEV for another drive. */
  refused: Map<string, string>
  /** Programs that run: Windows neither deletes (EPERM) nor replaces (EBUSY) them, but renames them, and they run on under their new name. */
  running: Set<string>
  /** Folders that held a file, until removed empty. */
  folders: Set<string>
}

/** The user's files in memory, behind DeskFiles; each change is noted in `events`: `wrote PATH`, `removed PATH`, `moved PATH to PATH`, `removed folder PATH`. */
export function fakeWindowsDisk (events: string[] = []): FakeWindowsDisk {
  const contents = new Map<string, Uint8Array>()
  const refused = new Map<string, string>()
  const running = new Set<string>()
  const folders = new Set<string>()
  const failure = (code: string, path: string): Error => Object.assign(new Error(`${code}: ${path}`), { code })
  const files: DeskFiles = {
    read: async path => contents.get(path) ?? await Promise.reject(failure('ENOENT', path)),
    writeIfDifferent: async (path, bytes) => {
      const existing = contents.get(path)
      if (existing !== undefined && Buffer.compare(existing, bytes) === 0) return false
      const code = refused.get(path) ?? (running.has(path) ? 'EBUSY' : undefined)
      if (code !== undefined) throw failure(code, path)
      contents.set(path, Uint8Array.from(bytes))
      folders.add(win32.dirname(path))
      events.push(`wrote ${path}`)
      return true
    },
    remove: async path => {
      if (!contents.has(path)) return false
      if (running.has(path)) throw failure('EPERM', path)
      contents.delete(path)
      folders.add(win32.dirname(path))
      events.push(`removed ${path}`)
      return true
    },
    rename: async (from, to) => {
      const bytes = contents.get(from)
      if (bytes === undefined) throw failure('ENOENT', from)
      const code = refused.get(to)
      if (code !== undefined) throw failure(code, to)
      contents.delete(from)
      contents.set(to, bytes)
      if (running.delete(from)) running.add(to)
      folders.add(win32.dirname(from))
      folders.add(win32.dirname(to))
      events.push(`moved ${from} to ${to}`)
    },
    removeEmptyFolder: async path => {
      if (!folders.has(path) || [...contents.keys()].some(file => file.startsWith(`${path}\\`))) return false
      const code = refused.get(path)
      if (code !== undefined) throw failure(code, path)
      folders.delete(path)
      events.push(`removed folder ${path}`)
      return true
    },
    size: async path => contents.get(path)?.byteLength
  }
  return { files, contents, refused, running, folders }
}
