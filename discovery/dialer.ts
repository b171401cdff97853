// The slice of libp2p's connection manager that our discovery services use. Declared here so the
// services depend only on what they call (and tests can see exactly what that is).
import { CODE_P2P } from '@multiformats/multiaddr'
import type { AbortOptions, Connection, DialTarget, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface ConnectionDialer {
  openConnection: (target: DialTarget, options?: AbortOptions) => Promise<Connection>
  getConnections: (peerId?: PeerId) => Connection[]
}

export function isConnected (dialer: Pick<ConnectionDialer, 'getConnections'>, peerId: PeerId): boolean {
  return dialer.getConnections(peerId).some(connection => connection.status === 'open')
}

/** `address` ending in `/p2p/<peerId>`, so a dial reuses an existing connection to that peer. */
export function withPeerId (address: Multiaddr, peerId: PeerId): Multiaddr {
  const named = address.getComponents().findLast(component => component.code === CODE_P2P)?.value
  return named == null ? address.encapsulate(`/p2p/${peerId.toString()}`) : address
}
