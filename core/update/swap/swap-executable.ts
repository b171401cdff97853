// Puts a verified release in place of the installed executable, keeping the current one as
// `<name>.previous`, and puts the previous one back for a rollback. The new file gets the
// executable's name only once it is whole, synced and hashed again, so nothing half-written is
// ever run; a failure at any step leaves the old executable in place.
import { chmod, copyFile, open, rename, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { CausetteError } from '../../errors.js'
import { fileSha256 } from './file-sha256.js'
import type { VerifiedRelease } from '../installer.js'
import { failedExecutable, previousExecutable } from '../../runtime/kept-executables.js'
import { incomingExecutable } from './swap-paths.js'

export async function swapExecutable (executable: string, release: VerifiedRelease): Promise<void> {
  await expectSha256(release.path, release.sha256, 'the release file')
  const incoming = incomingExecutable(executable)
  try {
    await writeIncoming(release.path, incoming, executable)
    // What gets the executable's name is exactly what was verified, whatever happened to the source.
    await expectSha256(incoming, release.sha256, 'the copy beside the executable')
    await step('removing the old previous version', rm(previousExecutable(executable), { force: true }))
    await step('keeping the current executable as .previous', rename(executable, previousExecutable(executable)))
  } catch (error) {
    await rm(incoming, { force: true }).catch(() => {})
    throw error
  }
  try {
    await step('renaming the new executable into place', rename(incoming, executable))
  } catch (error) {
    await rename(previousExecutable(executable), executable)
    await rm(incoming, { force: true }).catch(() => {})
    throw error
  }
  await syncDirectory(dirname(executable))
}

/**
 * Puts `.previous` back under the executable's name, the rolled-back file aside as `.failed`.
 * Idempotent: with no `.previous` (restored already, or never swapped) it changes nothing.
 */
export async function restorePrevious (executable: string): Promise<'restored' | 'nothing-to-restore'> {
  const previous = previousExecutable(executable)
  if (!await exists(previous)) return 'nothing-to-restore'
  await rm(failedExecutable(executable), { force: true })
  // Renaming, not overwriting: Windows allows renaming a running executable, not replacing it.
  if (await exists(executable)) await rename(executable, failedExecutable(executable))
  await rename(previous, executable)
  await syncDirectory(dirname(executable))
  return 'restored'
}

async function writeIncoming (source: string, incoming: string, executable: string): Promise<void> {
  const { mode } = await step('reading the installed executable', stat(executable))
  await step('copying the release beside the executable', copyFile(source, incoming))
  await step('making the copy executable', chmod(incoming, mode & 0o777))
  await step('writing the copy to disk', syncFile(incoming))
}

async function expectSha256 (path: string, sha256: string, what: string): Promise<void> {
  const actual = await step(`reading ${what}`, fileSha256(path))
  if (actual !== sha256.toLowerCase()) {
    throw new CausetteError('UPDATE_SWAP_HASH_MISMATCH', `${what} (${path}) has SHA-256 ${actual}, not the verified ${sha256}: the update was not installed`)
  }
}

/** Runs one step; a failure becomes UPDATE_SWAP_FAILED naming the step. */
async function step<T> (what: string, action: Promise<T>): Promise<T> {
  try {
    return await action
  } catch (error) {
    if (error instanceof CausetteError) throw error
    throw new CausetteError('UPDATE_SWAP_FAILED', `update not installed: ${what} failed (${(error as Error).message}); the current version stays in place`)
  }
}

async function syncFile (path: string): Promise<void> {
  const file = await open(path, 'r+')
  try { await file.sync() } finally { await file.close() }
}

/** Makes the renames durable; Windows cannot open a directory, and its renames are journaled by NTFS. */
async function syncDirectory (path: string): Promise<void> {
  if (process.platform === 'win32') return
  const directory = await open(path, 'r')
  try { await directory.sync() } finally { await directory.close() }
}

async function exists (path: string): Promise<boolean> {
  return await stat(path).then(() => true, () => false)
}
