// The Windows launcher, written from the installed program with the version it was made from beside
// it (causette-launcher.version): each start of the node compares that small file with its own
// version, rather than reading two programs of 120 MB, and an update's new code reaches the launcher
// too. The launcher runs for the whole session (`background --watch` watches the node), and Windows
// will not replace a program that runs but lets it be renamed: a running launcher is moved aside
// (causette-launcher.exe.old), runs on from there, and goes at a later write or at uninstall.
import { win32 } from 'node:path'
import type { Step } from './autostart-types.js'
import type { DeskFiles } from './files.js'
import { installedExecutablePath, windowsLauncherPath, type DeskEnv } from './locations.js'
import { asWindowedProgram } from './windows-launcher.js'

/** What Windows says of a program that runs, or of a file another process holds. */
const IN_USE = new Set(['EBUSY', 'EPERM', 'EACCES'])

export function launcherVersionPath (deskEnv: DeskEnv): string {
  return win32.join(win32.dirname(windowsLauncherPath(deskEnv)), 'causette-launcher.version')
}

/** Where a running launcher is moved to make way for a new one. */
export function launcherAsidePath (deskEnv: DeskEnv): string {
  return `${windowsLauncherPath(deskEnv)}.old`
}

/** Writes the launcher from the installed program, whose version is `version`, moving a running one aside. */
export async function writeLauncher (deskEnv: DeskEnv, files: DeskFiles, version: string): Promise<Step> {
  const launcher = windowsLauncherPath(deskEnv)
  const image = asWindowedProgram(await files.read(installedExecutablePath('win32', deskEnv)))
  await removeAsideLauncher(deskEnv, files)
  let changed: boolean
  try {
    changed = await files.writeIfDifferent(launcher, image, 0o755)
  } catch (error) {
    if (!isInUse(error) || await files.size(launcher) === undefined) throw error
    await files.rename(launcher, launcherAsidePath(deskEnv))
    changed = await files.writeIfDifferent(launcher, image, 0o755)
  }
  await files.writeIfDifferent(launcherVersionPath(deskEnv), Buffer.from(version), 0o644)
  return { changed, what: `its windowless launcher at ${launcher}` }
}

/** The launcher an earlier write moved aside, once it no longer runs (it may run until the session ends). */
export async function removeAsideLauncher (deskEnv: DeskEnv, files: DeskFiles): Promise<void> {
  await files.remove(launcherAsidePath(deskEnv)).catch(ignoreInUse)
}

/** Whether the launcher was written from a program of `version`: false for one written before there was a version file. */
export async function launcherIsCurrent (deskEnv: DeskEnv, files: DeskFiles, version: string): Promise<boolean> {
  const written = await files.read(launcherVersionPath(deskEnv)).catch(() => undefined)
  return written !== undefined && Buffer.from(written).toString('utf8') === version
}

function isInUse (error: unknown): boolean {
  return IN_USE.has((error as NodeJS.ErrnoException).code ?? '')
}

function ignoreInUse (error: unknown): false {
  if (!isInUse(error)) throw error
  return false
}
