// Updates wired into the node: the /causette/update/1.0.0 handler (members only, under the per-peer
// limits), an announce exchange with every member on each new connection, the update service over
// the profile's updates/ directory, its journal entries and its status events, and the update half
// of the node's API. Built with the other parts; started (protocol, listeners) before the host starts.
import type { Libp2p } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Signer } from '../../crypto/signing.js'
import type { JournalEntry } from '../journal/entry.js'
import { UPDATE_PROTOCOL } from '../protocol/protocol-ids.js'
import type { HandlerLimit } from '../protocol/stream-limiter.js'
import { exchangeAnnounce, fetchChunks, handleUpdateStream } from '../protocol/update-protocol.js'
import { TARGET, VERSION } from '../runtime/build-info.js'
import { readyToInstall, type ReleaseInstaller } from '../update/installer.js'
import { builtInReleaseKey } from '../update/release-key.js'
import { UpdateService } from '../update/service.js'
import type { WorkspaceService } from '../workspace/service.js'
import type { EventLog } from './events.js'
import { memberName, type NameContext } from './views.js'
import type { UpdateApi } from '../api/node-api.js'

/** NodeOptions.update: what a packaged build, h/swap's wiring or a test gives the update service. */
export interface UpdateOptions {
  /** The release key (note verifier key); default release-key.ts's built-in one. Tests pass their own. */
  releaseKey?: string
  /** This node's version and target; default build-info's VERSION and TARGET. */
  version?: string
  target?: string
  /** Takes a verified release for this node's target; default: keep it ready to install (a run from source). */
  installer?: ReleaseInstaller
}

export interface UpdateWiring {
  home: string
  host: Libp2p
  ws: WorkspaceService
  self: { peerId: string, deviceKey: Uint8Array, sign: Signer }
  limited: HandlerLimit
  journal: (entry: JournalEntry) => Promise<void>
  events: EventLog
  log: (format: string, ...args: unknown[]) => void
  now: () => number
  options: UpdateOptions
  /** How the desks' people are named: as they go by now. */
  names: NameContext
}

export interface WiredUpdates {
  api: UpdateApi
  service: UpdateService
  /** Starts the service, registers the protocol and the announce on each new connection. */
  start: () => Promise<void>
  /** Stops fetching and handing over; what is under way ends at its next step. */
  stop: () => void
}

export function buildUpdates (components: UpdateWiring): WiredUpdates {
  const openConnection = (peer: string) => {
    const connection = components.host.getConnections(peerIdFromString(peer)).find(x => x.status === 'open')
    if (connection === undefined) throw new Error(`${peer} is not connected`)
    return connection
  }
  const service = new UpdateService({
    home: components.home,
    releaseKey: components.options.releaseKey ?? builtInReleaseKey(),
    running: components.options.version ?? VERSION,
    target: components.options.target ?? TARGET,
    installer: components.options.installer ?? readyToInstall,
    self: components.self,
    workspaceId: () => components.ws.membership.workspace?.id,
    isAdmin: peer => components.ws.membership.member(peer)?.role === 'admin',
    members: () => components.ws.membership.members().map(m => ({ peerId: m.peerId, name: memberName(components.names, m) })),
    connectedMembers: () => [...new Set(components.host.getConnections().filter(x => x.status === 'open').map(x => x.remotePeer.toString()))]
      .filter(peer => peer !== components.self.peerId && components.ws.membership.isMember(peer)),
    exchange: async (peer, ours) => await exchangeAnnounce(openConnection(peer), ours),
    chunks: (peer, request, end) => fetchChunks(openConnection(peer), request, end),
    journal: components.journal,
    changed: () => { components.events.emit({ type: 'update', update: service.status() }) },
    log: components.log,
    now: components.now
  })
  const greet = (peer: string): void => { void service.greet(peer).catch(error => { components.log('update: announce to %s: %e', peer, error) }) }
  const connected = (peer: string): boolean => components.host.getConnections(peerIdFromString(peer)).some(connection => connection.status === 'open')
  let unsubscribe: (() => void) | undefined
  async function start (): Promise<void> {
    await service.start()
    await components.host.handle(UPDATE_PROTOCOL, components.limited(UPDATE_PROTOCOL, components.ws.membersOnly((stream, connection) => {
      void handleUpdateStream(stream, connection, service)
    })))
    components.host.addEventListener('connection:open', event => {
      const peer = event.detail.remotePeer.toString()
      if (components.ws.membership.isMember(peer)) greet(peer)
    })
    // A desk admitted on the network keeps the connection it asked over: no new connection greets it,
    // and its version stayed unknown (the Updates panel said "not heard from") until the next one.
    unsubscribe = components.ws.membership.onChange(change => {
      if (change.kind === 'admit' && change.peerId !== undefined && change.peerId !== components.self.peerId && connected(change.peerId)) greet(change.peerId)
    })
  }

  return {
    service,
    start,
    stop: () => { unsubscribe?.(); service.stop() },
    api: {
      updateStatus: async () => service.status(),
      applyUpdate: async source => { await service.apply(source); return service.status() },
      pauseUpdates: async paused => { await service.setPaused(paused); return service.status() }
    }
  }
}
