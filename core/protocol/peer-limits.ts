// What one peer may cost this node (docs/SECURITY.md, "Abuse limits"): inbound streams per second
// per protocol, messages per second, messages pending, connections at once. A peer over a rate is
// slowed (its reader waits); every refusal is a strike, and a peer that earns strikes faster than
// STRIKES_PER_SECOND after a burst of STRIKE_BURST is cut off: its connections are closed and the
// connection gater refuses it, both ways, for COOL_DOWN_MS. The others are never slowed by it.
import type { Connection, ConnectionGater, Libp2p, PeerId } from '@libp2p/interface'
import { CodedError } from '../../crypto/coded-error.js'
import * as limits from './limits.js'
import { monotonicNow, TokenBuckets, type TokenBucketsComponents } from './rate-limit.js'
import { UnreadBudget, type UnreadBudgetInit } from './unread-budget.js'
import { InboundPressure, type InboundPressureInit } from './inbound-pressure.js'
import type { NegotiationCounts } from './negotiation-limit.js'

export const ABUSE_ERROR_CODES = [
  'RATE_LIMITED', // a stream opened faster than the per-peer rate allows
  'TOO_MANY_CONNECTIONS', // a connection beyond MAX_CONNECTIONS_PER_PEER
  'COOLING_DOWN' // a peer cut off for abuse, refused until its cool-down ends
] as const

export type AbuseErrorCode = typeof ABUSE_ERROR_CODES[number]

export class AbuseError extends CodedError<AbuseErrorCode> {
  override name = 'AbuseError'
}

export interface PeerLimitsInit {
  streamsPerSecond?: number
  streamBurst?: number
  messagesPerSecond?: number
  messageBurst?: number
  maxPendingMessages?: number
  maxConnectionsPerPeer?: number
  strikesPerSecond?: number
  strikeBurst?: number
  coolDownMs?: number
  unread?: UnreadBudgetInit
  /** Inbound handshakes pending at once from unknown addresses, and more from known peers' (inbound-pressure.ts). */
  inbound?: InboundPressureInit
}

/** What the limits count, for logs and tests. */
export interface AbuseCounts {
  streamsRefused: number
  connectionsRefused: number
  /** Times a peer's reader had to wait for its message rate or its pending bound. */
  messagesSlowed: number
  strikes: number
  coolDowns: number
}

export type LimitedHost = Pick<Libp2p, 'getConnections' | 'addEventListener' | 'logger'>

export type RefusalListener = (peer: string, code: string, message: string) => void

export class PeerLimits {
  readonly counts: AbuseCounts = { streamsRefused: 0, connectionsRefused: 0, messagesSlowed: 0, strikes: 0, coolDowns: 0 }
  /** Unread bytes our stream handlers hold, per peer and in total (unread-budget.ts). */
  readonly unread: UnreadBudget
  /** Inbound handshakes pending, and warnings when they reach libp2p's limit. */
  readonly inbound: InboundPressure
  /** Inbound streams negotiating their protocol at once from one peer, and those refused beyond the bound (negotiation-limit.ts). */
  readonly negotiations: NegotiationCounts = { refused: 0, mostAtOnce: 0 }
  readonly #now: () => number
  readonly #streams: TokenBuckets
  readonly #messages: TokenBuckets
  readonly #strikes: TokenBuckets
  readonly #streamRate: number
  readonly #maxPending: number
  readonly #maxConnections: number
  readonly #coolDownMs: number
  readonly #coolingUntil = new Map<string, number>()
  readonly #pending = new Map<string, number>()
  readonly #pendingWaiters = new Map<string, Array<() => void>>()
  readonly #connections = new Map<string, Set<string>>()
  readonly #listeners = new Set<RefusalListener>()
  #host: LimitedHost | undefined

  constructor (init: PeerLimitsInit = {}, components: TokenBucketsComponents = {}) {
    this.#now = components.now ?? monotonicNow
    this.#streamRate = init.streamsPerSecond ?? limits.STREAMS_PER_SECOND
    this.#streams = new TokenBuckets({ ratePerSecond: this.#streamRate, burst: init.streamBurst ?? limits.STREAM_BURST }, components)
    this.#messages = new TokenBuckets({ ratePerSecond: init.messagesPerSecond ?? limits.MESSAGES_PER_SECOND, burst: init.messageBurst ?? limits.MESSAGE_BURST }, components)
    this.#strikes = new TokenBuckets({ ratePerSecond: init.strikesPerSecond ?? limits.STRIKES_PER_SECOND, burst: init.strikeBurst ?? limits.STRIKE_BURST }, components)
    this.#maxPending = init.maxPendingMessages ?? limits.MAX_PENDING_MESSAGES_PER_PEER
    this.#maxConnections = init.maxConnectionsPerPeer ?? limits.MAX_CONNECTIONS_PER_PEER
    this.#coolDownMs = init.coolDownMs ?? limits.COOL_DOWN_MS
    this.unread = new UnreadBudget(init.unread)
    this.inbound = new InboundPressure(init.inbound ?? { maxPending: limits.MAX_PENDING_HANDSHAKES, reservedForKnown: limits.HANDSHAKES_RESERVED_FOR_KNOWN }, this.#now)
  }

  /** Watches the host's connections (to bound them per peer, and to cut off a peer); logs refusals (DEBUG=causette:*). */
  attach (host: LimitedHost): void {
    this.#host = host
    const log = host.logger.forComponent('causette:limits')
    this.onRefused((peer, code, message) => { log('refused %s: %s (%s)', peer, code, message) })
    this.inbound.onFlood(message => { log.error(message) })
    host.addEventListener('connection:open', event => { this.#opened(event.detail) })
    host.addEventListener('connection:close', event => { this.#closed(event.detail) })
  }

  /** Every refusal and cut-off, with a stable code: for logs and tests. Returns an unsubscribe. */
  onRefused (listener: RefusalListener): () => void {
    this.#listeners.add(listener)
    return () => { this.#listeners.delete(listener) }
  }

  /** Wraps a connection gater: a peer in its cool-down is refused both ways, before `inner` is asked. */
  gate (inner: ConnectionGater = {}): ConnectionGater {
    const refused = (peer: PeerId): boolean => {
      if (!this.coolingDown(peer.toString())) return false
      this.counts.connectionsRefused++
      return true
    }
    return {
      ...inner,
      denyInboundConnection: async maConn => !this.inbound.admit(maConn) || (await inner.denyInboundConnection?.(maConn) ?? false),
      denyInboundUpgradedConnection: async (peer, maConn) => {
        const denied = await inner.denyInboundUpgradedConnection?.(peer, maConn) ?? false
        if (denied) this.inbound.settled(maConn)
        else this.inbound.peerAdmitted(maConn)
        return denied
      },
      denyOutboundUpgradedConnection: async (peer, maConn) => {
        const denied = await inner.denyOutboundUpgradedConnection?.(peer, maConn) ?? false
        if (!denied) this.inbound.peerAdmitted(maConn)
        return denied
      },
      denyDialPeer: async peer => refused(peer) || (await inner.denyDialPeer?.(peer) ?? false),
      denyInboundEncryptedConnection: async (peer, conn) => refused(peer) || (await inner.denyInboundEncryptedConnection?.(peer, conn) ?? false),
      denyOutboundEncryptedConnection: async (peer, conn) => refused(peer) || (await inner.denyOutboundEncryptedConnection?.(peer, conn) ?? false)
    }
  }

  coolingDown (peer: string): boolean {
    const until = this.#coolingUntil.get(peer)
    if (until === undefined) return false
    const left = until - this.#now()
    // More left than a whole cool-down: the clock went back, and the cool-down is over.
    if (left > 0 && left <= this.#coolDownMs) return true
    this.#coolingUntil.delete(peer)
    return false
  }

  /** May `peer` open one more stream of `protocol` now? Undefined if so, else why not (and a strike). */
  admitStream (peer: string, protocol: string): AbuseError | undefined {
    if (this.coolingDown(peer)) return this.#refuse(peer, new AbuseError('COOLING_DOWN', 'peer cut off for abuse, in its cool-down'), 'streamsRefused')
    if (this.#streams.tryTake(`${peer} ${protocol}`)) return undefined
    return this.#refuse(peer, new AbuseError('RATE_LIMITED', `more than ${this.#streamRate} ${protocol} streams a second`), 'streamsRefused')
  }

  /**
   * Before reading a peer's next message: undefined if it may be read now (one token taken), else a
   * promise that resolves once it may. The caller stops reading the stream meanwhile.
   */
  messageTurn (peer: string): Promise<void> | undefined {
    if ((this.#pending.get(peer) ?? 0) < this.#maxPending && this.#messages.tryTake(peer)) return undefined
    this.counts.messagesSlowed++
    return this.#waitForTurn(peer)
  }

  /** Counts a message of `peer` as pending until `settled` settles (stored or refused). */
  track (peer: string, settled: Promise<unknown>): void {
    this.#pending.set(peer, (this.#pending.get(peer) ?? 0) + 1)
    // Inline callbacks: a named closure a message cost a defineProperty under esbuild's keepNames.
    settled.then(() => { this.#settled(peer) }, () => { this.#settled(peer) })
  }

  #settled (peer: string): void {
    const left = (this.#pending.get(peer) ?? 1) - 1
    if (left === 0) this.#pending.delete(peer)
    else this.#pending.set(peer, left)
    const waiters = this.#pendingWaiters.get(peer)
    waiters?.shift()?.()
    if (waiters?.length === 0) this.#pendingWaiters.delete(peer)
  }

  /** A refusal earned by `peer` (a bad frame, a refused stream or connection); too many cut it off. */
  strike (peer: string, code: string, message: string): void {
    this.counts.strikes++
    for (const listener of this.#listeners) listener(peer, code, message)
    if (!this.#strikes.tryTake(peer) && !this.coolingDown(peer)) this.#coolDown(peer)
  }

  async #waitForTurn (peer: string): Promise<void> {
    while ((this.#pending.get(peer) ?? 0) >= this.#maxPending) {
      await new Promise<void>(resolve => {
        const waiters = this.#pendingWaiters.get(peer) ?? []
        waiters.push(resolve)
        this.#pendingWaiters.set(peer, waiters)
      })
    }
    await this.#messages.take(peer)
  }

  #refuse (peer: string, error: AbuseError, count: 'streamsRefused' | 'connectionsRefused'): AbuseError {
    this.counts[count]++
    this.strike(peer, error.code, error.message)
    return error
  }

  #opened (connection: Connection): void {
    const peer = connection.remotePeer.toString()
    const ids = this.#connections.get(peer) ?? new Set<string>()
    ids.add(connection.id)
    this.#connections.set(peer, ids)
    if (connection.direction !== 'inbound') return
    const error = this.coolingDown(peer)
      ? new AbuseError('COOLING_DOWN', 'peer cut off for abuse, in its cool-down')
      : ids.size > this.#maxConnections ? new AbuseError('TOO_MANY_CONNECTIONS', `more than ${this.#maxConnections} connections at once`) : undefined
    if (error === undefined) return
    connection.abort(this.#refuse(peer, error, 'connectionsRefused'))
  }

  #closed (connection: Connection): void {
    const peer = connection.remotePeer.toString()
    const ids = this.#connections.get(peer)
    ids?.delete(connection.id)
    if (ids?.size === 0) this.#connections.delete(peer)
  }

  #coolDown (peer: string): void {
    const now = this.#now()
    for (const [other, until] of this.#coolingUntil) if (until <= now) this.#coolingUntil.delete(other)
    this.#coolingUntil.set(peer, now + this.#coolDownMs)
    this.counts.coolDowns++
    const error = new AbuseError('COOLING_DOWN', `cut off for ${this.#coolDownMs / 1000} s after too many refusals`)
    for (const listener of this.#listeners) listener(peer, error.code, error.message)
    for (const connection of this.#host?.getConnections() ?? []) {
      if (connection.remotePeer.toString() === peer) connection.abort(error)
    }
  }
}
