// The menu entry that opens the app, whatever the platform: none on macOS, where that would take an
// .app bundle (see docs/ARCHITECTURE.md).
import type { MenuEntry } from './autostart-types.js'
import { MENU_ICON_SIZE, type DeskEnv, type DeskPlatform } from './locations.js'
import { linuxMenuEntry } from './menu-entry-linux.js'
import { windowsMenuEntry } from './menu-entry-windows.js'
import type { RunCommand } from './run-command.js'
import { ASSET, readAsset } from '../runtime/assets.js'

export function menuEntryFor (platform: DeskPlatform, deskEnv: DeskEnv, run: RunCommand): MenuEntry | undefined {
  switch (platform) {
    case 'linux': return linuxMenuEntry(deskEnv)
    case 'win32': return windowsMenuEntry(deskEnv, run)
    case 'darwin': return undefined
  }
}

/** The app's icon as the packager packed it (ui/public/icons); undefined from a source checkout. */
export function packedMenuIcon (): Uint8Array | undefined {
  return readAsset(`${ASSET.appPrefix}icons/icon-${MENU_ICON_SIZE}.png`)
}
