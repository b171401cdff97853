// At most one catch-up answer per peer every SYNC_INTERVAL_MS (docs/SECURITY.md, "Abuse limits").
// An answer reads every message of each conversation it names that the peer may lack: a member
// asking again and again, ten streams a second, kept a colleague's CPU busy (a channel of 5,000
// messages cost about 0.1 s of CPU per request). A request that comes sooner waits its turn, well
// within the asker's deadline (a node restarted at once still catches up); one that waits is given
// up for a newer one (SYNC_TOO_SOON), which finds what it would have found.
import { CausetteError } from '../errors.js'
import { SYNC_INTERVAL_MS } from './limits.js'
import type { SyncResponder } from './sync-protocol.js'

export function pacedResponder (responder: SyncResponder, now: () => number = Date.now): SyncResponder {
  /** Peer → when its last answer began; only those within the interval are kept. */
  const began = new Map<string, number>()
  /** Peer → how to give up its request waiting its turn (at most one). */
  const waiting = new Map<string, () => void>()

  /** Resolves when `peer` may be answered; false if a newer request took its turn meanwhile. */
  async function turn (peer: string): Promise<boolean> {
    const wait = (began.get(peer) ?? -Infinity) + SYNC_INTERVAL_MS - now()
    if (wait <= 0) return true
    waiting.get(peer)?.()
    return await new Promise<boolean>(resolve => {
      const timer = setTimeout(() => { waiting.delete(peer); resolve(true) }, wait)
      waiting.set(peer, () => { clearTimeout(timer); resolve(false) })
    })
  }

  return {
    answer: async (peer, request) => {
      if (!await turn(peer)) throw new CausetteError('SYNC_TOO_SOON', 'a newer catch-up request of this peer took its turn')
      const at = now()
      for (const [known, time] of began) if (at - time >= SYNC_INTERVAL_MS) began.delete(known)
      began.set(peer, at)
      return await responder.answer(peer, request)
    }
  }
}
