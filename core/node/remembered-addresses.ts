// Where colleagues were met before, dialled again when the node starts. A contact keeps the
// addresses its colleague was reached at (contact-sync.ts); libp2p's own peer store lives in memory
// only. Without them, a desk restarted where multicast does not pass (Wi-Fi isolating its clients,
// several subnets) and with no --peer found no one, though it knew where everyone had been.
import type { PeerDiscoveryEvents, PeerInfo, TypedEventEmitter } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { ContactRecord } from '../store/records.js'

/**
 * Reports each contact with remembered addresses as sighted there, to the auto-dialer's `sightings`
 * (network.ts): members only, within its dial budget, as an mDNS answer. A record that does not parse is left out.
 */
export function sightRemembered (sightings: TypedEventEmitter<PeerDiscoveryEvents>, contacts: readonly ContactRecord[]): void {
  for (const contact of contacts) {
    const peer = rememberedPeer(contact)
    if (peer !== undefined) sightings.safeDispatchEvent('peer', { detail: peer })
  }
}

function rememberedPeer (contact: ContactRecord): PeerInfo | undefined {
  try {
    const id = peerIdFromString(contact.peerId)
    const multiaddrs = contact.addresses.flatMap(parsed)
    return multiaddrs.length === 0 ? undefined : { id, multiaddrs }
  } catch {
    return undefined
  }
}

function parsed (address: string): Multiaddr[] {
  try {
    return [multiaddr(address)]
  } catch {
    return []
  }
}
