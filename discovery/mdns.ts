// LAN discovery by multicast DNS, with our settings. @libp2p/mdns announces every private address,
// loopback included: a colleague who dials our 127.0.0.1 reaches their own machine. So it sees
// our addresses through a filter that keeps only what another host can reach.
import { mdns } from '@libp2p/mdns'
import { isLinkLocal, isLoopback } from '@libp2p/utils'
import type { MulticastDNSComponents } from '@libp2p/mdns'
import type { PeerDiscovery } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface LanDiscoveryInit {
  /** How often to ask the LAN who is there; only matters when a packet was missed. */
  queryIntervalMs?: number
  /** DNS-SD service name; peers with another tag do not see each other. */
  serviceTag?: string
}

/** Our mDNS service tag: causette nodes find each other, not every libp2p program on the LAN. */
export const CAUSETTE_SERVICE_TAG = '_causette._udp.local'

export function isAnnounceableOnLan (address: Multiaddr): boolean {
  return !isLoopback(address) && !isLinkLocal(address)
}

export function lanDiscovery (init: LanDiscoveryInit = {}): (components: MulticastDNSComponents) => PeerDiscovery {
  const createMdns = mdns({
    interval: init.queryIntervalMs ?? 1_000,
    serviceTag: init.serviceTag ?? CAUSETTE_SERVICE_TAG
  })
  return (components) => createMdns({
    logger: components.logger,
    addressManager: lanAddressesOnly(components.addressManager)
  })
}

// @libp2p/mdns reads our addresses through getAddresses() only; every other member is passed through.
function lanAddressesOnly (addressManager: MulticastDNSComponents['addressManager']): MulticastDNSComponents['addressManager'] {
  return new Proxy(addressManager, {
    get (target, property) {
      if (property === 'getAddresses') return () => target.getAddresses().filter(isAnnounceableOnLan)
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    }
  })
}
