// What every platform's autostart offers (autostart-linux.ts, -macos.ts, -windows.ts), and its menu
// entry (menu-entry-linux.ts, -macos.ts, -windows.ts), apart from autostart.ts and menu-entry.ts,
// which pick one: so the platforms need not import the file that imports them.
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
  /** `stopNow`: also stop the node the autostart started (false from the app: it runs on that node). */
  unregister: (options?: { stopNow: boolean }) => Promise<Step[]>
  state: () => Promise<AutostartState>
}

/** The entry that opens the app from the system's menu: Linux's applications menu, Windows's Start menu, macOS's Applications folder. */
export interface MenuEntry {
  /** `command` runs the installed program with no command (a double-click); `icon` is the app's PNG icon, if packed. */
  add: (command: AutostartCommand, icon: Uint8Array | undefined) => Promise<Step[]>
  remove: () => Promise<Step[]>
  /** The entry's path when it is there, else null. */
  present: () => Promise<string | null>
}
