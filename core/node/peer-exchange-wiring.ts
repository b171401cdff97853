// Peer exchange wired into the node (discovery/peer-exchange.ts, DESIGN.md §10): the
// /causette/peers/1.0.0 handler, members only, hands what a member tells us to the discovery
// service (a list it refuses counts against its sender); and each member we are connected to is told where the others can be dialled, when we
// greet it and whenever identify tells us where another member listens. A burst of connections
// (a whole office starting) makes one list per member, not one per event.
import type { Connection, PeerId } from '@libp2p/interface'
import { readPeerList, tellPeers } from '../protocol/peer-exchange.js'
import { PEERS_PROTOCOL } from '../protocol/protocol-ids.js'
import { strikeIfFrameFault } from '../protocol/stream-limiter.js'
import type { Network } from './network.js'

/** How long the events for one member are gathered into one list. */
export const PEER_LIST_DELAY_MS = 500

export interface WiredPeerExchange {
  /** Tells the member at the other end of `connection`, soon, where the others are. */
  tell: (connection: Connection) => void
  /** Registers the protocol and listens for identify; call before the host starts. */
  start: () => Promise<void>
  /** Drops the lists not yet sent. */
  stop: () => void
}

export function buildPeerExchange ({ host, ws, limited, log }: Pick<Network, 'host' | 'ws' | 'limited' | 'log'>): WiredPeerExchange {
  const exchange = host.services.peerExchange
  const scheduled = new Map<string, ReturnType<typeof setTimeout>>()
  let stopped = false

  function schedule (peer: PeerId): void {
    const key = peer.toString()
    if (stopped || scheduled.has(key)) return
    scheduled.set(key, setTimeout(() => {
      scheduled.delete(key)
      void send(peer).catch(error => { log('could not tell %p where the members are: %e', peer, error) })
    }, PEER_LIST_DELAY_MS))
  }

  async function send (peer: PeerId): Promise<void> {
    const connection = host.getConnections(peer).find(open => open.status === 'open')
    if (connection === undefined || !ws.allowed(peer.toString())) return
    const peers = await exchange.listFor(connection)
    if (peers.length > 0) await tellPeers(connection, peers)
  }

  return {
    tell: connection => { schedule(connection.remotePeer) },
    start: async () => {
      await host.handle(PEERS_PROTOCOL, limited(PEERS_PROTOCOL, ws.membersOnly((stream, connection) => {
        void readPeerList(stream)
          .then(peers => { exchange.heard(connection, peers) })
          .catch(error => {
            // A list out of bounds or malformed counts against its sender, as any bad frame; a failed stream does not.
            if (strikeIfFrameFault(stream, error) !== undefined) log('refused a peer list from %p: %e', connection.remotePeer, error)
          })
      })))
      // Where a member listens is known once identify has run on its connection: tell the others.
      host.addEventListener('peer:identify', ({ detail }) => {
        if (!ws.allowed(detail.peerId.toString())) return
        for (const connection of host.getConnections()) {
          const other = connection.remotePeer
          if (connection.status === 'open' && !other.equals(detail.peerId) && ws.allowed(other.toString())) schedule(other)
        }
      })
    },
    stop: () => {
      stopped = true
      for (const timer of scheduled.values()) clearTimeout(timer)
      scheduled.clear()
    }
  }
}
