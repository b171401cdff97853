// The profile directory: where it is, and how secret files are written (mode 0600, atomically, so
// a crash never leaves half a key file behind, and a full disk leaves the file as it was).
import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, chmod, rm } from 'node:fs/promises'
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
 * A temporary file of writeSecretFile, `.<name>.<pid>-<random>.tmp`, and those of earlier versions
 * that named their process (`.<ms>-<pid>.tmp`): the pid tells whether its writer may still run.
 */
const TEMPORARY = /^\..+\.(\d+)-[0-9a-f]{12}\.tmp$/
const EARLIER_TEMPORARY = /^\.\d+-(\d+)\.tmp$/

/**
 * Writes `data` to `path` with mode 0600 via a temporary file of its own (two files saved at the
 * same moment never share one), fsync and rename. On failure the temporary file is removed and
 * `path` is as it was; a full disk is STORAGE_UNAVAILABLE, naming the file. A SIGKILL or a power
 * cut leaves the temporary file, which removeLeftoverTemporaries takes at the next start.
 */
export async function writeSecretFile (path: string, data: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeSyncedFile(temporary, data)
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    if (!isDiskFull(error)) throw error
    throw new CausetteError('STORAGE_UNAVAILABLE', `the disk is full: ${basename(path)} was not saved and is as it was; free some space, then try again`, { cause: error })
  }
}

/**
 * Removes the temporary files in `dir` that writeSecretFile left when its process died mid-write
 * (a SIGKILL, a power cut): those of a process that no longer runs. A process that runs beside the
 * node (`causette token rotate`, the old node watching an update's trial) keeps its own. Gives the
 * names removed; a folder that does not exist has none.
 */
export async function removeLeftoverTemporaries (dir: string, isAlive: (pid: number) => boolean): Promise<string[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => { if (error.code === 'ENOENT') return []; throw error })
  const leftovers = names.filter(name => {
    const pid = Number((TEMPORARY.exec(name) ?? EARLIER_TEMPORARY.exec(name))?.[1])
    return Number.isSafeInteger(pid) && pid !== process.pid && !isAlive(pid)
  })
  for (const name of leftovers) await rm(join(dir, name), { force: true })
  return leftovers
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
