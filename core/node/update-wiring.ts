// Updates wired into the node: the /causette/update/1.0.0 handler (members only, under the per-peer
// limits), an announce exchange with every member on each new connection, the update service over
// the profile's updates/ directory, its journal entries and its status events, and the update half
// of the node's API. node.ts calls wireUpdates once and spreads `api` into its NodeApi.
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
import type { UpdateApi } from './node-api.js'

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
}

export async function wireUpdates (c: UpdateWiring): Promise<{ api: UpdateApi, service: UpdateService }> {
  const openConnection = (peer: string) => {
    const connection = c.host.getConnections(peerIdFromString(peer)).find(x => x.status === 'open')
    if (connection === undefined) throw new Error(`${peer} is not connected`)
    return connection
  }
  const service = new UpdateService({
    home: c.home,
    releaseKey: c.options.releaseKey ?? builtInReleaseKey(),
    running: c.options.version ?? VERSION,
    target: c.options.target ?? TARGET,
    installer: c.options.installer ?? readyToInstall,
    self: c.self,
    workspaceId: () => c.ws.membership.workspace?.id,
    isAdmin: peer => c.ws.membership.member(peer)?.role === 'admin',
    members: () => c.ws.membership.members().map(m => ({ peerId: m.peerId, name: m.name })),
    connectedMembers: () => [...new Set(c.host.getConnections().filter(x => x.status === 'open').map(x => x.remotePeer.toString()))]
      .filter(peer => peer !== c.self.peerId && c.ws.membership.isMember(peer)),
    exchange: async (peer, ours) => await exchangeAnnounce(openConnection(peer), ours),
    chunks: (peer, request, end) => fetchChunks(openConnection(peer), request, end),
    journal: c.journal,
    changed: () => { c.events.emit({ type: 'update', update: service.status() }) },
    log: c.log,
    now: c.now
  })
  await service.start()
  await c.host.handle(UPDATE_PROTOCOL, c.limited(UPDATE_PROTOCOL, c.ws.membersOnly((stream, connection) => {
    void handleUpdateStream(stream, connection, service)
  })))
  c.host.addEventListener('connection:open', event => {
    const peer = event.detail.remotePeer.toString()
    if (c.ws.membership.isMember(peer)) void service.greet(peer).catch(error => { c.log('update: announce to %s: %e', peer, error) })
  })
  c.host.addEventListener('stop', () => { service.stop() })
  return {
    service,
    api: {
      updateStatus: async () => service.status(),
      applyUpdate: async source => { await service.apply(source); return service.status() },
      pauseUpdates: async paused => { await service.setPaused(paused); return service.status() }
    }
  }
}
