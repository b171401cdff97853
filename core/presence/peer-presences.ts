// The presence of each peer, as its device last signed it, kept in memory. Accepting one refuses
// what is stale, future-dated or older than the one held (a replay); viewing one applies the
// exception for our conversation and shows a peer that is not connected as offline.
import type { PeerPresence } from '../api/schema.js'
import { PresenceError } from './errors.js'
import { MAX_PEER_PRESENCES, MAX_PRESENCE_CLOCK_SKEW_MS } from './limits.js'
import type { SignedPresence } from './signed-presence.js'

export class PeerPresences {
  readonly #byPeer = new Map<string, SignedPresence>()

  constructor (private readonly now: () => number) {}

  /** Keeps a checked presence of `peer`; throws a PresenceError (PRESENCE_STALE, PRESENCE_FUTURE) to refuse it. */
  accept (peer: string, presence: SignedPresence): void {
    const now = this.now()
    if (presence.issued < now - MAX_PRESENCE_CLOCK_SKEW_MS) throw new PresenceError('PRESENCE_STALE', `presence: signed ${Math.round((now - presence.issued) / 1000)} s ago, more than clocks may differ`)
    if (presence.issued > now + MAX_PRESENCE_CLOCK_SKEW_MS) throw new PresenceError('PRESENCE_FUTURE', `presence: signed ${Math.round((presence.issued - now) / 1000)} s in the future`)
    const held = this.#byPeer.get(peer)
    if (held !== undefined && presence.issued <= held.issued) throw new PresenceError('PRESENCE_STALE', 'presence: not newer than the one already received')
    this.#byPeer.delete(peer) // re-inserted last: the map stays ordered by arrival for eviction
    this.#byPeer.set(peer, presence)
    if (this.#byPeer.size > MAX_PEER_PRESENCES) this.#byPeer.delete(this.#byPeer.keys().next().value!)
  }

  /**
   * How `peer` appears to us, in `conversation` (our 1:1 conversation with them by default), with
   * their general status and the exceptions they shared with us, for the other conversations.
   */
  view (peer: string, connected: boolean, conversation?: string): PeerPresence {
    const presence = this.#byPeer.get(peer)
    const ended = presence === undefined || (presence.until !== null && presence.until <= this.now())
    if (ended) {
      const status = connected ? 'available' : 'offline'
      return { status, text: '', until: null, updated: presence?.issued ?? null, general: status, exceptions: [] }
    }
    const status = presence.exceptions.find(e => e.conversation === conversation)?.status ?? presence.status
    return {
      status: connected ? status : 'offline',
      text: presence.text,
      until: presence.until,
      updated: presence.issued,
      general: connected ? presence.status : 'offline',
      exceptions: connected ? presence.exceptions : []
    }
  }
}
