// The applications menu entry (Linux): a freedesktop desktop entry, as text. Its Exec runs the
// installed program with no command, as a double-click does: it starts the node unless it runs, then
// opens the app in the browser. Terminal=false: nothing to read in a terminal then.
import type { AutostartCommand } from './systemd-unit.js'

export interface DesktopEntry {
  /** The installed program and its arguments (the profile: `--home DIR`). */
  command: AutostartCommand
  /** An absolute icon path, or undefined for an entry without one. */
  icon: string | undefined
}

export function desktopEntry ({ command: { executable, args }, icon }: DesktopEntry): string {
  return [
    '# Written by `causette install`; `causette uninstall` removes it.',
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.4',
    'Name=causette',
    'GenericName=Office messenger',
    'Comment=Messages with your colleagues, from this computer to theirs, end-to-end encrypted',
    `Exec=${[executable, ...args].map(execWord).join(' ')}`,
    ...icon === undefined ? [] : [`Icon=${stringValue(icon)}`],
    'Terminal=false',
    'Categories=Network;InstantMessaging;',
    'Keywords=chat;messenger;office;LAN;',
    ''
  ].join('\n')
}

/**
 * One argument of Exec, quoted by the specification's rules: inside double quotes `"`, `` ` ``, `$`
 * and `\` take a backslash; then the value's own escape doubles every backslash, and `%` (a field
 * code) is written `%%`. So any path stays one literal argument.
 */
export function execWord (word: string): string {
  const quoted = `"${word.replace(/[\\"`$]/g, '\\$&')}"`
  return stringValue(quoted).replace(/%/g, '%%')
}

/** A value of type string: backslashes escaped; a line break cannot be written. */
function stringValue (text: string): string {
  if (/[\n\r]/.test(text)) throw new Error('a desktop entry cannot hold a path with a line break')
  return text.replace(/\\/g, '\\\\')
}
