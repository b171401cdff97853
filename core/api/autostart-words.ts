// Whether the node starts at login, in words, for the CLI's status and the app's welcome page alike.
// Pure, types only: the app may import it.
import type { AutostartView } from './schema.js'

const HOW: Record<AutostartView['how'], string> = {
  systemd: 'systemd user unit',
  'launch-agent': 'LaunchAgent',
  'run-key': "the user's Run key",
  none: ''
}

export function autostartWords ({ enabled, how, where }: AutostartView): string {
  if (how === 'none') return 'cannot start by itself at login on this system'
  if (!enabled) return 'off (run "causette install" to start it when you log in)'
  return `on (${HOW[how]}${where === null ? '' : ` ${where}`})`
}
