// One start at a time per profile: a person who double-clicks twice must not start two nodes (the
// second would find the profile locked and fail). The first run takes `starting.pid` in the profile
// until its node answers; a second run that finds it held by a live process waits for that node.
import { join } from 'node:path'
import { heldByLiveProcess, takePidLock, type PidLock } from './pid-lock.js'

export const START_LOCK_FILE = 'starting.pid'

/** Takes the profile's start lock; undefined while another live process holds it. A dead holder's lock is taken over. */
export async function takeStartLock (profile: string): Promise<PidLock | undefined> {
  return await takePidLock(join(profile, START_LOCK_FILE))
}

/** Whether a start holds the lock now: false once the lock is gone. */
export async function startUnderWay (profile: string): Promise<boolean> {
  return await heldByLiveProcess(join(profile, START_LOCK_FILE))
}
