// Whether the node starts at login, in words, for the CLI's status and the app's welcome page alike.
// Pure, types only: the app may import it.
import type { AutostartView } from './schema.js'

const HOW: Record<AutostartView['how'], string> = {
  systemd: 'systemd user unit',
  'launch-agent': 'LaunchAgent',
  'run-key': "the user's Run key",
  none: ''
}

export function autostartWords ({ enabled, how, where, program }: AutostartView): string {
  if (how === 'none') return 'cannot start by itself at login on this system'
  if (!enabled && program === null) return `off (run ${deskCommand(program, 'install')} in a terminal to start it when you log in)`
  if (!enabled) return `off (turn it on in the app's Settings, or run ${deskCommand(program, 'install')} in a terminal)`
  return `on (${HOW[how]}${where === null ? '' : ` ${where}`})`
}

/**
 * `causette install` as this desk can type it: a person who double-clicked a downloaded file has no
 * `causette` command, so the file's own path, quoted (README: drag the file into the terminal).
 */
export function deskCommand (program: string | null, command: 'install' | 'uninstall'): string {
  return program === null ? `causette ${command}` : `"${program}" ${command}`
}

/** Where install put the menu entry that opens the app, in words: Windows's Start menu, macOS's Applications folder, Linux's applications menu. */
export function menuWords (how: AutostartView['how']): string {
  if (how === 'run-key') return 'the Start menu'
  return how === 'launch-agent' ? 'your Applications folder' : 'your applications menu'
}

/** Why the app offers no switch when the node runs from a source checkout. */
export const NOT_PACKAGED_WORDS = 'This causette runs from its source code, so there is no program file to install: start at login is turned on from the downloaded causette file.'
