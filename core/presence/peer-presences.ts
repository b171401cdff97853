// The presence of each peer, as its device last signed it, kept in memory with when it arrived (our
// clock) and on which connection. Nothing here needs the two clocks to agree: a presence is judged
// by the order it came in on its connection, its issued time is kept only to show the sender's
// clock, and its until is moved into our clock when the sender's is off. Viewing one applies the
// exception for our conversation and shows a peer that is not connected as offline.
import { PresenceError } from './errors.js'
import { CLOCK_JUMP_MS, CLOCK_SKEW_SHOWN_MS, MAX_PEER_PRESENCES, type PresenceStatus } from './limits.js'
import type { SignedPresence } from './signed-presence.js'

/** How a peer appears to us in one conversation (the API's PeerPresence mirrors it). */
export interface PeerPresence {
  /** Their exception for the conversation, if any, else their general status; offline when not connected. */
  status: PresenceStatus
  text: string
  /** When the status ends, in our clock; null for no end. */
  until: number | null
  /** When it arrived (our clock); null if none did. */
  updated: number | null
  general?: PresenceStatus
  /** Their own status for the other conversations they share with us. */
  exceptions?: Array<{ conversation: string, status: PresenceStatus }>
}

interface HeldPresence {
  presence: SignedPresence
  /** Our clock when it arrived. */
  arrived: number
  /** The connection it came on (a new connection is a new run of the sender, or a reconnection). */
  connection: string
}

export class PeerPresences {
  readonly #byPeer = new Map<string, HeldPresence>()

  constructor (private readonly now: () => number) {}

  /**
   * Keeps a checked presence of `peer`, arrived on `connection`; throws PRESENCE_STALE for a replay:
   * on the same connection, not newer than the one held, while the sender's clock did not go back.
   * Only the device itself can send its presence (the protocol checks it is the connected peer), so
   * a replay is never a third party's: it is a late copy, which must not undo a newer status.
   */
  accept (peer: string, presence: SignedPresence, connection: string): void {
    const arrived = this.now()
    const held = this.#byPeer.get(peer)
    if (held !== undefined && isReplay(held, presence, arrived, connection)) throw new PresenceError('PRESENCE_STALE', 'presence: not newer than the one already received on this connection')
    this.#byPeer.delete(peer) // re-inserted last: the map stays ordered by arrival for eviction
    this.#byPeer.set(peer, { presence, arrived, connection })
    if (this.#byPeer.size > MAX_PEER_PRESENCES) this.#byPeer.delete(this.#byPeer.keys().next().value!)
  }

  /**
   * How `peer` appears to us, in `conversation` (our 1:1 conversation with them by default), with
   * their general status and the exceptions they shared with us, for the other conversations.
   */
  view (peer: string, connected: boolean, conversation?: string): PeerPresence {
    const held = this.#byPeer.get(peer)
    const until = held === undefined ? null : localUntil(held)
    const ended = held === undefined || (until !== null && until <= this.now())
    if (ended) {
      const status = connected ? 'available' : 'offline'
      return { status, text: '', until: null, updated: held?.arrived ?? null, general: status, exceptions: [] }
    }
    const { presence } = held
    const status = presence.exceptions.find(e => e.conversation === conversation)?.status ?? presence.status
    return {
      status: connected ? status : 'offline',
      text: presence.text,
      until,
      updated: held.arrived,
      general: connected ? presence.status : 'offline',
      exceptions: connected ? presence.exceptions : []
    }
  }
}

function isReplay (held: HeldPresence, presence: SignedPresence, arrived: number, connection: string): boolean {
  if (presence.issued > held.presence.issued || connection !== held.connection) return false
  const clockWentBack = (held.presence.issued - held.arrived) - (presence.issued - arrived) > CLOCK_JUMP_MS
  return !clockWentBack
}

/** The end of the status in our clock: the sender's until, moved by how far its clock is from ours when that is far. */
function localUntil ({ presence, arrived }: HeldPresence): number | null {
  if (presence.until === null) return null
  const offset = presence.issued - arrived
  return Math.abs(offset) > CLOCK_SKEW_SHOWN_MS ? presence.until - offset : presence.until
}
