// `causette install` and `causette uninstall` without the CLI around them: copy the executable to
// the user's own programs folder, register the autostart and write the menu entry that opens the
// app; undo all three. Never the profile. The CLI and the node's API (the app's switch) both run it.
import { readFile, rmdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { autostartFor } from './autostart.js'
import type { Step } from './autostart-types.js'
import { writeIfDifferent, removeIfPresent } from './files.js'
import { installedExecutablePath, windowsLauncherPath, type DeskEnv, type DeskPlatform } from './locations.js'
import { menuEntryFor, packedMenuIcon } from './menu-entry.js'
import { keptExecutables } from '../runtime/kept-executables.js'
import { runCommand, type RunCommand } from './run-command.js'
import { asWindowedProgram } from './windows-launcher.js'

export interface DeskOptions {
  platform: DeskPlatform
  deskEnv: DeskEnv
  /** The profile the autostarted node runs on. */
  profile: string
  run?: RunCommand
}

export interface InstallOptions extends DeskOptions {
  /** The executable to install: the running one. */
  source: string
  /** A node already answers on the profile: register for the next login, start nothing now. */
  nodeRunning: boolean
  /** The menu entry's PNG icon: default the one packed in the executable, in the platform's size (none from a source checkout). */
  icon?: Uint8Array
}

export async function install ({ platform, deskEnv, profile, source, nodeRunning, run = runCommand, icon = packedMenuIcon(platform) }: InstallOptions): Promise<Step[]> {
  const target = installedExecutablePath(platform, deskEnv)
  const steps: Step[] = [{ changed: await copyExecutable(source, target), what: `the program at ${target}` }]
  if (platform === 'win32') {
    const launcher = windowsLauncherPath(deskEnv)
    steps.push({ changed: await writeIfDifferent(launcher, asWindowedProgram(await readFile(target)), 0o755), what: `its windowless launcher at ${launcher}` })
  }
  const command = autostartCommand(platform, deskEnv, profile)
  steps.push(...await autostartFor(platform, deskEnv, run).register(command, { startNow: !nodeRunning }))
  steps.push(...await menuEntryFor(platform, deskEnv, run).add(menuCommand(platform, deskEnv, profile), icon))
  return steps
}

export async function uninstall ({ platform, deskEnv, run = runCommand }: Omit<DeskOptions, 'profile'>): Promise<Step[]> {
  const steps = await autostartFor(platform, deskEnv, run).unregister()
  steps.push(...await menuEntryFor(platform, deskEnv, run).remove())
  const target = installedExecutablePath(platform, deskEnv)
  steps.push({ changed: await removeProgram(target), what: `the program at ${target}` })
  // An update keeps the version it replaced beside the program (120 MB): it goes too.
  for (const kept of keptExecutables(target)) {
    if (await removeProgram(kept)) steps.push({ changed: true, what: `the earlier version kept at ${kept}` })
  }
  if (platform === 'win32') {
    const launcher = windowsLauncherPath(deskEnv)
    steps.push({ changed: await removeProgram(launcher), what: `its windowless launcher at ${launcher}` })
  }
  // Our own folder goes if it is empty; ~/.local/bin is shared with other programs and stays.
  if (platform !== 'linux') await rmdir(dirname(target)).catch(() => undefined)
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

/** Windows refuses to delete a program that runs: say what to do rather than how it failed. */
async function removeProgram (path: string): Promise<boolean> {
  try {
    return await removeIfPresent(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EBUSY' && code !== 'EPERM') throw error
    throw new Error(`${path} is running, so it cannot be removed: run \`causette stop\` (and close any causette window), then uninstall again`, { cause: error })
  }
}

/** Copies the executable unless the target holds the same bytes (or is the source: installing from the installed copy). */
async function copyExecutable (source: string, target: string): Promise<boolean> {
  if (resolve(source) === resolve(target)) return false
  return await writeIfDifferent(target, await readFile(source), 0o755)
}
