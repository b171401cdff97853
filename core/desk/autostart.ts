// A per-user autostart entry, whatever the platform: register it, remove it, say whether it is on.
import { currentDesk, deskPlatform, type DeskEnv, type DeskPlatform } from './locations.js'
import { linuxAutostart } from './autostart-linux.js'
import { macosAutostart } from './autostart-macos.js'
import { windowsAutostart } from './autostart-windows.js'
import { runCommand, type RunCommand } from './run-command.js'
import type { Autostart, AutostartState } from './autostart-types.js'

export function autostartFor (platform: DeskPlatform, deskEnv: DeskEnv, run: RunCommand = runCommand): Autostart {
  switch (platform) {
    case 'linux': return linuxAutostart(deskEnv, run)
    case 'darwin': return macosAutostart(deskEnv, run)
    case 'win32': return windowsAutostart(run)
  }
}

/** Whether this user's node starts at login, and how; `how: 'none'` on a platform without one of ours. */
export async function autostartState (platform: DeskPlatform | undefined = deskPlatform(), deskEnv: DeskEnv = currentDesk(), run: RunCommand = runCommand): Promise<AutostartState> {
  if (platform === undefined) return { enabled: false, how: 'none', where: null }
  return await autostartFor(platform, deskEnv, run).state()
}
