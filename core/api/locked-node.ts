// The node a start opened with nobody to type its profile's passphrase (login, the menu entry, a
// double-click): its API serves the app and POST /unlock until someone types it there. The caller
// (core/node/locked-start.ts) opens the profile and starts the node; the API swaps to the started
// node's routes (server.ts).
import { CausetteError } from '../errors.js'
import type { NodeApi } from './node-api.js'

export interface LockedNode {
  /** The profile directory, shown on the unlock screen. */
  profile: string
  /** The display name saved in the profile's settings (readable without the key), null if none. */
  name: string | null
  /** Opens the profile with this passphrase and starts the node; PASSPHRASE_WRONG leaves it locked. */
  unlock: (passphrase: string) => Promise<NodeApi>
}

/**
 * One attempt at a time: each one is an Argon2id derivation (256 MiB, about 0.4 s), so attempts side
 * by side would multiply the memory and the guessing rate. A second one meanwhile is refused, not queued.
 */
export function oneUnlockAtATime (locked: LockedNode): LockedNode {
  let busy = false
  return {
    ...locked,
    unlock: async passphrase => {
      if (busy) throw new CausetteError('UNLOCK_BUSY', 'another unlock attempt is under way: wait for its answer')
      busy = true
      try {
        return await locked.unlock(passphrase)
      } finally {
        busy = false
      }
    }
  }
}
