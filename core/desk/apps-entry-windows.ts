// Windows: causette's entry in Settings > Apps (windows-uninstall-key.ts), written by the program part
// of install (the first double-click, `causette install`, the app's Start at login switch), brought
// up to date after an update (refresh-desk.ts) and removed by uninstall, with reg.exe. Only the
// values that differ are written: install runs at every first double-click of a downloaded file.
import type { Step } from './autostart-types.js'
import { reg } from './autostart-windows.js'
import { DISK, type DeskFiles } from './files.js'
import { installedExecutablePath, UNINSTALL_KEY, windowsIconPath, windowsLauncherPath, type DeskEnv } from './locations.js'
import type { RunCommand } from './run-command.js'
import { VERSION } from '../runtime/build-info.js'
import { differingValues, parseRegValues, regAddValueArgs, regDeleteKeyArgs, regQueryKeyArgs, uninstallKeyValues, type RegValue, type UninstallEntry } from './windows-uninstall-key.js'

export const APPS_ENTRY = `its entry in Settings > Apps (${UNINSTALL_KEY})`

export interface AppsEntryOptions {
  deskEnv: DeskEnv
  /** The profile uninstall stops and names: the one the Start menu entry opens. */
  profile: string
  run: RunCommand
  files?: DeskFiles
  /** The version the entry shows: this program's. */
  version?: string
}

/** The values the key holds; undefined when there is none (reg query exits 1). */
export async function appsEntryValues (run: RunCommand): Promise<Map<string, RegValue> | undefined> {
  const result = await run('reg.exe', regQueryKeyArgs())
  return result.code === 0 ? parseRegValues(result.stdout) : undefined
}

/** Writes the entry for the installed program, after it and its icon are in place (their size is the entry's). */
export async function addAppsEntry ({ deskEnv, profile, run, files = DISK, version = VERSION }: AppsEntryOptions): Promise<Step> {
  const wanted = uninstallKeyValues(await installedEntry(deskEnv, profile, files, version))
  const changes = differingValues(wanted, await appsEntryValues(run) ?? new Map())
  for (const value of changes) await reg(run, regAddValueArgs(value))
  return { changed: changes.length > 0, what: APPS_ENTRY }
}

export async function removeAppsEntry (run: RunCommand): Promise<Step> {
  const present = await appsEntryValues(run) !== undefined
  if (present) await reg(run, regDeleteKeyArgs())
  return { changed: present, what: APPS_ENTRY }
}

async function installedEntry (deskEnv: DeskEnv, profile: string, files: DeskFiles, version: string): Promise<UninstallEntry> {
  const program = installedExecutablePath('win32', deskEnv)
  const icon = windowsIconPath(deskEnv)
  const [programBytes, launcherBytes, iconBytes] = await Promise.all([program, windowsLauncherPath(deskEnv), icon].map(async path => await files.size(path)))
  return {
    program,
    profile,
    version,
    icon: iconBytes === undefined ? undefined : icon,
    sizeBytes: (programBytes ?? 0) + (launcherBytes ?? 0) + (iconBytes ?? 0)
  }
}
