// causette's entry in Settings > Apps (Windows): the user's own uninstall key (HKCU, no admin rights),
// as the values it holds and the reg.exe command lines that write, read and delete it. The value
// names and types are Microsoft's ("Uninstall Registry Key" and the ARPNOMODIFY, ARPNOREPAIR and
// ARPSIZE properties of Windows Installer): strings, but for the DWORDs NoModify, NoRepair and
// EstimatedSize, the installed size in KiB.
import { win32 } from 'node:path'
import { UNINSTALL_KEY } from './locations.js'
import { windowsWord } from './windows-run-key.js'

export interface RegValue { name: string, type: 'REG_SZ' | 'REG_DWORD', data: string }

export interface UninstallEntry {
  /** The installed causette.exe. */
  program: string
  /** The profile whose node uninstall stops, and whose folder it names (install's, the Start menu's). */
  profile: string
  version: string
  /** The .ico beside the program; undefined: the program's own icon. */
  icon: string | undefined
  /** What the program's folder holds: the program, its launcher, the icon. */
  sizeBytes: number
}

export const PUBLISHER = 'causette contributors'

export function uninstallKeyValues ({ program, profile, version, icon, sizeBytes }: UninstallEntry): RegValue[] {
  return [
    text('DisplayName', 'causette'),
    text('DisplayVersion', version),
    text('Publisher', PUBLISHER),
    text('DisplayIcon', icon ?? `${program},0`),
    text('InstallLocation', win32.dirname(program)),
    text('UninstallString', uninstallCommandLine(program, profile)),
    // Nothing to change or repair: Settings > Apps offers Uninstall alone.
    number('NoModify', 1),
    number('NoRepair', 1),
    number('EstimatedSize', Math.ceil(sizeBytes / 1024))
  ]
}

/**
 * What Settings > Apps runs, in a console window of its own: the program's path always quoted (a
 * Windows path holds no double quote, and this one ends in .exe), then `uninstall --pause`, which
 * keeps that window open until read.
 */
export function uninstallCommandLine (program: string, profile: string): string {
  return [`"${program}"`, 'uninstall', '--pause', '--home', windowsWord(profile)].join(' ')
}

export function regAddValueArgs ({ name, type, data }: RegValue): string[] {
  return ['add', UNINSTALL_KEY, '/v', name, '/t', type, '/d', data, '/f']
}

export function regQueryKeyArgs (): string[] {
  return ['query', UNINSTALL_KEY]
}

export function regDeleteKeyArgs (): string[] {
  return ['delete', UNINSTALL_KEY, '/f']
}

/** The values `reg query KEY` lists ("    Name    REG_SZ    data"; a DWORD as "0x1"), by name. */
export function parseRegValues (output: string): Map<string, RegValue> {
  const values = new Map<string, RegValue>()
  for (const line of output.split(/\r?\n/)) {
    const match = /^ {4}(\S+) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line)
    if (match !== null) values.set(match[1], { name: match[1], type: match[2] as RegValue['type'], data: match[3] ?? '' })
  }
  return values
}

/** The wanted values that the key does not hold as they are (reg.exe writes a DWORD in decimal and lists it in hexadecimal). */
export function differingValues (wanted: RegValue[], current: Map<string, RegValue>): RegValue[] {
  return wanted.filter(value => {
    const held = current.get(value.name)
    if (held === undefined || held.type !== value.type) return true
    return value.type === 'REG_DWORD' ? Number(held.data) !== Number(value.data) : held.data !== value.data
  })
}

function text (name: string, data: string): RegValue {
  return { name, type: 'REG_SZ', data }
}

function number (name: string, data: number): RegValue {
  return { name, type: 'REG_DWORD', data: String(data) }
}
