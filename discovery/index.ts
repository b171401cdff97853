// Everything the node's libp2p configuration needs for finding and keeping peers:
//   const discovery = discoveryServices({ mdns: true, peers })
//   createLibp2p({ ..., peerDiscovery: discovery.peerDiscovery, services: { ...discovery.services, ... } })
import { TypedEventEmitter } from '@libp2p/interface'
import { autoDial } from './auto-dial.js'
import { lanDiscovery } from './mdns.js'
import { peerExchange } from './peer-exchange.js'
import { staticPeers } from './static-peers.js'
import type { AutoDial, AutoDialComponents, AutoDialInit } from './auto-dial.js'
import type { LanDiscoveryInit } from './mdns.js'
import type { PeerExchange, PeerExchangeComponents } from './peer-exchange.js'
import type { StaticPeers, StaticPeersComponents, StaticPeersInit } from './static-peers.js'
import type { MulticastDNSComponents } from '@libp2p/mdns'
import type { PeerDiscovery, PeerDiscoveryEvents, TypedEventTarget } from '@libp2p/interface'

export interface DiscoveryOptions {
  /** Multicast DNS on the LAN. Only ever true on a real LAN or inside a test's network namespace. */
  mdns: boolean
  /** `--peer` multiaddrs, with or without /p2p/<id>. */
  peers: readonly string[]
  /** Whether a discovered PeerId is worth any work (a workspace member); default: everyone. */
  wanted?: (peerId: string) => boolean
  /** More sources whose every `peer` event is a sighting the auto-dialer acts on (tests). */
  sightings?: Array<TypedEventTarget<PeerDiscoveryEvents>>
  lan?: Omit<LanDiscoveryInit, 'wanted'>
  autoDial?: Omit<AutoDialInit, 'sightings' | 'wanted'>
  staticPeers?: Omit<StaticPeersInit, 'addresses'>
}

export interface DiscoveryConfig {
  peerDiscovery: Array<(components: MulticastDNSComponents) => PeerDiscovery>
  services: {
    autoDial: (components: AutoDialComponents) => AutoDial
    staticPeers: (components: StaticPeersComponents) => StaticPeers
    peerExchange: (components: PeerExchangeComponents) => PeerExchange
  }
}

export function discoveryServices (options: DiscoveryOptions): DiscoveryConfig {
  // Every mDNS answer, not just the first per peer, reaches the auto-dialer: that is what lets it
  // retry a failed dial and reconnect a peer that comes back.
  const sightings = new TypedEventEmitter<PeerDiscoveryEvents>()
  const wanted = options.wanted === undefined ? {} : { wanted: options.wanted }
  const peerDiscovery = options.mdns ? [reportingTo(sightings, lanDiscovery({ ...options.lan, ...wanted }))] : []
  return {
    peerDiscovery,
    services: {
      autoDial: autoDial({ ...options.autoDial, ...wanted, sightings: [sightings, ...(options.sightings ?? [])] }),
      staticPeers: staticPeers({ ...options.staticPeers, addresses: [...options.peers] }),
      // What colleagues tell of each other reaches the auto-dialer as mDNS answers do.
      peerExchange: peerExchange({ ...wanted, sightings })
    }
  }
}

function reportingTo<C> (sightings: TypedEventEmitter<PeerDiscoveryEvents>, create: (components: C) => PeerDiscovery): (components: C) => PeerDiscovery {
  return (components) => {
    const discovery = create(components)
    discovery.addEventListener('peer', event => { sightings.safeDispatchEvent('peer', { detail: event.detail }) })
    return discovery
  }
}

export { AutoDial, autoDial } from './auto-dial.js'
export { StaticPeers, staticPeers, parseStaticPeer, InvalidStaticPeerError } from './static-peers.js'
export { lanDiscovery, isAnnounceableOnLan, CAUSETTE_SERVICE_TAG } from './mdns.js'
export { LanAddressFilter, MAX_ADDRESSES_PER_PEER } from './lan-addresses.js'
export { DialBudget } from './dial-budget.js'
export { PeerExchange, peerExchange } from './peer-exchange.js'
export { diagnoseDiscovery, findDiscoveryProblems } from './diagnose.js'
export type { DiscoveryProblem, DiscoveryProblemCode, DiscoverySettings } from './diagnose.js'
export type { AutoDialInit, AutoDialComponents } from './auto-dial.js'
export type { StaticPeersInit, StaticPeersComponents } from './static-peers.js'
export type { LanDiscoveryInit } from './mdns.js'
export type { PeerExchangeComponents, PeerExchangeInit } from './peer-exchange.js'
