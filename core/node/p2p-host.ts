// The libp2p host (DESIGN.md §1): TCP, Noise, yamux, identify, ping, our discovery, and the
// connection limits that keep one noisy peer from starving the others, and the per-peer abuse
// limits (`host.services.limits`, core/protocol/peer-limits.ts) that our protocol handlers apply.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import type { ConnectionGater, PeerDiscoveryEvents, TypedEventTarget } from '@libp2p/interface'
import { createLibp2p } from 'libp2p'
import { discoveryServices } from '../../discovery/index.js'
import { MAX_STREAM_WINDOW_BYTES } from '../protocol/limits.js'
import { limitNegotiations, NegotiationBound } from '../protocol/negotiation-limit.js'
import { PeerLimits } from '../protocol/peer-limits.js'

export const DEFAULT_P2P_PORT = 7420

export interface HostOptions {
  deviceSeed: Uint8Array
  listenHost: string
  port: number
  mdns: boolean
  peers: readonly string[]
  /** Admission at the door (core/workspace/gater.ts). */
  connectionGater?: ConnectionGater
  /** Whether a discovered PeerId is worth any work (a member); others are ignored before the peer store sees them. */
  wanted?: (peerId: string) => boolean
  /** More sightings for the auto-dialer: the addresses where colleagues were met before (network.ts). */
  sightings?: Array<TypedEventTarget<PeerDiscoveryEvents>>
}

/**
 * Limits sized for an office of up to a few hundred people. A flooding host is held to
 * 5 new connections a second, each given 2 s to finish its Noise handshake, so it can keep at most
 * ~10 pending slots. Many flooding addresses together fill the 64 that our gater gives unknown
 * addresses (core/protocol/inbound-pressure.ts), never the 32 more kept for addresses where known
 * peers were seen; libp2p's own limit is above both, so that it is never the one that refuses.
 * A stream must name its protocol within 5 s, and at most MAX_NEGOTIATING_STREAMS of a connection's
 * may be doing so at once (core/protocol/negotiation-limit.ts): a shorter deadline would not lower
 * what they hold at once, a peer opens new ones as they end. maxPeerAddrsToDial keeps libp2p's 25: a peer with
 * more addresses is not dialled at all, and a developer's machine with container bridges has many.
 */
export const CONNECTION_LIMITS = {
  maxConnections: 400,
  maxIncomingPendingConnections: 128,
  inboundConnectionThreshold: 5,
  inboundUpgradeTimeout: 2_000,
  inboundStreamProtocolNegotiationTimeout: 5_000,
  dialTimeout: 5_000
}

/**
 * How often libp2p's connection monitor pings each connection (both ends do), to find a colleague
 * whose PC lost power or whose cable was pulled: a closed or crashed node is seen at once, its
 * kernel closes the socket. libp2p's default, 10 s, kept an idle desk of an office of twenty at 1.9%
 * of a core, mostly pings and the garbage collections each wake-up set off; 30 s costs 1.05%
 * (`npm run bench -- --only office`, docs/speed.md) and stays under libp2p's 2-minute socket
 * inactivity timeout, which the pings keep from closing a quiet connection.
 */
export const PING_INTERVAL_MS = 30_000

/**
 * How long a ping's answer may take before the monitor aborts the connection. libp2p's own is
 * adaptive with a 5 s floor: a desk whose CPU was starved for a few seconds (an antivirus scan, an
 * update, a laptop waking) lost its colleagues' connections, and presence flickered. 20 s lets a
 * stall of up to 20 s pass. Fixed, not adaptive: on a LAN a ping takes milliseconds, so the adaptive
 * part never reaches a floor this high, and a failed ping, which counts double in the one average all
 * connections share, would lengthen every connection's timeout towards libp2p's 60 s ceiling.
 * Below PING_INTERVAL_MS: one ping at a time per connection. Pings that overlap (a stall longer
 * than the interval) are answered together after it, and libp2p's ping protocol allows one outbound
 * stream per connection: the second is refused (TooManyOutboundProtocolStreamsError) and the monitor
 * aborts the connection all the same.
 * Nothing else finds a colleague that is gone without a word (power, cable, sleep: no FIN, no RST):
 * yamux's keepalive ping has no deadline, TCP keepalive begins after the OS's 2 hours, the socket
 * inactivity timeout counts our own pings as activity, and a message waits for its ack with no
 * deadline of its own (core/protocol/pipelined-sender.ts). So the monitor drops it, and messages go to carriers and the outbox, within
 * PING_INTERVAL_MS + PING_TIMEOUT_MS (50 s) of its going.
 */
export const PING_TIMEOUT_MS = 20_000

/** libp2p's connection monitor with the numbers above: a ping that times out or fails aborts the connection. */
export const CONNECTION_MONITOR = {
  pingInterval: PING_INTERVAL_MS,
  pingTimeout: { minTimeout: PING_TIMEOUT_MS, maxTimeout: PING_TIMEOUT_MS },
  abortConnectionOnPingFailure: true
}

/** Streams a peer may hold open on one connection, all protocols together (ours use a handful). */
export const MAX_STREAMS_PER_CONNECTION = 128

export async function createHost (options: HostOptions) {
  const privateKey = await generateKeyPairFromSeed('Ed25519', options.deviceSeed)
  const discovery = discoveryServices({
    mdns: options.mdns,
    peers: options.peers,
    ...(options.wanted === undefined ? {} : { wanted: options.wanted }),
    ...(options.sightings === undefined ? {} : { sightings: options.sightings })
  })
  const limits = new PeerLimits()
  const negotiations = new NegotiationBound(limits.negotiations, (peer, code, message) => { limits.strike(peer, code, message) })
  const host = await createLibp2p({
    // Started by the node once every handler and listener is in place: no connection or stream may come first.
    start: false,
    privateKey,
    addresses: { listen: [`/ip4/${options.listenHost}/tcp/${options.port}`] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [limitNegotiations(yamux({ maxInboundStreams: MAX_STREAMS_PER_CONNECTION, streamOptions: { maxStreamWindowSize: MAX_STREAM_WINDOW_BYTES } }), negotiations)],
    connectionManager: CONNECTION_LIMITS,
    connectionMonitor: CONNECTION_MONITOR,
    connectionGater: limits.gate(options.connectionGater),
    peerDiscovery: discovery.peerDiscovery,
    services: {
      ...discovery.services,
      identify: identify(),
      ping: ping(),
      limits: () => limits
    }
  })
  limits.attach(host)
  negotiations.attach(host)
  return host
}

export type Host = Awaited<ReturnType<typeof createHost>>
