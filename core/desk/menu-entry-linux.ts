// Linux: a desktop entry in the user's applications folder ($XDG_DATA_HOME/applications), with the
// app's icon in the user's icon folder. Desktops watch that folder: no command to run.
import { access } from 'node:fs/promises'
import type { MenuEntry, Step } from './autostart-types.js'
import { desktopEntry } from './desktop-entry.js'
import { removeIfPresent, writeIfDifferent } from './files.js'
import { desktopEntryPath, desktopIconPath, type DeskEnv } from './locations.js'

export function linuxMenuEntry (deskEnv: DeskEnv): MenuEntry {
  const entryPath = desktopEntryPath(deskEnv)
  const iconPath = desktopIconPath(deskEnv)
  return {
    add: async (command, icon) => {
      const steps: Step[] = []
      if (icon !== undefined) steps.push({ changed: await writeIfDifferent(iconPath, icon), what: `its icon ${iconPath}` })
      const entry = desktopEntry({ command, icon: icon === undefined ? undefined : iconPath })
      steps.push({ changed: await writeIfDifferent(entryPath, entry), what: `the applications menu entry ${entryPath}` })
      return steps
    },
    remove: async () => [
      { changed: await removeIfPresent(entryPath), what: `the applications menu entry ${entryPath}` },
      { changed: await removeIfPresent(iconPath), what: `its icon ${iconPath}` }
    ],
    present: async () => await access(entryPath).then(() => entryPath, () => null)
  }
}
