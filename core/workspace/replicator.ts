// Keeps this node's membership log level with its connected members: answers /causette/members/1.0.0,
// syncs with every member that connects, pushes to every connected member after each change (so a
// change spreads hop by hop to members the admin never meets), and cuts off a removed device once it
// has been told of its removal: on the removal, and again whenever that device connects (the gater
// lets it in for that alone), so that a device that missed the news, or was away, hears it anyway.
// Refusals (a bad entry) go to `refused`. A device that learns of its own removal hangs up on
// everyone (the service's gater then lets no one in or out). After a fork, devices removed on the
// dropped branch are hung up on at once, and the outcome is pushed to every connected member; after
// one this node lost, its next exchange with each shows the branch it left, so that the winner
// records the fork even when it never saw that branch (we switched as the listener).
import { setTimeout as sleep } from 'node:timers/promises'
import type { Connection, Libp2p } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { MembershipLog } from '../../crypto/membership-log.js'
import { handleMembersStream, syncMembers, type MembersReplica } from '../protocol/workspace-sync.js'
import type { ForkRecord } from './fork.js'
import { MAX_MEMBERS_STREAMS_PER_CONNECTION, REMOVAL_NOTICE_ATTEMPTS, REMOVAL_NOTICE_RETRY_MS } from '../protocol/workspace-limits.js'
import { MEMBERS_PROTOCOL } from '../protocol/protocol-ids.js'
import type { Change, Membership } from './membership.js'
import { OneAtATime } from './one-at-a-time.js'

export type ReplicatorHost = Pick<Libp2p, 'handle' | 'unhandle' | 'getConnections' | 'hangUp' | 'addEventListener' | 'removeEventListener'>

export interface ReplicatorComponents {
  host: ReplicatorHost
  membership: Membership
  /** This node's PeerId: its own removal means leaving everyone. */
  self?: string
  /** A refusal by us or by a peer: code and message, for logs, events and tests. */
  refused?: (peer: string, code: string, message: string) => void
  log?: (format: string, ...args: unknown[]) => void
}

export class MembershipReplicator {
  readonly #components: ReplicatorComponents
  readonly #replica: MembersReplica
  // One exchange at a time per peer: the peer takes two members streams at once, no more.
  readonly #exchanges = new OneAtATime(async peer => { await this.#exchange(peer) })
  #unsubscribe: (() => void) | undefined
  #unsubscribeFork: (() => void) | undefined
  #pushScheduled = false
  /** Per peer, a branch we left, to show in our next exchange with it instead of our log. */
  readonly #branchesLeft = new Map<string, MembershipLog>()
  // The dialing side syncs a new connection (one exchange brings both logs level); a removed device
  // that connects is told and let go.
  readonly #onConnection = (event: CustomEvent<Connection>): void => {
    const connection = event.detail
    const peer = connection.remotePeer.toString()
    if (this.#components.membership.removedAt(peer) !== undefined) void this.#cutOff(peer)
    else if (connection.direction === 'outbound' && this.#components.membership.isMember(peer)) void this.#sync(peer)
  }

  constructor (components: ReplicatorComponents) {
    this.#components = components
    const m = components.membership
    this.#replica = {
      get log () { return m.log },
      isMember: peer => m.isMember(peer),
      removedAt: peer => m.removedAt(peer),
      merge: async entries => await m.merge(entries),
      ...(components.refused !== undefined ? { refused: components.refused } : {})
    }
  }

  async start (): Promise<void> {
    await this.#components.host.handle(MEMBERS_PROTOCOL, (stream, connection) => handleMembersStream(stream, connection, this.#replica), { maxInboundStreams: MAX_MEMBERS_STREAMS_PER_CONNECTION })
    this.#components.host.addEventListener('connection:open', this.#onConnection)
    this.#unsubscribe = this.#components.membership.onChange(change => { this.#changed(change) })
    this.#unsubscribeFork = this.#components.membership.onFork(fork => { this.#forked(fork) })
  }

  async stop (): Promise<void> {
    this.#unsubscribe?.()
    this.#unsubscribeFork?.()
    this.#components.host.removeEventListener('connection:open', this.#onConnection)
    await this.#components.host.unhandle(MEMBERS_PROTOCOL)
  }

  /** Syncs with every connected member now; resolves when all have answered (or failed). */
  async syncAll (): Promise<void> {
    await Promise.allSettled(this.#connectedMembers().map(async peer => { await this.#sync(peer) }))
  }

  #connectedMembers (): string[] {
    const open = this.#components.host.getConnections().filter(c => c.status === 'open').map(c => c.remotePeer.toString())
    return [...new Set(open)].filter(peer => this.#components.membership.isMember(peer))
  }

  #openConnection (peer: string): Connection | undefined {
    return this.#components.host.getConnections(peerIdFromString(peer)).find(c => c.status === 'open')
  }

  /** One exchange with the peer over an open connection; rejects if it failed or there is none. */
  async #exchange (peer: string): Promise<void> {
    const connection = this.#openConnection(peer)
    if (connection === undefined) throw new Error('not connected')
    const left = this.#branchesLeft.get(peer)
    this.#branchesLeft.delete(peer)
    await syncMembers(connection, left === undefined ? this.#replica : { ...this.#replica, log: left })
  }

  async #sync (peer: string): Promise<boolean> {
    try {
      await this.#exchanges.request(peer)
      return true
    } catch (error) {
      this.#components.log?.('membership sync with %s failed: %s', peer, (error as Error).message)
      return false
    }
  }

  #changed (change: Change): void {
    if (change.kind === 'remove' && change.peerId !== undefined) {
      if (change.peerId === this.#components.self) void this.#leaveEveryone()
      else void this.#cutOff(change.peerId)
    }
    this.#schedulePush()
  }

  /** A removal on the dropped branch holds here too: those devices (or all, if it was us) are let go now. */
  #forked (fork: ForkRecord): void {
    if (fork.switched) {
      const left = this.#components.membership.branchLeft(fork)
      for (const peer of this.#connectedMembers()) this.#branchesLeft.set(peer, left)
    }
    if (this.#components.self !== undefined && this.#components.membership.isRemoved(this.#components.self)) void this.#leaveEveryone()
    const open = new Set(this.#components.host.getConnections().map(c => c.remotePeer.toString()))
    for (const peer of open) {
      if (this.#components.membership.isRemoved(peer) && this.#components.membership.removedAt(peer) === undefined) void this.#components.host.hangUp(peerIdFromString(peer)).catch(() => {})
    }
    this.#schedulePush()
  }

  #schedulePush (): void {
    // Changes of one merge or one turn are pushed together.
    if (this.#pushScheduled) return
    this.#pushScheduled = true
    setImmediate(() => {
      this.#pushScheduled = false
      void this.syncAll()
    })
  }

  /**
   * Tells the removed device (waiting for our exchanges with it that are under way, trying again if
   * the telling fails), then closes its connections; the gater refuses it anything else from now on.
   */
  async #cutOff (peer: string): Promise<void> {
    let attempts = 0
    while (this.#openConnection(peer) !== undefined && !await this.#sync(peer) && ++attempts < REMOVAL_NOTICE_ATTEMPTS) await sleep(REMOVAL_NOTICE_RETRY_MS)
    await this.#components.host.hangUp(peerIdFromString(peer)).catch(() => {})
  }

  async #leaveEveryone (): Promise<void> {
    const peers = new Set(this.#components.host.getConnections().map(c => c.remotePeer.toString()))
    await Promise.allSettled([...peers].map(async peer => { await this.#components.host.hangUp(peerIdFromString(peer)) }))
  }
}
