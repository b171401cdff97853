// The Start menu shortcut (Windows), as the PowerShell command line that writes it. Windows has no
// command for a .lnk; PowerShell's documented way is the WScript.Shell COM object (part of Windows,
// no admin rights, not VBScript). The script compares first, so a second install writes nothing, and
// prints `changed` or `unchanged`. Every value is a single-quoted PowerShell literal (powershell.ts):
// nothing in a path is ever read as code.
import { win32 } from 'node:path'
import { literal } from './powershell.js'
import type { AutostartCommand } from './systemd-unit.js'
import { windowsWord } from './windows-run-key.js'

export interface StartMenuShortcut {
  /** The .lnk file. */
  shortcut: string
  /** What it runs: the windowless launcher, so that no console window opens. */
  command: AutostartCommand
  /** An .ico file, or undefined for the program's own icon. */
  icon: string | undefined
}

export const SHORTCUT_CHANGED = 'changed'
export const SHORTCUT_UNCHANGED = 'unchanged'

export function shortcutScript ({ shortcut, command: { executable, args }, icon }: StartMenuShortcut): string {
  const wanted: Array<[string, string]> = [
    ['TargetPath', executable],
    ['Arguments', args.map(windowsWord).join(' ')],
    ['WorkingDirectory', win32.dirname(executable)],
    ['IconLocation', icon === undefined ? `${executable},0` : `${icon},0`],
    ['Description', 'causette: messages with your colleagues']
  ]
  return [
    "$ErrorActionPreference = 'Stop'",
    `$link = (New-Object -ComObject WScript.Shell).CreateShortcut(${literal(shortcut)})`,
    // A missing .lnk reads as empty values; -eq ignores case, as Windows paths do.
    `if (${wanted.map(([name, value]) => `$link.${name} -eq ${literal(value)}`).join(' -and ')}) { '${SHORTCUT_UNCHANGED}'; exit 0 }`,
    ...wanted.map(([name, value]) => `$link.${name} = ${literal(value)}`),
    '$link.Save()',
    `'${SHORTCUT_CHANGED}'`
  ].join('; ')
}
