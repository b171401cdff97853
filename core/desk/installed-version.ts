// The copy of causette installed where install puts this program, and whether it is newer: an update
// reached it since this file was downloaded. A double-click on Windows (install-before-start.ts)
// then starts that copy, and `causette install` (install.ts) refuses to put an older one in its
// place. A copy that tells no version, or one that cannot be compared (a pre-release), is not newer.
import { DISK, type DeskFiles } from './files.js'
import { runCommand, type RunCommand } from './run-command.js'
import { VERSION } from '../runtime/build-info.js'
import { compareVersions, isVersion } from '../runtime/version.js'

/** The installed copy: absent, the same bytes as this program, or another version (undefined: it did not say which). */
export type InstalledCopy = 'missing' | 'same' | { version: string | undefined }

export interface InstalledCopyOptions {
  /** The program install would copy; `target`: where it would go. */
  source: string
  target: string
  run?: RunCommand
  files?: DeskFiles
}

export async function installedCopy ({ source, target, run = runCommand, files = DISK }: InstalledCopyOptions): Promise<InstalledCopy> {
  const installed = await files.read(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (installed === undefined) return 'missing'
  if (Buffer.compare(installed, await files.read(source)) === 0) return 'same'
  return { version: await programVersion(run, target) }
}

/** The version of an installed copy newer than this program; undefined when there is none. */
export async function newerInstalledVersion (options: InstalledCopyOptions): Promise<string | undefined> {
  const installed = await installedCopy(options)
  const version = typeof installed === 'object' ? installed.version : undefined
  return version !== undefined && isNewer(version) ? version : undefined
}

/** What `causette --version --json` answers for another copy of the program; undefined if it does not answer one. */
async function programVersion (run: RunCommand, executable: string): Promise<string | undefined> {
  const result = await run(executable, ['--version', '--json'])
  if (result.code !== 0) return undefined
  try {
    const { version } = JSON.parse(result.stdout) as { version?: unknown }
    return typeof version === 'string' ? version : undefined
  } catch {
    return undefined
  }
}

/** A version newer than this program's; one that cannot be compared (a pre-release build) is not. */
export function isNewer (version: string): boolean {
  return isVersion(version) && isVersion(VERSION) && compareVersions(version, VERSION) > 0
}
