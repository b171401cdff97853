// Keeps this node's membership log level with its connected members: answers /causette/members/1.0.0,
// syncs with every member that connects, pushes to every connected member after each change (so a
// change spreads hop by hop to members the admin never meets), and disconnects a removed device
// once it has been told of its removal. Refusals (a fork, a bad entry) go to `refused`.
import type { Connection, Libp2p } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { handleMembersStream, syncMembers, type MembersReplica } from '../protocol/workspace-sync.js'
import { MAX_MEMBERS_STREAMS_PER_CONNECTION, MEMBERS_PROTOCOL } from '../protocol/workspace-limits.js'
import type { Change, Membership } from './membership.js'

export type ReplicatorHost = Pick<Libp2p, 'handle' | 'unhandle' | 'getConnections' | 'hangUp' | 'addEventListener' | 'removeEventListener'>

export interface ReplicatorComponents {
  host: ReplicatorHost
  membership: Membership
  /** A refusal by us or by a peer: code and message, for logs, events and tests. */
  refused?: (peer: string, code: string, message: string) => void
  log?: (format: string, ...args: unknown[]) => void
}

export class MembershipReplicator {
  readonly #c: ReplicatorComponents
  readonly #replica: MembersReplica
  #unsubscribe: (() => void) | undefined
  #pushScheduled = false
  // The dialing side syncs a new connection (one exchange brings both logs level).
  readonly #onConnection = (event: CustomEvent<Connection>): void => {
    const connection = event.detail
    if (connection.direction === 'outbound' && this.#c.membership.isMember(connection.remotePeer.toString())) void this.#sync(connection)
  }

  constructor (components: ReplicatorComponents) {
    this.#c = components
    const m = components.membership
    this.#replica = {
      get log () { return m.log },
      isMember: peer => m.isMember(peer),
      merge: async entries => await m.merge(entries),
      ...(components.refused !== undefined ? { refused: components.refused } : {})
    }
  }

  async start (): Promise<void> {
    await this.#c.host.handle(MEMBERS_PROTOCOL, (stream, connection) => handleMembersStream(stream, connection, this.#replica), { maxInboundStreams: MAX_MEMBERS_STREAMS_PER_CONNECTION })
    this.#c.host.addEventListener('connection:open', this.#onConnection)
    this.#unsubscribe = this.#c.membership.onChange(change => { this.#changed(change) })
  }

  async stop (): Promise<void> {
    this.#unsubscribe?.()
    this.#c.host.removeEventListener('connection:open', this.#onConnection)
    await this.#c.host.unhandle(MEMBERS_PROTOCOL)
  }

  /** Syncs with every connected member now; resolves when all have answered (or failed). */
  async syncAll (): Promise<void> {
    await Promise.allSettled(this.#memberConnections().map(async c => { await this.#sync(c) }))
  }

  #memberConnections (): Connection[] {
    const seen = new Set<string>()
    return this.#c.host.getConnections().filter(c => {
      const peer = c.remotePeer.toString()
      if (c.status !== 'open' || seen.has(peer) || !this.#c.membership.isMember(peer)) return false
      seen.add(peer)
      return true
    })
  }

  async #sync (connection: Connection): Promise<void> {
    try {
      await syncMembers(connection, this.#replica)
    } catch (error) {
      this.#c.log?.('membership sync with %p failed: %s', connection.remotePeer, (error as Error).message)
    }
  }

  #changed (change: Change): void {
    if (change.kind === 'remove' && change.peerId !== undefined) void this.#cutOff(change.peerId)
    // Changes of one merge or one turn are pushed together.
    if (this.#pushScheduled) return
    this.#pushScheduled = true
    setImmediate(() => {
      this.#pushScheduled = false
      void this.syncAll()
    })
  }

  /** Tells the removed device (best effort), then closes its connections; the gater refuses it from now on. */
  async #cutOff (peer: string): Promise<void> {
    const peerId = peerIdFromString(peer)
    const open = this.#c.host.getConnections(peerId).find(c => c.status === 'open')
    if (open !== undefined) await this.#sync(open)
    await this.#c.host.hangUp(peerId).catch(() => {})
  }
}
