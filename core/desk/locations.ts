// Where a desk's files go, per user and without admin rights: the installed copy of the executable,
// the Windows launcher beside it, the autostart entry of each platform and the menu entry that opens
// the app (Linux's applications menu, Windows's Start menu, macOS's Applications folder). Pure: the
// platform and the environment are parameters, so Windows and macOS paths are computed (and tested)
// on Linux too.
import { homedir } from 'node:os'
import { posix, win32 } from 'node:path'

export type DeskPlatform = 'linux' | 'darwin' | 'win32'

/** The platforms that have an autostart of ours; undefined for the others (FreeBSD...). */
export function deskPlatform (platform: string = process.platform): DeskPlatform | undefined {
  return platform === 'linux' || platform === 'darwin' || platform === 'win32' ? platform : undefined
}

export const SYSTEMD_UNIT_NAME = 'causette.service'
export const LAUNCH_AGENT_LABEL = 'org.causette.node'
/** The app bundle's identifier (macOS), beside the LaunchAgent's label. */
export const APP_BUNDLE_ID = 'org.causette.app'
export const RUN_KEY = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run'
export const RUN_VALUE_NAME = 'causette'
/** The user's own entry in Settings > Apps (Windows): a per-user uninstall key, no admin rights. */
export const UNINSTALL_KEY = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\causette'
export const DESKTOP_ENTRY_NAME = 'causette.desktop'
/** The app's icon the menu entries show: the PWA's 192 px one (ui/public/icons), packed in the executable. */
export const MENU_ICON_SIZE = 192
/** The app bundle's icon (macOS): the PWA's 512 px one, as an .icns has no 192 px slot. */
export const APP_BUNDLE_ICON_SIZE = 512

export interface DeskEnv {
  /** The user's home directory (os.homedir() for this process). */
  home: string
  env: NodeJS.ProcessEnv
}

/** This process's user and environment. */
export function currentDesk (): DeskEnv {
  return { home: homedir(), env: process.env }
}

/** Where `causette install` copies the executable. */
export function installedExecutablePath (platform: DeskPlatform, { home, env }: DeskEnv = currentDesk()): string {
  switch (platform) {
    case 'linux': return posix.join(nonEmpty(env.XDG_BIN_HOME) ?? posix.join(home, '.local', 'bin'), 'causette')
    case 'darwin': return posix.join(home, 'Library', 'Application Support', 'causette', 'causette')
    case 'win32': return win32.join(localAppData({ home, env }), 'Programs', 'causette', 'causette.exe')
  }
}

/** Whether `executable` is the installed copy: Windows's paths name one file whatever their case. */
export function isInstalledProgram (platform: DeskPlatform, deskEnv: DeskEnv, executable: string): boolean {
  const installed = installedExecutablePath(platform, deskEnv)
  return platform === 'win32' ? sameWindowsPath(executable, installed) : posix.resolve(executable) === posix.resolve(installed)
}

/** Whether two Windows paths name one file, whatever their case. */
export function sameWindowsPath (one: string, other: string): boolean {
  return win32.resolve(one).toLowerCase() === win32.resolve(other).toLowerCase()
}

/** Windows only: the copy of the executable marked as a windowed program, which the Run key starts (see windows-launcher.ts). */
export function windowsLauncherPath (deskEnv: DeskEnv): string {
  return win32.join(win32.dirname(installedExecutablePath('win32', deskEnv)), 'causette-launcher.exe')
}

/** The systemd user unit (Linux). */
export function systemdUnitPath ({ home, env }: DeskEnv): string {
  return posix.join(configHome({ home, env }), 'systemd', 'user', SYSTEMD_UNIT_NAME)
}

/** The link `systemctl --user enable` makes: the unit is wanted by default.target, so it starts at login. */
export function systemdWantsLinkPath (deskEnv: DeskEnv): string {
  return posix.join(posix.dirname(systemdUnitPath(deskEnv)), 'default.target.wants', SYSTEMD_UNIT_NAME)
}

/** The LaunchAgent (macOS). */
export function launchAgentPath ({ home }: DeskEnv): string {
  return posix.join(home, 'Library', 'LaunchAgents', `${LAUNCH_AGENT_LABEL}.plist`)
}

/** Where the macOS LaunchAgent's node writes its output. */
export function launchAgentLogPath ({ home }: DeskEnv): string {
  return posix.join(home, 'Library', 'Logs', 'causette.log')
}

/** The applications menu entry (Linux, freedesktop): what a launcher or app grid lists. */
export function desktopEntryPath (deskEnv: DeskEnv): string {
  return posix.join(dataHome(deskEnv), 'applications', DESKTOP_ENTRY_NAME)
}

/** The menu entry's icon (Linux), where the user's own icons go in the fallback theme. */
export function desktopIconPath (deskEnv: DeskEnv): string {
  return posix.join(dataHome(deskEnv), 'icons', 'hicolor', `${MENU_ICON_SIZE}x${MENU_ICON_SIZE}`, 'apps', 'causette.png')
}

/** The app bundle (macOS) in the user's own Applications folder, which Launchpad and Spotlight list. */
export function appBundlePath ({ home }: DeskEnv): string {
  return posix.join(home, 'Applications', 'causette.app')
}

/** The Start menu shortcut (Windows): the user's own Programs folder, no admin rights. */
export function startMenuShortcutPath ({ home, env }: DeskEnv): string {
  const roaming = nonEmpty(env.APPDATA) ?? win32.join(home, 'AppData', 'Roaming')
  return win32.join(roaming, 'Microsoft', 'Windows', 'Start Menu', 'Programs', 'causette.lnk')
}

/** The shortcut's icon (Windows), beside the program: a shortcut's icon must be an .ico, .exe or .dll. */
export function windowsIconPath (deskEnv: DeskEnv): string {
  return win32.join(win32.dirname(installedExecutablePath('win32', deskEnv)), 'causette.ico')
}

/** The user's temporary folder (Windows): where uninstall moves the program that runs it, which Windows cannot delete yet. */
export function windowsTempFolder ({ home, env }: DeskEnv): string {
  return nonEmpty(env.TEMP) ?? nonEmpty(env.TMP) ?? win32.join(localAppData({ home, env }), 'Temp')
}

function configHome ({ home, env }: DeskEnv): string {
  return nonEmpty(env.XDG_CONFIG_HOME) ?? posix.join(home, '.config')
}

function dataHome ({ home, env }: DeskEnv): string {
  return nonEmpty(env.XDG_DATA_HOME) ?? posix.join(home, '.local', 'share')
}

function localAppData ({ home, env }: DeskEnv): string {
  return nonEmpty(env.LOCALAPPDATA) ?? win32.join(home, 'AppData', 'Local')
}

/** The XDG rule: an unset or empty variable means the default. */
function nonEmpty (value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
