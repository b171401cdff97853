// What a double-click starts the node from. On Windows, a copy that is not the installed one (the
// downloaded file) first installs the program (install.ts's program part: its Start menu shortcut
// and its entry in Settings > Apps, not the autostart), and the node starts from the installed copy:
// Windows Defender Firewall keeps its rules per program path, and each of its prompts needs an
// administrator's password on a standard account, so its one prompt must be for the path every
// later start uses (login, the Start menu, updates, which replace the file in place). Linux and macOS ask nothing per path: the program runs from where it is.
// Called with no node running on the profile (under its start lock), so nothing copied over runs.
import { addAppsEntry } from './apps-entry-windows.js'
import { DISK } from './files.js'
import { addMenuEntry, copyProgram } from './install.js'
import { installedExecutablePath, isInstalledProgram } from './locations.js'
import { installedCopy, isNewer } from './installed-version.js'
import { runCommand } from './run-command.js'
import type { ThisDesk } from './start-at-login.js'

/** `executable`: what the node starts from; `installed`: the installed copy's path. */
export type ProgramToStart =
  /** Not Windows, or this is the installed copy: as before. */
  | { executable: string, install: 'none' }
  /**
   * Installed now (`changed`), or found with the same bytes; `replaced`: the version it replaced;
   * `menuFailure`: why the Start menu shortcut could not be written; `appsEntryFailure`: why its entry in Settings > Apps could not.
   */
  | { executable: string, installed: string, install: 'done', changed: boolean, replaced?: string, menuFailure?: string, appsEntryFailure?: string }
  /** An update made the installed copy newer than this file: that one starts, untouched. */
  | { executable: string, installed: string, install: 'newer-installed', version: string }
  /** The copy failed (a policy, a full disk, permissions): this file starts, as before. */
  | { executable: string, installed: string, install: 'failed', reason: string }

/** `source`: the program this process runs from; `profile`: the one the Start menu entry opens. */
export async function installBeforeStart (desk: ThisDesk, source: string, profile: string): Promise<ProgramToStart> {
  const { platform, deskEnv, run = runCommand, files = DISK } = desk
  if (platform !== 'win32' || isInstalledProgram(platform, deskEnv, source)) return { executable: source, install: 'none' }
  const target = installedExecutablePath(platform, deskEnv)
  let done: ProgramToStart & { install: 'done' }
  try {
    const installed = await installedCopy({ source, target, run, files })
    const version = typeof installed === 'object' ? installed.version : undefined
    if (version !== undefined && isNewer(version)) return { executable: target, installed: target, install: 'newer-installed', version }
    const steps = await copyProgram({ platform, deskEnv, source, files })
    done = { executable: target, installed: target, install: 'done', changed: steps.some(step => step.changed), ...version !== undefined ? { replaced: version } : {} }
  } catch (error) {
    return { executable: source, installed: target, install: 'failed', reason: reasonOf(error) }
  }
  // The program is in place: without its shortcut, or its entry in Settings > Apps, it still starts from there.
  try {
    await addMenuEntry({ platform, deskEnv, profile, run, files, ...desk.icon !== undefined ? { icon: desk.icon } : {} })
  } catch (error) {
    done.menuFailure = reasonOf(error)
  }
  try {
    await addAppsEntry({ deskEnv, profile, run, files })
  } catch (error) {
    done.appsEntryFailure = reasonOf(error)
  }
  return done
}

function reasonOf (error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
