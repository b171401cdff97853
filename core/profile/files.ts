// The profile directory: where it is, and how secret files are written (mode 0600, atomically, so
// a crash never leaves half a key file behind).
import { mkdir, open, readFile, rename, chmod } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

export function resolveHome (explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env.CAUSETTE_HOME ?? join(homedir(), '.causette')
}

export async function ensureProfileDir (home: string): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 })
  await chmod(home, 0o700)
}

/** Writes `data` to `path` with mode 0600 via a temporary file, fsync and rename. */
export async function writeSecretFile (path: string, data: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${Date.now()}-${process.pid}.tmp`)
  await writeSyncedFile(temporary, data, 'w')
  await rename(temporary, path)
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
