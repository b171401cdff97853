// Windows: a shortcut in the user's Start menu (written by PowerShell, start-menu-shortcut.ts) to the
// windowless launcher, with the app's icon as an .ico beside the program.
import { access } from 'node:fs/promises'
import type { MenuEntry, Step } from './autostart-types.js'
import { DISK, type DeskFiles } from './files.js'
import { startMenuShortcutPath, windowsIconPath, type DeskEnv } from './locations.js'
import type { RunCommand } from './run-command.js'
import { powershellArgs } from './powershell.js'
import { SHORTCUT_UNCHANGED, shortcutScript } from './start-menu-shortcut.js'
import { icoFromPng } from './windows-icon.js'

export function windowsMenuEntry (deskEnv: DeskEnv, run: RunCommand, files: DeskFiles = DISK): MenuEntry {
  const shortcut = startMenuShortcutPath(deskEnv)
  const iconPath = windowsIconPath(deskEnv)
  return {
    add: async (command, icon) => {
      const steps: Step[] = []
      if (icon !== undefined) steps.push({ changed: await files.writeIfDifferent(iconPath, icoFromPng(icon), 0o644), what: `its icon ${iconPath}` })
      const result = await run('powershell.exe', powershellArgs(shortcutScript({ shortcut, command, icon: icon === undefined ? undefined : iconPath })))
      if (result.code !== 0) throw new Error(`the Start menu shortcut could not be written: ${result.stderr.trim()}`)
      steps.push({ changed: result.stdout.trim() !== SHORTCUT_UNCHANGED, what: `the Start menu shortcut ${shortcut}` })
      return steps
    },
    remove: async () => [
      { changed: await files.remove(shortcut), what: `the Start menu shortcut ${shortcut}` },
      { changed: await files.remove(iconPath), what: `its icon ${iconPath}` }
    ],
    present: async () => await access(shortcut).then(() => shortcut, () => null)
  }
}
