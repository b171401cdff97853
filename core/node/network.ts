// The node on the network: the workspace service (its log decides who may connect, so it opens
// before the host) and the libp2p host with its gater, its per-peer abuse limits and the message
// sender. Built, not started: the protocols are registered by their own parts, then the host starts.
import { TypedEventEmitter, type Logger, type PeerDiscoveryEvents } from '@libp2p/interface'
import { MessageSender } from '../protocol/message-sender.js'
import type { PeerLimits } from '../protocol/peer-limits.js'
import { limitStreams, type HandlerLimit } from '../protocol/stream-limiter.js'
import { WorkspaceService } from '../workspace/service.js'
import type { NodeProfile } from './node-profile.js'
import type { NodeStores } from './node-stores.js'
import { createHost, DEFAULT_P2P_PORT, type Host } from './p2p-host.js'
import { PeerIds } from './peer-ids.js'

export interface NetworkOptions {
  listenHost?: string
  port?: number
  mdns: boolean
  peers: string[]
  /** An invite code to join with before the host exists. */
  join?: string
  now: () => number
  /** Told of a connection flood (the daemon's stderr). */
  warn?: (line: string) => void
}

export interface Network {
  ws: WorkspaceService
  host: Host
  sender: MessageSender
  /** The per-peer abuse limits (core/protocol/peer-limits.ts). */
  limits: PeerLimits
  /** Wraps a causette handler in the per-peer limits. */
  limited: HandlerLimit
  log: Logger
  /** A desk in our workspace with an open connection: connected for messaging. */
  isConnected: (peer: string) => boolean
  /** Members we carry for and who carry for us; without a workspace, the peers we know. */
  isMember: (peer: string) => boolean
  addresses: () => string[]
  /** Where the auto-dialer is told of colleagues met before (remembered-addresses.ts), as of an mDNS answer. */
  remembered: TypedEventEmitter<PeerDiscoveryEvents>
}

export async function openNetwork (profile: NodeProfile, { db, contacts }: Pick<NodeStores, 'db' | 'contacts'>, options: NetworkOptions): Promise<Network> {
  const { keys, device } = profile
  const ws = await WorkspaceService.open({
    db: db.membership,
    // The name as it is when the device creates or joins a workspace (it may be renamed first).
    device: { publicKey: keys.device.publicKey, sign: device.sign, identityKey: keys.identity.publicKey, prekeyId: keys.prekey.id, prekey: keys.prekey.publicKey, get name () { return profile.settings.name } },
    // A node in no workspace yet stays open as before; members refuse it all the same.
    openWithoutWorkspace: true,
    now: options.now
  })
  if (options.join !== undefined) await ws.join(options.join)
  const remembered = new TypedEventEmitter<PeerDiscoveryEvents>()
  const host: Host = await createHost({
    connectionGater: ws.gater(),
    wanted: ws.allowed,
    deviceSeed: keys.device.seed,
    listenHost: options.listenHost ?? '0.0.0.0',
    port: options.port ?? DEFAULT_P2P_PORT,
    mdns: options.mdns,
    peers: options.peers,
    sightings: [remembered]
  })
  ws.useAddresses(() => host.getMultiaddrs())
  // Every causette handler goes through the per-peer abuse limits (core/protocol/peer-limits.ts).
  const limits = host.services.limits
  limits.inbound.onFlood(message => { options.warn?.(message) })
  const peerIds = new PeerIds()
  const hasOpenConnection = (peer: string): boolean => host.getConnections(peerIds.of(peer)).some(connection => connection.status === 'open')
  return {
    ws,
    host,
    sender: new MessageSender(host),
    limits,
    limited: (protocol, handler) => limitStreams(handler, { protocol, limits }),
    log: host.logger.forComponent('causette:node'), // DEBUG=causette:* shows it
    // A desk not in our workspace is not connected for messaging, even over a connection kept since before it.
    isConnected: peer => ws.allowed(peer) && hasOpenConnection(peer),
    isMember: peer => peer !== device.peerId && (ws.membership.workspace !== undefined ? ws.membership.isMember(peer) : contacts.get(peer) !== undefined),
    addresses: () => host.getMultiaddrs().map(address => address.toString()),
    remembered
  }
}
