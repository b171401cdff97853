// PeerIds parsed from their text once. Parsing one (base58) and the lookup by text that follows
// (libp2p's maps key it by its text, which a fresh PeerId encodes again) cost ~11 µs, and a node
// asks whether a peer is connected for every message it receives (its receipt goes now or later).
import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'

/** Peers remembered; past that the cache starts again (an office has far fewer desks). */
const MAX_REMEMBERED = 4096

export class PeerIds {
  readonly #known = new Map<string, PeerId>()

  /** The PeerId written `text`; throws as peerIdFromString does on a malformed one. */
  of (text: string): PeerId {
    let peerId = this.#known.get(text)
    if (peerId === undefined) {
      peerId = peerIdFromString(text)
      peerId.toString() // its text is kept on it from now on
      if (this.#known.size >= MAX_REMEMBERED) this.#known.clear()
      this.#known.set(text, peerId)
    }
    return peerId
  }
}
