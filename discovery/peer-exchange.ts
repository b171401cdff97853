// Peer exchange between members (DESIGN.md §10). mDNS reaches the desks of one link only, and some
// offices' networks drop multicast (Wi-Fi that isolates its clients, several subnets or VLANs): a
// desk started with `--peer` then reaches that one colleague and no other. So when two members
// connect, each tells the other where the members it is connected to can be dialled (the node sends
// the list: core/protocol/peer-exchange.ts), and a desk hands each member it is not connected to to
// the auto-dialer as a sighting: its grace, budget and backoff apply as to an mDNS answer.
// A colleague's list may lie. Only wanted PeerIds (members) are dialled, each at no more than
// MAX_ADDRESSES_PER_PEER plain TCP addresses, every dial spends from the one dial budget, and a
// dial proves the PeerId in its Noise handshake: a wrong address costs a refused connection, no
// more (docs/SECURITY.md, "Peer exchange").
import { isConnected } from './dialer.js'
import { isDialableTcp, isLoopback, MAX_ADDRESSES_PER_PEER, withoutPeerId } from './lan-addresses.js'
import type { ConnectionDialer } from './dialer.js'
import type { Connection, PeerDiscoveryEvents, PeerId, PeerInfo, PeerStore, TypedEventEmitter } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Members told in one list, at most (the wire's bound, core/protocol/limits.ts, is the same). */
export const MAX_EXCHANGED_PEERS = 256

export interface PeerExchangeComponents {
  peerId: PeerId
  connectionManager: Pick<ConnectionDialer, 'getConnections'>
  peerStore: Pick<PeerStore, 'get'>
}

export interface PeerExchangeInit {
  /** Where each member a list names that we are not connected to is reported: the auto-dialer listens. */
  sightings: TypedEventEmitter<PeerDiscoveryEvents>
  /** Whether a PeerId is worth telling about and dialling (a workspace member); default: everyone. */
  wanted?: (peerId: string) => boolean
}

export class PeerExchange {
  readonly #components: PeerExchangeComponents
  readonly #sightings: TypedEventEmitter<PeerDiscoveryEvents>
  readonly #wanted: (peerId: string) => boolean

  constructor (components: PeerExchangeComponents, init: PeerExchangeInit) {
    this.#components = components
    this.#sightings = init.sightings
    this.#wanted = init.wanted ?? (() => true)
  }

  /** What to tell the peer at the other end of `recipient`: the wanted peers we are connected to, but it, and where it can dial them. */
  async listFor (recipient: Connection): Promise<PeerInfo[]> {
    const nearby = isLoopback(recipient.remoteAddr)
    const listed = new Map<string, PeerInfo>()
    for (const connection of this.#components.connectionManager.getConnections()) {
      const peer = connection.remotePeer
      const key = peer.toString()
      if (connection.status !== 'open' || peer.equals(recipient.remotePeer) || listed.has(key) || !this.#wanted(key)) continue
      // A loopback address leads to the peer only from its own machine: told only when the peer,
      // we and the recipient all run on it.
      const addresses = dialable({ id: peer, multiaddrs: await this.#listenAddresses(connection) }, nearby && isLoopback(connection.remoteAddr))
      if (addresses.length > 0) listed.set(key, { id: peer, multiaddrs: addresses })
      if (listed.size === MAX_EXCHANGED_PEERS) break
    }
    return [...listed.values()]
  }

  /** A list the peer at the other end of `from` told us: each wanted peer we are not connected to is sighted there. */
  heard (from: Connection, peers: readonly PeerInfo[]): void {
    const nearby = isLoopback(from.remoteAddr)
    const { peerId, connectionManager } = this.#components
    for (const peer of peers.slice(0, MAX_EXCHANGED_PEERS)) {
      if (peer.id.equals(peerId) || peer.id.equals(from.remotePeer) || !this.#wanted(peer.id.toString()) || isConnected(connectionManager, peer.id)) continue
      const addresses = dialable(peer, nearby)
      if (addresses.length > 0) this.#sightings.safeDispatchEvent('peer', { detail: { id: peer.id, multiaddrs: addresses } })
    }
  }

  /** Where a connected peer listens: the address we dialled, then those it announced through identify. */
  async #listenAddresses (connection: Connection): Promise<Multiaddr[]> {
    const dialled = connection.direction === 'outbound' ? [connection.remoteAddr] : []
    try {
      const { addresses } = await this.#components.peerStore.get(connection.remotePeer)
      return [...dialled, ...addresses.map(address => address.multiaddr)]
    } catch {
      return dialled // identify has not told us yet
    }
  }
}

/** The peer's plain TCP addresses it can listen on (none naming another PeerId), each once, at most MAX_ADDRESSES_PER_PEER. */
function dialable (peer: PeerInfo, loopback: boolean): Multiaddr[] {
  const kept = new Map<string, Multiaddr>()
  for (const address of peer.multiaddrs) {
    if (kept.size === MAX_ADDRESSES_PER_PEER) break
    const bare = withoutPeerId(address, peer)
    if (bare !== undefined && isDialableTcp(bare, { loopback })) kept.set(bare.toString(), bare)
  }
  return [...kept.values()]
}

export function peerExchange (init: PeerExchangeInit): (components: PeerExchangeComponents) => PeerExchange {
  return (components) => new PeerExchange(components, init)
}
