// A lock held by a process: a file in the profile that holds its pid, created exclusively. A lock
// whose holder died is taken over; one still empty after a few seconds was left by a process that
// died between creating and writing it. The start lock (`start-lock.ts`) and the node's watcher
// (`node-watch.ts`) are each one.
import { open, readFile, rm, stat } from 'node:fs/promises'
import { isAlive } from './process-alive.js'

/** A lock file still empty after this long was left by a process that died between creating and writing it. */
const EMPTY_LOCK_STALE_MS = 10_000

export interface PidLock {
  /** Whether `path` still names this process (another process may have taken it away). */
  held: () => Promise<boolean>
  release: () => Promise<void>
}

/** Takes the lock at `path` for this process; undefined while another live process holds it. A dead holder's lock is taken over. */
export async function takePidLock (path: string): Promise<PidLock | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx', 0o600)
      await file.writeFile(String(process.pid))
      await file.close()
      return {
        held: async () => await lockHolder(path) === process.pid,
        release: async () => { if (await lockHolder(path) === process.pid) await rm(path, { force: true }) }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (await heldByLiveProcess(path)) return undefined
      await rm(path, { force: true })
    }
  }
  return undefined
}

/** The pid the lock file names, whether or not that process still runs; undefined without one. */
export async function lockHolder (path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined)
  const pid = Number(text?.trim())
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

/** Whether a live process holds the lock now (or is writing it). */
export async function heldByLiveProcess (path: string): Promise<boolean> {
  const text = await readFile(path, 'utf8').catch(() => undefined)
  if (text === undefined) return false
  if (text.trim() === '') {
    // Being written right now, or left empty by a crash.
    const age = Date.now() - (await stat(path).then(info => info.mtimeMs, () => 0))
    return age < EMPTY_LOCK_STALE_MS
  }
  const pid = await lockHolder(path)
  return pid !== undefined && isAlive(pid)
}
