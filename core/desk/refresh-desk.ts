// Keeping a Windows desk's launcher, autostart and entry in Settings > Apps as current as its program.
// Updates swap causette.exe only (core/update/swap/), but the launcher beside it is a copy of the
// program as `causette install` made it, and the Run key holds that version's command line: without
// this, a fix to the launcher's code (the watcher, the Start menu's double-click) would never reach a
// desk, and a desk installed before the launcher watched the node would never get the watcher. So a
// node started from the installed program makes the launcher again when its version file names
// another version (`refreshLauncher`; a running launcher is moved aside, launcher-file.ts), then
// updates a Run key that starts this profile with the command an earlier install wrote, the launcher
// first, so that the Run key never asks a launcher for an option it does not know. A Run key changed
// by hand or for another profile is left alone. Where the launcher cannot be written yet, the caller
// tries again a little later. A current desk is left alone, reading no program (this runs at every
// start).
// The entry in Settings > Apps shows the version: one that names another (or none: a desk installed
// before there was one) is written again for the program that runs, whether or not autostart is on.
import { addAppsEntry, appsEntryValues } from './apps-entry-windows.js'
import type { Step } from './autostart-types.js'
import { runKeyCommand, windowsAutostart } from './autostart-windows.js'
import { DISK, type DeskFiles } from './files.js'
import { launcherIsCurrent, removeAsideLauncher, writeLauncher } from './launcher-file.js'
import { autostartCommand } from './install.js'
import { installedExecutablePath, isInstalledProgram, windowsLauncherPath, type DeskEnv } from './locations.js'
import { runCommand, type RunCommand } from './run-command.js'
import { asWindowedProgram } from './windows-launcher.js'
import { runKeyValue } from './windows-run-key.js'
import { VERSION } from '../runtime/build-info.js'

export interface DeskRefreshOptions {
  deskEnv: DeskEnv
  profile: string
  /** The program this node runs from (process.execPath when packaged). */
  executable: string
  run?: RunCommand
  files?: DeskFiles
  /** This program's version (tests: another). */
  version?: string
}

export type DeskRefresh = { steps: Step[] } | { skipped: 'not-installed' | 'no-launcher' | 'autostart-off' | 'current' | 'not-ours' | 'launcher-running' }

export async function refreshWindowsDesk ({ deskEnv, profile, executable, run = runCommand, files = DISK }: DeskRefreshOptions): Promise<DeskRefresh> {
  if (!isInstalledProgram('win32', deskEnv, executable)) return { skipped: 'not-installed' }
  const installed = installedExecutablePath('win32', deskEnv)
  const launcher = windowsLauncherPath(deskEnv)
  const wanted = autostartCommand('win32', deskEnv, profile)
  const current = await runKeyCommand(run)
  // Turned off by `causette uninstall`: not ours to turn on again.
  if (current === undefined) return { skipped: 'autostart-off' }
  if (current === runKeyValue(wanted)) return { skipped: 'current' }
  // Another profile's node, or a value set by hand: left as it is.
  if (current !== runKeyValue({ executable: launcher, args: ['background', '--home', profile] })) return { skipped: 'not-ours' }
  let launcherChanged: boolean
  try {
    launcherChanged = await files.writeIfDifferent(launcher, asWindowedProgram(await files.read(installed)), 0o755)
  } catch (error) {
    if (!['EBUSY', 'EPERM', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error
    return { skipped: 'launcher-running' }
  }
  const key = await windowsAutostart(run).register(wanted, { startNow: false })
  // Unchanged, it was made by refreshLauncher just before: said once.
  const launcherStep = launcherChanged ? [{ changed: true, what: `its windowless launcher at ${launcher}` }] : []
  return { steps: [...launcherStep, ...key] }
}

/** The launcher made again from the program after an update (launcher-file.ts): one small file read when it is current. */
export async function refreshLauncher ({ deskEnv, executable, files = DISK, version = VERSION }: DeskRefreshOptions): Promise<DeskRefresh> {
  if (!isInstalledProgram('win32', deskEnv, executable)) return { skipped: 'not-installed' }
  // Removed by uninstall, or never written (a desk installed before the launcher): not ours to add.
  if (await files.size(windowsLauncherPath(deskEnv)) === undefined) return { skipped: 'no-launcher' }
  await removeAsideLauncher(deskEnv, files)
  if (await launcherIsCurrent(deskEnv, files, version)) return { skipped: 'current' }
  return { steps: [await writeLauncher(deskEnv, files, version)] }
}

/** The entry in Settings > Apps, written again when it names another version than this program's; one `reg query` when it is current. */
export async function refreshAppsEntry ({ deskEnv, profile, executable, run = runCommand, files = DISK, version = VERSION }: DeskRefreshOptions): Promise<DeskRefresh> {
  if (!isInstalledProgram('win32', deskEnv, executable)) return { skipped: 'not-installed' }
  if ((await appsEntryValues(run))?.get('DisplayVersion')?.data === version) return { skipped: 'current' }
  return { steps: [await addAppsEntry({ deskEnv, profile, run, files, version })] }
}
