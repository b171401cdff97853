// The workspace as one service for the node: open the log before the libp2p host exists (its gater
// needs it), then start the protocols on the host. What the node wires, in the order it wires it:
//
//   const ws = await WorkspaceService.open({ db: db.membership, device })
//   if (joinCode !== undefined) await ws.join(joinCode)
//   const host = await createLibp2p({ ..., connectionGater: ws.gater() })
//   ws.useAddresses(() => host.getMultiaddrs())
//   await host.handle(MESSAGE_PROTOCOL, ws.membersOnly(messageHandler))   // every causette handler
//   await ws.start(host, limited)                                         // join + members protocols, limited
//   ws.membership.onChange(change => { ...journal it; on 'remove', rotate group keys... })
import type { ConnectionGater, StreamHandler } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { AbstractSublevel } from 'abstract-level'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import type { HandlerLimit } from '../protocol/stream-limiter.js'
import { handleAdmissionStream } from '../protocol/workspace-admission.js'
import { handleInviteStream } from '../protocol/workspace-invite.js'
import { handleJoinStream } from '../protocol/workspace-join.js'
import { MAX_ADMISSION_FRAME_BYTES, MAX_ADMISSION_STREAMS_PER_CONNECTION, MAX_ENTRIES_FRAME_BYTES, MAX_JOIN_STREAMS_PER_CONNECTION, MAX_STRANGER_CONNECTIONS } from '../protocol/workspace-limits.js'
import { ADMISSION_PROTOCOL, INVITE_PROTOCOL, JOIN_PROTOCOL } from '../protocol/protocol-ids.js'
import { membershipGater, membersOnly } from './gater.js'
import { InviteProofs } from './invite-proof.js'
import { joinWorkspace, previewInvite, type InvitePreview } from './join.js'
import { JoinOffers } from './join-offers.js'
import { JoinRequests } from './join-requests.js'
import type { ForkRecord } from './fork.js'
import { Membership, type WorkspaceInfo } from './membership.js'
import { MembershipReplicator, type ReplicatorHost } from './replicator.js'
import { Workspace, type LocalDevice } from './workspace.js'

export interface WorkspaceServiceInit {
  /** A sublevel of the profile's database for the membership log alone. */
  db: AbstractSublevel<any, any, any, any>
  device: LocalDevice
  now?: () => number
  /**
   * Whether a node that belongs to no workspace yet accepts any peer (the behaviour before
   * workspaces existed). Default false: such a node connects to no one until it creates or joins one.
   */
  openWithoutWorkspace?: boolean
  /** Every refusal, ours or a peer's (join, sync, a non-member's stream): for logs, events and tests. */
  refused?: (peer: string, code: string, message: string) => void
  log?: (format: string, ...args: unknown[]) => void
}

export type ServiceHost = ReplicatorHost

export class WorkspaceService {
  readonly membership: Membership
  readonly workspace: Workspace
  /** This device's PeerId. */
  readonly peerId: string
  readonly #init: WorkspaceServiceInit
  #addresses: () => Multiaddr[] = () => []
  #host: ServiceHost | undefined
  #replicator: MembershipReplicator | undefined
  #unsubscribeFork: (() => void) | undefined
  readonly #joinedListeners = new Set<() => void>()
  readonly #admissionListeners = new Set<() => void>()
  /** Admitting desks over the network: the admin's side, and this desk's while it is in no workspace. */
  readonly joinRequests: JoinRequests
  readonly joinOffers: JoinOffers

  private constructor (init: WorkspaceServiceInit, membership: Membership) {
    this.#init = init
    this.membership = membership
    this.peerId = ed25519PeerId(init.device.publicKey)
    this.workspace = new Workspace({ membership, device: init.device, addresses: () => this.#addresses(), proofs: new InviteProofs(init.db) }, init.now === undefined ? {} : { now: init.now })
    const now = init.now ?? Date.now
    const connection = (peer: string): Connection | undefined => this.#host?.getConnections(peerIdFromString(peer)).find(c => c.status === 'open')
    const changed = (): void => { this.#admissionChanged() }
    this.joinRequests = new JoinRequests({ membership, workspace: this.workspace, device: init.device, connection, now, changed, ...(init.log !== undefined ? { log: init.log } : {}) })
    this.joinOffers = new JoinOffers({ membership, device: init.device, connection, now, changed, joined: () => { for (const listener of this.#joinedListeners) listener() } })
    // Joining with an invite code, or a desk admitted by another admin, changes both lists too.
    membership.onChange(changed)
  }

  static async open (init: WorkspaceServiceInit): Promise<WorkspaceService> {
    return new WorkspaceService(init, await Membership.open({ db: init.db, ...(init.now !== undefined ? { now: init.now } : {}) }))
  }

  /** Was this device removed from its workspace (on any branch this node has seen)? Then it connects to no one. */
  get removed (): boolean { return this.membership.isRemoved(this.peerId) }

  /** May this peer use our protocols? A member (unless we were removed); or anyone, without a workspace, if so configured. */
  readonly allowed = (peerId: string): boolean =>
    this.membership.log === undefined ? this.#init.openWithoutWorkspace === true : !this.removed && this.membership.isMember(peerId)

  /**
   * For createLibp2p: members only, plus, inbound, our own invitees (for the join protocol) and
   * removed devices (to be told of their removal, then let go: MembershipReplicator).
   */
  gater (): ConnectionGater {
    return membershipGater(this.allowed, {
      allowPending: peer => this.workspace.isInvitee(peer) || (!this.removed && this.membership.removedAt(peer) !== undefined) || this.#roomForStranger(peer)
    })
  }

  /**
   * An admin lets a desk in no workspace connect, to be listed as wanting to join: it reaches the
   * admission protocol alone (every other handler is `membersOnly`), and at most
   * MAX_STRANGER_CONNECTIONS such desks are connected at once.
   */
  #roomForStranger (peer: string): boolean {
    const log = this.membership.log
    if (log === undefined || this.removed || log.member(this.#init.device.publicKey)?.role !== 'admin' || this.membership.isRemoved(peer)) return false
    const strangers = new Set(this.#host?.getConnections().map(c => c.remotePeer.toString()).filter(p => !this.allowed(p)))
    return strangers.has(peer) || strangers.size < MAX_STRANGER_CONNECTIONS
  }

  /** Asks every desk connected now that is not a member who it is (after creating a workspace). */
  solicitConnected (): void {
    for (const connection of this.#host?.getConnections() ?? []) this.#solicit(connection)
  }

  #solicit (connection: Connection): void {
    void this.joinRequests.connected(connection).catch(error => {
      this.#init.log?.('could not ask %p whether it wants to join: %e', connection.remotePeer, error)
    })
  }

  readonly #onConnection = (event: CustomEvent<Connection>): void => { this.#solicit(event.detail) }

  /** Wraps a causette protocol handler: a non-member's stream (an invitee's) is aborted unread. */
  membersOnly (handler: StreamHandler): StreamHandler {
    return membersOnly(this.allowed, handler, peer => { this.#init.refused?.(peer, 'MEMBERSHIP_NOT_MEMBER', 'a protocol stream from a peer that is not a member') })
  }

  /** This desk was just admitted over the network (join-offers.ts): the node greets the members it is connected to. */
  onJoined (listener: () => void): () => void {
    this.#joinedListeners.add(listener)
    return () => { this.#joinedListeners.delete(listener) }
  }

  /** The desks asking to join, or the admins admitting this desk, changed (read them again: `list()`). */
  onAdmissionChanged (listener: () => void): () => void {
    this.#admissionListeners.add(listener)
    return () => { this.#admissionListeners.delete(listener) }
  }

  #admissionChanged (): void {
    for (const listener of this.#admissionListeners) listener()
  }

  /** A desk that leaves the network leaves the lists. */
  readonly #onDisconnect = (): void => { this.#admissionChanged() }

  /** The addresses invite codes carry (the host's, once it exists). */
  useAddresses (addresses: () => Multiaddr[]): void {
    this.#addresses = addresses
  }

  /**
   * Joins with an invite code (before or after the host starts: it uses a host of its own).
   * `accepted`: told once the inviting computer accepted a connection (join.ts).
   */
  async join (code: string, signal?: AbortSignal, accepted?: () => void): Promise<WorkspaceInfo> {
    return await joinWorkspace({ code, device: this.#init.device, membership: this.membership, ...(this.#init.now !== undefined ? { now: this.#init.now } : {}), ...(signal === undefined ? {} : { signal }), ...(accepted === undefined ? {} : { accepted }) })
  }

  /** What an invite code invites to, asked of the inviting node (its own host, as join; `accepted` as there). */
  async previewInvite (code: string, signal?: AbortSignal, accepted?: () => void): Promise<InvitePreview> {
    return await previewInvite(code, signal, accepted)
  }

  /** Registers the invite, join and members protocols, each handler wrapped by `limit` (the node's per-peer limits). */
  async start (host: ServiceHost, limit: HandlerLimit = (_, handler) => handler): Promise<void> {
    this.#host = host
    const refused = this.#init.refused
    await host.handle(JOIN_PROTOCOL, limit(JOIN_PROTOCOL, (stream, connection) => handleJoinStream(stream, connection, {
      admit: async (proof, key) => await this.workspace.admit(proof, key),
      ...(refused !== undefined ? { refused } : {})
    })), { maxInboundStreams: MAX_JOIN_STREAMS_PER_CONNECTION })
    await host.handle(INVITE_PROTOCOL, limit(INVITE_PROTOCOL, (stream, connection) => handleInviteStream(stream, connection, {
      show: async key => await this.workspace.showInvite(key),
      ...(refused !== undefined ? { refused } : {})
    })), { maxInboundStreams: MAX_JOIN_STREAMS_PER_CONNECTION })
    // Reachable by strangers (not membersOnly): a member's request is refused by both sides' logic.
    await host.handle(ADMISSION_PROTOCOL, limit(ADMISSION_PROTOCOL, (stream, connection) => handleAdmissionStream(stream, connection, {
      frameLimit: () => this.membership.log === undefined ? MAX_ENTRIES_FRAME_BYTES : MAX_ADMISSION_FRAME_BYTES,
      answer: async (from, message, entries) => this.membership.log === undefined
        ? await this.joinOffers.answer(from, message, entries)
        : await this.joinRequests.answer(from, message)
    })), { maxInboundStreams: MAX_ADMISSION_STREAMS_PER_CONNECTION })
    host.addEventListener('connection:open', this.#onConnection)
    host.addEventListener('peer:disconnect', this.#onDisconnect)
    this.#replicator = new MembershipReplicator({ host: withLimit(host, limit), membership: this.membership, self: this.peerId, ...(refused !== undefined ? { refused } : {}), ...(this.#init.log !== undefined ? { log: this.#init.log } : {}) })
    await this.#replicator.start()
    this.#unsubscribeFork = this.membership.onFork(fork => { void this.#rebase(fork) })
    // A fork lost just before a stop or a crash: what was not signed again yet is, now.
    for (const fork of this.membership.forks()) void this.#rebase(fork)
  }

  /** After a fork we lost: our own dropped entries, signed again on the winner (nothing of ours is lost). */
  async #rebase (fork: ForkRecord): Promise<void> {
    if (fork.rebased) return
    try {
      const count = await this.workspace.reapply(fork.droppedEntries)
      await this.membership.markRebased(fork)
      this.#init.log?.('membership fork at entry %d: switched to the other branch, %d entries of ours signed again', fork.seq, count)
    } catch (error) {
      this.#init.log?.('could not sign our dropped entries again: %s', (error as Error).message)
    }
  }

  async stop (): Promise<void> {
    this.#unsubscribeFork?.()
    await this.#replicator?.stop()
    this.#host?.removeEventListener('connection:open', this.#onConnection)
    this.#host?.removeEventListener('peer:disconnect', this.#onDisconnect)
    await this.#host?.unhandle(JOIN_PROTOCOL)
    await this.#host?.unhandle(INVITE_PROTOCOL)
    await this.#host?.unhandle(ADMISSION_PROTOCOL)
  }
}

/** The host as the replicator sees it: every handler it registers goes through `limit`. */
function withLimit (host: ServiceHost, limit: HandlerLimit): ServiceHost {
  return {
    handle: async (protocol, handler, options) => { await host.handle(protocol, limit(String(protocol), handler), options) },
    unhandle: async (protocol, options) => { await host.unhandle(protocol, options) },
    getConnections: peer => host.getConnections(peer),
    hangUp: async (peer, options) => { await host.hangUp(peer, options) },
    addEventListener: host.addEventListener.bind(host),
    removeEventListener: host.removeEventListener.bind(host)
  }
}
