// The menu entry that opens the app, whatever the platform: Linux's applications menu, Windows's Start
// menu, an app bundle in macOS's Applications folder (Launchpad, Spotlight).
import type { MenuEntry } from './autostart-types.js'
import { DISK, type DeskFiles } from './files.js'
import { APP_BUNDLE_ICON_SIZE, MENU_ICON_SIZE, type DeskEnv, type DeskPlatform } from './locations.js'
import { linuxMenuEntry } from './menu-entry-linux.js'
import { macosMenuEntry } from './menu-entry-macos.js'
import { windowsMenuEntry } from './menu-entry-windows.js'
import type { RunCommand } from './run-command.js'
import { ASSET, readAsset } from '../runtime/assets.js'

/** `files`: where Windows's icon is written (a test's Windows desk in memory); the other platforms write to the disk. */
export function menuEntryFor (platform: DeskPlatform, deskEnv: DeskEnv, run: RunCommand, files: DeskFiles = DISK): MenuEntry {
  switch (platform) {
    case 'linux': return linuxMenuEntry(deskEnv)
    case 'win32': return windowsMenuEntry(deskEnv, run, files)
    case 'darwin': return macosMenuEntry(deskEnv)
  }
}

/** The app's icon as the packager packed it (ui/public/icons), in the size the platform's entry shows; undefined from a source checkout. */
export function packedMenuIcon (platform: DeskPlatform): Uint8Array | undefined {
  return readAsset(`${ASSET.appPrefix}icons/icon-${platform === 'darwin' ? APP_BUNDLE_ICON_SIZE : MENU_ICON_SIZE}.png`)
}
