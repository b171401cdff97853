// macOS: an app bundle in the user's own Applications folder (~/Applications, made if missing), which
// Launchpad and Spotlight list: Info.plist, the script that runs the installed program, and the app's
// icon as an .icns. Written by this program on this Mac, the bundle carries no quarantine mark.
import { access, utimes } from 'node:fs/promises'
import { posix } from 'node:path'
import { APP_EXECUTABLE, APP_ICON_FILE, appInfoPlist, appLauncherScript } from './app-bundle.js'
import type { MenuEntry, Step } from './autostart-types.js'
import { removeFolderIfPresent, writeIfDifferent } from './files.js'
import { appBundlePath, type DeskEnv } from './locations.js'
import { icnsFromPng } from './mac-icon.js'

export function macosMenuEntry (deskEnv: DeskEnv): MenuEntry {
  const bundle = appBundlePath(deskEnv)
  const infoPlist = posix.join(bundle, 'Contents', 'Info.plist')
  const iconPath = posix.join(bundle, 'Contents', 'Resources', APP_ICON_FILE)
  const what = `the app in your Applications folder ${bundle}`
  return {
    add: async (command, icon) => {
      const steps: Step[] = []
      if (icon !== undefined) steps.push({ changed: await writeIfDifferent(iconPath, icnsFromPng(icon)), what: `its icon ${iconPath}` })
      // Info.plist last: the folder is an app once it is there.
      const script = await writeIfDifferent(posix.join(bundle, 'Contents', 'MacOS', APP_EXECUTABLE), appLauncherScript(command), 0o755)
      const plist = await writeIfDifferent(infoPlist, appInfoPlist({ icon: icon !== undefined }))
      steps.push({ changed: script || plist, what })
      // Finder and LaunchServices notice a changed bundle (a new icon) by its own date, not its files'.
      if (steps.some(step => step.changed)) await utimes(bundle, new Date(), new Date())
      return steps
    },
    remove: async () => [{ changed: await removeFolderIfPresent(bundle), what }],
    present: async () => await access(infoPlist).then(() => bundle, () => null)
  }
}
