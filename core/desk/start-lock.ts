// One start at a time per profile: a person who double-clicks twice must not start two nodes (the
// second would find the profile locked and fail). The first run takes `starting.pid` in the profile
// until its node answers; a second run that finds it held by a live process waits for that node.
import { open, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { isAlive } from './process-alive.js'

export const START_LOCK_FILE = 'starting.pid'
/** A lock file still empty after this long was left by a process that died between creating and writing it. */
const EMPTY_LOCK_STALE_MS = 10_000

export interface StartLock { release: () => Promise<void> }

/** Takes the profile's start lock; undefined while another live process holds it. A dead holder's lock is taken over. */
export async function takeStartLock (profile: string): Promise<StartLock | undefined> {
  const path = join(profile, START_LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx', 0o600)
      await file.writeFile(String(process.pid))
      await file.close()
      return { release: async () => { await rm(path, { force: true }) } }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (await heldByLiveProcess(path)) return undefined
      await rm(path, { force: true })
    }
  }
  return undefined
}

/** Whether a start holds the lock now: false once the lock is gone. */
export async function startUnderWay (profile: string): Promise<boolean> {
  return await heldByLiveProcess(join(profile, START_LOCK_FILE))
}

async function heldByLiveProcess (path: string): Promise<boolean> {
  const text = await readFile(path, 'utf8').catch(() => undefined)
  if (text === undefined) return false
  if (text.trim() === '') {
    // Being written right now, or left empty by a crash.
    const age = Date.now() - (await stat(path).then(info => info.mtimeMs, () => 0))
    return age < EMPTY_LOCK_STALE_MS
  }
  const pid = Number(text.trim())
  return Number.isInteger(pid) && pid > 0 && isAlive(pid)
}
