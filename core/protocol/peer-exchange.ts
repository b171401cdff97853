// /causette/peers/1.0.0 on the wire (peer exchange, DESIGN.md §10): the dialer writes one PeerList,
// the listener reads it and closes; nothing is answered. The codecs and bounds stay here; whom a
// desk tells and which addresses it dials are discovery's (discovery/peer-exchange.ts).
import type { Connection, PeerInfo, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { CausetteError } from '../errors.js'
import { ask } from './ask.js'
import { framedStream } from './framed-stream.js'
import { readFrame } from './read-frame.js'
import { MAX_EXCHANGED_ADDRESSES, MAX_EXCHANGED_PEERS, MAX_PEER_LIST_BYTES, PEERS_TIMEOUT_MS } from './limits.js'
import { PEERS_PROTOCOL } from './protocol-ids.js'
import { PeerList, type PeerAddresses } from './wire.js'

const LIST_LIMITS = { peers: MAX_EXCHANGED_PEERS, peers$: { addresses: MAX_EXCHANGED_ADDRESSES } }

/** Dialer side: tells the peer at the other end of `connection` where `peers` can be dialled (the first of each bound). */
export async function tellPeers (connection: Connection, peers: readonly PeerInfo[]): Promise<void> {
  const list: PeerList = {
    peers: peers.slice(0, MAX_EXCHANGED_PEERS).map(peer => ({
      peerId: peer.id.toString(),
      addresses: peer.multiaddrs.slice(0, MAX_EXCHANGED_ADDRESSES).map(address => address.bytes)
    }))
  }
  await ask(connection, PEERS_PROTOCOL, { timeoutMs: PEERS_TIMEOUT_MS, maxFrameBytes: MAX_PEER_LIST_BYTES }, async (pb, signal) => {
    await pb.write(list, PeerList, { signal })
  })
}

/**
 * Listener side: the dialer's list, each PeerId and address parsed; throws FRAME_TOO_LARGE or BAD_FRAME
 * for a list out of bounds or malformed (the sender's fault), a stream that failed as it failed.
 */
export async function readPeerList (stream: Stream): Promise<PeerInfo[]> {
  const signal = AbortSignal.timeout(PEERS_TIMEOUT_MS)
  try {
    const list = await readFrame(framedStream(stream, MAX_PEER_LIST_BYTES), PeerList, 'peer list', { signal, limits: LIST_LIMITS })
    const peers = list.peers.map(parseEntry)
    await stream.close({ signal })
    return peers
  } catch (error) {
    stream.abort(error as Error)
    throw error
  }
}

function parseEntry (entry: PeerAddresses): PeerInfo {
  try {
    return { id: peerIdFromString(entry.peerId), multiaddrs: entry.addresses.map(bytes => multiaddr(bytes)) }
  } catch (error) {
    throw new CausetteError('BAD_FRAME', `peer list: an entry that does not parse: ${(error as Error).message}`)
  }
}
