// `causette install` and `causette uninstall` without the CLI around them: copy the executable to
// the user's own programs folder and write the menu entry that opens the app, and on Windows the
// entry in Settings > Apps (the program part, which a first double-click on Windows does alone:
// install-before-start.ts), register the autostart; undo all of it. Never the profile. The CLI and
// the node's API (the app's switch) both run it.
import { dirname } from 'node:path'
import { addAppsEntry } from './apps-entry-windows.js'
import { autostartFor } from './autostart.js'
import type { Step } from './autostart-types.js'
import { DISK, type DeskFiles } from './files.js'
import { installedExecutablePath, isInstalledProgram, windowsLauncherPath, type DeskEnv, type DeskPlatform } from './locations.js'
import { menuEntryFor, packedMenuIcon } from './menu-entry.js'
import { keptExecutables } from '../runtime/kept-executables.js'
import { launchCommand, runCommand, type LaunchCommand, type RunCommand } from './run-command.js'
import { removeWindowsProgram, type RunningProgram } from './uninstall-windows.js'
import { writeLauncher } from './launcher-file.js'
import { VERSION } from '../runtime/build-info.js'
import { CausetteError } from '../errors.js'
import { newerInstalledVersion } from './installed-version.js'

export interface DeskOptions {
  platform: DeskPlatform
  deskEnv: DeskEnv
  /** The profile the autostarted node runs on, and the menu entry opens. */
  profile: string
  run?: RunCommand
}

export interface ProgramOptions extends DeskOptions {
  /** The executable to install: the running one. */
  source: string
  /** The menu entry's PNG icon: default the one packed in the executable, in the platform's size (none from a source checkout). */
  icon?: Uint8Array
  /** Where the program part reads and writes: default the disk. */
  files?: DeskFiles
}

export interface UninstallOptions extends Omit<DeskOptions, 'profile'> {
  /** Where the program is removed from: default the disk. */
  files?: DeskFiles
  /** This process, whose program Windows will not delete while it runs: default process.execPath and process.pid. */
  self?: RunningProgram
  /** Starts the deletion of that program once this process has ended (Windows). */
  launch?: LaunchCommand
}

export interface InstallOptions extends ProgramOptions {
  /** A node already answers on the profile: register for the next login, start nothing now. */
  nodeRunning: boolean
  /** Put this program in place of an installed copy newer than it (`causette install --force`). */
  force?: boolean
}

/**
 * The program and the autostart: what `causette install` and the app's Start at login switch do.
 * An installed copy newer than this program (an update reached it since this file was downloaded)
 * is kept, and nothing is changed (DESK_NEWER_INSTALLED), unless `force`.
 */
export async function install (options: InstallOptions): Promise<Step[]> {
  const { platform, deskEnv, profile, nodeRunning, run = runCommand } = options
  if (options.force !== true) await keepNewerInstalled(options)
  const steps = await installProgram(options)
  steps.push(...await autostartFor(platform, deskEnv, run).register(autostartCommand(platform, deskEnv, profile), { startNow: !nodeRunning }))
  return steps
}

/** Throws DESK_NEWER_INSTALLED when the installed copy is newer than this program (installed-version.ts). */
async function keepNewerInstalled ({ platform, deskEnv, source, run, files }: InstallOptions): Promise<void> {
  if (isInstalledProgram(platform, deskEnv, source)) return
  const target = installedExecutablePath(platform, deskEnv)
  const newer = await newerInstalledVersion({ source, target, ...run !== undefined ? { run } : {}, ...files !== undefined ? { files } : {} })
  if (newer === undefined) return
  throw new CausetteError('DESK_NEWER_INSTALLED', `causette ${newer} is installed at ${target}, newer than this program (${VERSION}), ` +
    `so nothing was changed: start causette from your menu, which runs ${newer}.`)
}

/** The program part: the executable (and on Windows its launcher), then the menu entry that opens it, and on Windows its entry in Settings > Apps. */
export async function installProgram (options: ProgramOptions): Promise<Step[]> {
  const steps = await copyProgram(options)
  steps.push(...await addMenuEntry(options))
  if (options.platform === 'win32') steps.push(await addAppsEntry({ ...options, run: options.run ?? runCommand }))
  return steps
}

/** The executable in its place, and on Windows the windowless launcher beside it; nothing is copied from the installed copy itself, nor over the same bytes. */
export async function copyProgram ({ platform, deskEnv, source, files = DISK }: Omit<ProgramOptions, 'profile'>): Promise<Step[]> {
  const target = installedExecutablePath(platform, deskEnv)
  const copied = !isInstalledProgram(platform, deskEnv, source) && await files.writeIfDifferent(target, await files.read(source), 0o755)
  const steps: Step[] = [{ changed: copied, what: `the program at ${target}` }]
  // The program copied is this one: the launcher made from it is of this version.
  if (platform === 'win32') steps.push(await writeLauncher(deskEnv, files, VERSION))
  return steps
}

/** The menu entry that opens the app from the installed program, on this profile. */
export async function addMenuEntry ({ platform, deskEnv, profile, run = runCommand, icon = packedMenuIcon(platform), files = DISK }: Omit<ProgramOptions, 'source'>): Promise<Step[]> {
  return await menuEntryFor(platform, deskEnv, run, files).add(menuCommand(platform, deskEnv, profile), icon)
}

export async function uninstall (options: UninstallOptions): Promise<Step[]> {
  const { platform, deskEnv, run = runCommand, files = DISK } = options
  const steps = await autostartFor(platform, deskEnv, run).unregister()
  steps.push(...await menuEntryFor(platform, deskEnv, run, files).remove())
  if (platform === 'win32') {
    const { self = { executable: process.execPath, pid: process.pid }, launch = launchCommand } = options
    steps.push(...await removeWindowsProgram({ deskEnv, run, files, self, launch }))
    return steps
  }
  const target = installedExecutablePath(platform, deskEnv)
  steps.push({ changed: await files.remove(target), what: `the program at ${target}` })
  // An update keeps the version it replaced beside the program (120 MB): it goes too.
  for (const kept of keptExecutables(target)) {
    if (await files.remove(kept)) steps.push({ changed: true, what: `the earlier version kept at ${kept}` })
  }
  // Our own folder on macOS goes if it is empty; ~/.local/bin is shared with other programs and stays.
  if (platform === 'darwin') await files.removeEmptyFolder(dirname(target))
  return steps
}

/** What runs at login: the node itself (Linux, macOS), or the launcher that starts it hidden and starts it again after a crash (Windows). */
export function autostartCommand (platform: DeskPlatform, deskEnv: DeskEnv, profile: string): { executable: string, args: string[] } {
  return platform === 'win32'
    ? { executable: windowsLauncherPath(deskEnv), args: ['background', '--watch', '--home', profile] }
    : { executable: installedExecutablePath(platform, deskEnv), args: ['start', '--home', profile] }
}

/**
 * What the menu entry runs: the program with no command, as a double-click (start the node unless it
 * runs, open the app), on the profile that starts at login; on Windows the launcher, which opens no console window.
 */
export function menuCommand (platform: DeskPlatform, deskEnv: DeskEnv, profile: string): { executable: string, args: string[] } {
  const executable = platform === 'win32' ? windowsLauncherPath(deskEnv) : installedExecutablePath(platform, deskEnv)
  return { executable, args: ['--home', profile] }
}
