// What every platform's autostart offers (autostart-linux.ts, -macos.ts, -windows.ts), apart from
// autostart.ts, which picks one: so the platforms need not import the file that imports them.
import type { AutostartCommand } from './systemd-unit.js'

/** One thing install or uninstall did, or found already done (changed: false). */
export interface Step { changed: boolean, what: string }

export interface AutostartState {
  enabled: boolean
  how: 'systemd' | 'launch-agent' | 'run-key' | 'none'
  /** The unit file, the plist or the registry value; null where there is no autostart of ours. */
  where: string | null
}

export interface Autostart {
  /** `startNow`: also start the node now (false when one already runs on the profile: it would find it locked). */
  register: (command: AutostartCommand, options: { startNow: boolean }) => Promise<Step[]>
  unregister: () => Promise<Step[]>
  state: () => Promise<AutostartState>
}
