// Writing a file of the attachment store so that it is either whole or absent: to a temporary file in
// the store's own `.tmp/` (same file system), fsync, rename. A SIGKILL or a power cut between the
// steps leaves only a temporary file, which the store removes when it opens. A full disk (or quota,
// or read-only file system) becomes FILE_STORE_FULL, after removing the partial temporary file.
import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { CausetteError } from '../errors.js'
import { isDiskFull, writeSyncedFile } from '../profile/files.js'

export { isDiskFull }

export function storeFullError (cause?: unknown): CausetteError {
  return new CausetteError('FILE_STORE_FULL', 'the disk is full: the file is paused until space is freed; nothing stored was lost', { cause })
}

/** A fresh name in `tmpDir` for a file or folder being written. */
export function temporaryPath (tmpDir: string, prefix: string): string {
  return join(tmpDir, `${prefix}-${randomBytes(8).toString('hex')}`)
}

/** Writes `data` to `path` through a temporary file in `tmpDir`, fsynced before the rename. */
export async function writeAtomically (tmpDir: string, path: string, data: Uint8Array | string): Promise<void> {
  const temporary = temporaryPath(tmpDir, 'write')
  try {
    await writeSyncedFile(temporary, data)
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw isDiskFull(error) ? storeFullError(error) : error
  }
}

/** Makes a rename into `dir` survive a power cut (Linux, macOS); where a folder cannot be opened (Windows) the rename stands as it is. */
export async function syncDirectory (dir: string): Promise<void> {
  let handle
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch (error) {
    if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error
  } finally {
    await handle?.close()
  }
}
