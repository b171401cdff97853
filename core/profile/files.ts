// The profile directory: where it is, and how secret files are written (mode 0600, atomically, so
// a crash never leaves half a key file behind, and a full disk leaves the file as it was).
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, chmod, rm } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { CausetteError } from '../errors.js'

const DISK_FULL_ERRNO = new Set(['ENOSPC', 'EDQUOT', 'EROFS'])

/** A full disk, a quota reached or a read-only file system: the write cannot succeed until that changes. */
export function isDiskFull (error: unknown): boolean {
  return DISK_FULL_ERRNO.has((error as NodeJS.ErrnoException | undefined)?.code ?? '')
}

export function resolveHome (explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env.CAUSETTE_HOME ?? join(homedir(), '.causette')
}

export async function ensureProfileDir (home: string): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 })
  await chmod(home, 0o700)
}

/**
 * Writes `data` to `path` with mode 0600 via a temporary file of its own (two files saved at the
 * same moment never share one), fsync and rename. On failure the temporary file is removed and
 * `path` is as it was; a full disk is STORAGE_UNAVAILABLE, naming the file.
 */
export async function writeSecretFile (path: string, data: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeSyncedFile(temporary, data)
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    if (!isDiskFull(error)) throw error
    throw new CausetteError('STORAGE_UNAVAILABLE', `the disk is full: ${basename(path)} was not saved and is as it was; free some space, then try again`, { cause: error })
  }
}

/** Writes `data` to a new file at `path` (mode 0600) and fsyncs it: the first half of an atomic write. */
export async function writeSyncedFile (path: string, data: string | Uint8Array, flags: 'w' | 'wx' = 'wx'): Promise<void> {
  const file = await open(path, flags, 0o600)
  try {
    await file.writeFile(data)
    await file.sync()
  } finally {
    await file.close()
  }
}

export async function readJsonFile<T> (path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
