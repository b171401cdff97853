// Dials peers as discovery reports them. libp2p v3 only records discovered peers; deciding when
// to connect is ours. One connection per pair: the peer with the smaller PeerId dials at once,
// the other waits `graceMs` and dials only if no connection appeared (discovery can be one-sided).
// A peer that disconnects counts as sighted at the addresses libp2p holds for it: under a flood of
// inbound connections its own way back in may be refused, ours out is not (docs/SECURITY.md,
// "Connection floods").
// A failed dial is retried with capped exponential backoff, a few times on its own (sightings can
// be a minute apart), then at the next sighting; a peer that disconnects is dialled again when seen.
// Sightings can be forged (docs/SECURITY.md, "Spoofed mDNS answers"): every address dialled spends
// from one DialBudget, peers the node does not want are ignored, and at most MAX_TRACKED_PEERS
// are remembered.
import { serviceCapabilities } from '@libp2p/interface'
import { backoffDelayMs } from './backoff.js'
import type { BackoffInit } from './backoff.js'
import { DialBudget } from './dial-budget.js'
import type { DialBudgetInit } from './dial-budget.js'
import { isConnected, withPeerId } from './dialer.js'
import type { ConnectionDialer } from './dialer.js'
import type { ComponentLogger, Libp2pEvents, Logger, PeerDiscoveryEvents, PeerId, PeerInfo, Startable, TypedEventTarget } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface AutoDialInit {
  /** Sources whose every `peer` event counts as a sighting (libp2p's own `peer:discovery` fires only for new peers). */
  sightings?: Array<TypedEventTarget<PeerDiscoveryEvents>>
  /** How long the larger PeerId waits for the smaller one to dial first. */
  graceMs?: number
  firstRetryMs?: number
  maxRetryMs?: number
  /** Failed dials retried without waiting for the peer to be seen again. */
  retriesWithoutSighting?: number
  dialTimeoutMs?: number
  /** Whether a sighted peer is worth any work (a workspace member); default: everyone. */
  wanted?: (peerId: string) => boolean
  budget?: DialBudgetInit
}

/** Peers waiting for a dial or a retry, at most; the oldest idle one makes way for a newcomer. */
export const MAX_TRACKED_PEERS = 512

export interface AutoDialComponents {
  peerId: PeerId
  connectionManager: ConnectionDialer
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

interface PeerDialState {
  /** The latest sighting: whom to dial, at which addresses. */
  peer: PeerInfo
  timer?: ReturnType<typeof setTimeout>
  dialing: boolean
  failures: number
  retryAt: number
}

export class AutoDial implements Startable {
  readonly [Symbol.toStringTag] = 'causette:auto-dial'
  readonly [serviceCapabilities] = ['causette:auto-dial']

  readonly #components: AutoDialComponents
  readonly #sightings: Array<TypedEventTarget<PeerDiscoveryEvents>>
  readonly #graceMs: number
  readonly #backoff: BackoffInit
  readonly #retriesWithoutSighting: number
  readonly #dialTimeoutMs: number
  readonly #wanted: (peerId: string) => boolean
  readonly budget: DialBudget
  readonly #log: Logger
  readonly #peers = new Map<string, PeerDialState>()
  #running = false

  constructor (components: AutoDialComponents, init: AutoDialInit = {}) {
    this.#components = components
    this.#sightings = init.sightings ?? []
    this.#graceMs = init.graceMs ?? 1_500
    this.#backoff = { firstMs: init.firstRetryMs ?? 1_000, maxMs: init.maxRetryMs ?? 30_000 }
    this.#retriesWithoutSighting = init.retriesWithoutSighting ?? 5
    this.#dialTimeoutMs = init.dialTimeoutMs ?? 10_000
    this.#wanted = init.wanted ?? (() => true)
    this.budget = new DialBudget({ backoff: this.#backoff, ...init.budget })
    this.#log = components.logger.forComponent('causette:discovery:auto-dial')
  }

  start (): void {
    this.#running = true
    this.#components.events.addEventListener('peer:discovery', this.#onSighting)
    this.#components.events.addEventListener('peer:connect', this.#onConnect)
    this.#components.events.addEventListener('peer:disconnect', this.#onDisconnect)
    for (const source of this.#sightings) source.addEventListener('peer', this.#onSighting)
  }

  stop (): void {
    this.#running = false
    this.#components.events.removeEventListener('peer:discovery', this.#onSighting)
    this.#components.events.removeEventListener('peer:connect', this.#onConnect)
    this.#components.events.removeEventListener('peer:disconnect', this.#onDisconnect)
    for (const source of this.#sightings) source.removeEventListener('peer', this.#onSighting)
    for (const state of this.#peers.values()) clearTimeout(state.timer)
    this.#peers.clear()
  }

  readonly #onSighting = (event: CustomEvent<PeerInfo>): void => {
    const peer = event.detail
    const { peerId, connectionManager } = this.#components
    if (!this.#running || peer.id.equals(peerId) || !this.#wanted(peer.id.toString()) || isConnected(connectionManager, peer.id)) return
    const state = this.#stateOf(peer)
    if (state.dialing || state.timer != null) return
    const waitMs = Math.max(state.retryAt - Date.now(), this.#dialsFirst(peer.id) ? 0 : this.#graceMs)
    this.#schedule(state, waitMs)
  }

  readonly #onDisconnect = (event: CustomEvent<PeerId>): void => {
    this.#onSighting(new CustomEvent('peer', { detail: { id: event.detail, multiaddrs: [] } }))
  }

  // A connection from either side settles the pair: forget its failures so a later loss retries promptly.
  readonly #onConnect = (event: CustomEvent<PeerId>): void => {
    const key = event.detail.toString()
    clearTimeout(this.#peers.get(key)?.timer)
    this.#peers.delete(key)
  }

  #dialsFirst (remote: PeerId): boolean {
    return this.#components.peerId.toString() < remote.toString()
  }

  #stateOf (peer: PeerInfo): PeerDialState {
    const key = peer.id.toString()
    const state = this.#peers.get(key) ?? this.#track({ peer, dialing: false, failures: 0, retryAt: 0 })
    // libp2p reports a peer it first hears of through a failed dial as discovered with no address.
    if (peer.multiaddrs.length > 0) state.peer = peer
    this.#peers.set(key, state)
    return state
  }

  #track (state: PeerDialState): PeerDialState {
    if (this.#peers.size < MAX_TRACKED_PEERS) return state
    for (const [key, old] of this.#peers) {
      if (old.dialing) continue
      clearTimeout(old.timer)
      this.#peers.delete(key)
      break
    }
    return state
  }

  #schedule (state: PeerDialState, delayMs: number): void {
    state.timer = setTimeout(() => {
      state.timer = undefined
      void this.#dial(state)
    }, delayMs)
  }

  async #dial (state: PeerDialState): Promise<void> {
    const { peer } = state
    if (!this.#running || isConnected(this.#components.connectionManager, peer.id)) return
    // Without addresses, libp2p dials those it holds for the PeerId: one target for the budget.
    const targets = peer.multiaddrs.length > 0 ? this.budget.claim(peer.multiaddrs) : this.budget.claim([peer.id])
    if (targets.length === 0) {
      // Not a failure of the peer: the budget holds its addresses back for now.
      this.#schedule(state, this.budget.waitMs(peer.multiaddrs.length > 0 ? peer.multiaddrs : [peer.id]))
      return
    }
    state.dialing = true
    const dialTarget = peer.multiaddrs.length > 0 ? (targets as Multiaddr[]).map(address => withPeerId(address, peer.id)) : peer.id
    try {
      await this.#components.connectionManager.openConnection(dialTarget, { signal: AbortSignal.timeout(this.#dialTimeoutMs) })
      for (const target of targets) this.budget.settle(target, true)
      this.#log('connected to %p', peer.id)
    } catch (err) {
      for (const target of targets) this.budget.settle(target, false)
      this.#failed(state, err)
    } finally {
      state.dialing = false
    }
  }

  #failed (state: PeerDialState, err: unknown): void {
    state.failures += 1
    const delayMs = backoffDelayMs(state.failures, this.#backoff)
    state.retryAt = Date.now() + delayMs
    this.#log('dial to %p failed (%d in a row) - %e', state.peer.id, state.failures, err)
    if (this.#running && state.failures <= this.#retriesWithoutSighting) this.#schedule(state, delayMs)
  }
}

export function autoDial (init: AutoDialInit = {}): (components: AutoDialComponents) => AutoDial {
  return (components) => new AutoDial(components, init)
}
