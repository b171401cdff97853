// Dials peers as discovery reports them. libp2p v3 only records discovered peers; deciding when
// to connect is ours. One connection per pair: the peer with the smaller PeerId dials at once,
// the other waits `graceMs` and dials only if no connection appeared (discovery can be one-sided).
// Every sighting re-evaluates the peer, so a failed dial or a lost connection is retried the next
// time the peer is seen, no sooner than a capped exponential backoff allows.
import { serviceCapabilities } from '@libp2p/interface'
import { backoffDelayMs } from './backoff.js'
import { isConnected, withPeerId } from './dialer.js'
import type { ConnectionDialer } from './dialer.js'
import type { ComponentLogger, Libp2pEvents, Logger, PeerDiscoveryEvents, PeerId, PeerInfo, Startable, TypedEventTarget } from '@libp2p/interface'

export interface AutoDialInit {
  /** Sources whose every `peer` event counts as a sighting (libp2p's own `peer:discovery` fires only for new peers). */
  sightings?: Array<TypedEventTarget<PeerDiscoveryEvents>>
  /** How long the larger PeerId waits for the smaller one to dial first. */
  graceMs?: number
  firstRetryMs?: number
  maxRetryMs?: number
  dialTimeoutMs?: number
}

export interface AutoDialComponents {
  peerId: PeerId
  connectionManager: ConnectionDialer
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

interface PeerDialState {
  dialing: boolean
  graceTimer?: ReturnType<typeof setTimeout>
  failures: number
  retryAt: number
}

export class AutoDial implements Startable {
  readonly [Symbol.toStringTag] = 'causette:auto-dial'
  readonly [serviceCapabilities] = ['causette:auto-dial']

  readonly #components: AutoDialComponents
  readonly #sightings: Array<TypedEventTarget<PeerDiscoveryEvents>>
  readonly #graceMs: number
  readonly #backoff: { firstMs: number, maxMs: number }
  readonly #dialTimeoutMs: number
  readonly #log: Logger
  readonly #peers = new Map<string, PeerDialState>()
  #running = false

  constructor (components: AutoDialComponents, init: AutoDialInit = {}) {
    this.#components = components
    this.#sightings = init.sightings ?? []
    this.#graceMs = init.graceMs ?? 1_500
    this.#backoff = { firstMs: init.firstRetryMs ?? 1_000, maxMs: init.maxRetryMs ?? 30_000 }
    this.#dialTimeoutMs = init.dialTimeoutMs ?? 10_000
    this.#log = components.logger.forComponent('causette:discovery:auto-dial')
  }

  start (): void {
    this.#running = true
    this.#components.events.addEventListener('peer:discovery', this.#onSighting)
    this.#components.events.addEventListener('peer:connect', this.#onConnect)
    for (const source of this.#sightings) source.addEventListener('peer', this.#onSighting)
  }

  stop (): void {
    this.#running = false
    this.#components.events.removeEventListener('peer:discovery', this.#onSighting)
    this.#components.events.removeEventListener('peer:connect', this.#onConnect)
    for (const source of this.#sightings) source.removeEventListener('peer', this.#onSighting)
    for (const state of this.#peers.values()) clearTimeout(state.graceTimer)
    this.#peers.clear()
  }

  readonly #onSighting = (event: CustomEvent<PeerInfo>): void => {
    const peer = event.detail
    const { peerId, connectionManager } = this.#components
    if (!this.#running || peer.id.equals(peerId) || isConnected(connectionManager, peer.id)) return
    const state = this.#stateOf(peer.id)
    if (state.dialing || state.graceTimer != null || Date.now() < state.retryAt) return
    if (this.#dialsFirst(peer.id)) {
      void this.#dial(peer, state)
      return
    }
    state.graceTimer = setTimeout(() => {
      state.graceTimer = undefined
      if (this.#running && !isConnected(connectionManager, peer.id)) void this.#dial(peer, state)
    }, this.#graceMs)
  }

  // A connection from either side settles the pair: forget its failures so a later loss retries promptly.
  readonly #onConnect = (event: CustomEvent<PeerId>): void => {
    const state = this.#peers.get(event.detail.toString())
    if (state == null) return
    clearTimeout(state.graceTimer)
    this.#peers.delete(event.detail.toString())
  }

  #dialsFirst (remote: PeerId): boolean {
    return this.#components.peerId.toString() < remote.toString()
  }

  #stateOf (peerId: PeerId): PeerDialState {
    const key = peerId.toString()
    let state = this.#peers.get(key)
    if (state == null) {
      state = { dialing: false, failures: 0, retryAt: 0 }
      this.#peers.set(key, state)
    }
    return state
  }

  async #dial (peer: PeerInfo, state: PeerDialState): Promise<void> {
    state.dialing = true
    const target = peer.multiaddrs.length > 0
      ? peer.multiaddrs.map(address => withPeerId(address, peer.id))
      : peer.id
    try {
      await this.#components.connectionManager.openConnection(target, { signal: AbortSignal.timeout(this.#dialTimeoutMs) })
      this.#log('connected to %p', peer.id)
    } catch (err) {
      state.failures += 1
      state.retryAt = Date.now() + backoffDelayMs(state.failures, this.#backoff)
      this.#log('dial to %p failed (%d in a row) - %e', peer.id, state.failures, err)
    } finally {
      state.dialing = false
    }
  }
}

export function autoDial (init: AutoDialInit = {}): (components: AutoDialComponents) => AutoDial {
  return (components) => new AutoDial(components, init)
}
