// Everyone this node has discovered, kept current by `peer` events.
import type { PeerView } from '../../../core/api/schema.js'

export class People {
  #byId = $state.raw(new Map<string, PeerView>())

  /** Connected people first, then by name. */
  readonly list = $derived([...this.#byId.values()].sort((a, b) =>
    Number(b.connected) - Number(a.connected) || a.name.localeCompare(b.name)))

  get (peerId: string): PeerView | undefined {
    return this.#byId.get(peerId)
  }

  replaceAll (peers: PeerView[]): void {
    this.#byId = new Map(peers.map(peer => [peer.peerId, peer]))
  }

  upsert (peer: PeerView): void {
    this.#byId = new Map(this.#byId).set(peer.peerId, peer)
  }
}
