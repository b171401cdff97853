// `--peer MULTIADDR`: for networks where multicast does not reach (VLANs, other sites). Each
// address is dialled at start and re-dialled with capped exponential backoff whenever we are not
// connected to the peer behind it. The address may omit /p2p/<id>: Noise tells us who answered,
// and later dials name that peer so they reuse a connection it opened to us.
import { peerIdFromString } from '@libp2p/peer-id'
import { serviceCapabilities } from '@libp2p/interface'
import { CODE_P2P, multiaddr } from '@multiformats/multiaddr'
import { backoffDelayMs } from './backoff.js'
import { isConnected, withPeerId } from './dialer.js'
import type { BackoffInit } from './backoff.js'
import type { ConnectionDialer } from './dialer.js'
import type { ComponentLogger, Libp2pEvents, Logger, PeerId, Startable, TypedEventTarget } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface StaticPeersInit {
  /** Multiaddrs such as `/ip4/10.0.0.7/tcp/7420` or `/ip4/10.0.0.7/tcp/7420/p2p/12D3Koo...`. */
  addresses?: string[]
  firstRetryMs?: number
  maxRetryMs?: number
  dialTimeoutMs?: number
}

export interface StaticPeersComponents {
  connectionManager: ConnectionDialer
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

/** Throws a named error for an address that is not a multiaddr, so the CLI can reject `--peer` early. */
export function parseStaticPeer (address: string): Multiaddr {
  try {
    const parsed = multiaddr(address)
    const peerId = parsed.getComponents().findLast(component => component.code === CODE_P2P)?.value
    if (peerId != null) peerIdFromString(peerId)
    return parsed
  } catch (err) {
    throw new InvalidStaticPeerError(address, err)
  }
}

export class InvalidStaticPeerError extends Error {
  override readonly name = 'InvalidStaticPeerError'
  constructor (readonly address: string, cause: unknown) {
    super(`not a valid peer address (expected a multiaddr like /ip4/10.0.0.7/tcp/7420): ${address}`, { cause })
  }
}

interface DialSettings {
  backoff: BackoffInit
  dialTimeoutMs: number
  log: Logger
}

/** A connection that lasted this long was a real one: its loss resets the backoff. */
const STABLE_CONNECTION_MS = 5_000

/** Keeps one configured address connected. */
class StaticPeerLink {
  #peerId: PeerId | undefined
  #failures = 0
  #connectedAt: number | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  #running = false

  constructor (
    readonly address: Multiaddr,
    private readonly dialer: ConnectionDialer,
    private readonly settings: DialSettings
  ) {
    const named = address.getComponents().findLast(component => component.code === CODE_P2P)?.value
    this.#peerId = named == null ? undefined : peerIdFromString(named)
  }

  start (): void {
    this.#running = true
    this.#schedule(0)
  }

  stop (): void {
    this.#running = false
    clearTimeout(this.#timer)
  }

  /**
   * Called on every disconnect of our peer: a connection that had lasted is redialled at once; one
   * that the peer closed straight away (its gater refusing us, say) counts as a failed dial, so we
   * back off instead of knocking again and again.
   */
  peerDisconnected (peerId: PeerId): void {
    if (this.#peerId?.equals(peerId) !== true) return
    const lasted = this.#connectedAt === undefined ? 0 : Date.now() - this.#connectedAt
    this.#connectedAt = undefined
    if (lasted >= STABLE_CONNECTION_MS) {
      this.#failures = 0
      this.#schedule(0)
    } else {
      this.#failures += 1
      this.#schedule(backoffDelayMs(this.#failures, this.settings.backoff))
    }
  }

  #schedule (delayMs: number): void {
    if (!this.#running) return
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => { void this.#dial() }, delayMs)
  }

  async #dial (): Promise<void> {
    if (this.#peerId != null && isConnected(this.dialer, this.#peerId)) return
    const target = this.#peerId == null ? this.address : withPeerId(this.address, this.#peerId)
    try {
      const connection = await this.dialer.openConnection(target, { signal: AbortSignal.timeout(this.settings.dialTimeoutMs) })
      this.#peerId = connection.remotePeer
      this.#connectedAt = Date.now()
      this.settings.log('connected to static peer %a as %p', this.address, connection.remotePeer)
    } catch (err) {
      this.#failures += 1
      const delayMs = backoffDelayMs(this.#failures, this.settings.backoff)
      this.settings.log('static peer %a unreachable (%d in a row), retrying in %d ms - %e', this.address, this.#failures, delayMs, err)
      this.#schedule(delayMs)
    }
  }
}

export class StaticPeers implements Startable {
  readonly [Symbol.toStringTag] = 'causette:static-peers'
  readonly [serviceCapabilities] = ['causette:static-peers']

  readonly #events: TypedEventTarget<Libp2pEvents>
  readonly #links: StaticPeerLink[]

  constructor (components: StaticPeersComponents, init: StaticPeersInit = {}) {
    this.#events = components.events
    const settings: DialSettings = {
      backoff: { firstMs: init.firstRetryMs ?? 1_000, maxMs: init.maxRetryMs ?? 30_000 },
      dialTimeoutMs: init.dialTimeoutMs ?? 10_000,
      log: components.logger.forComponent('causette:discovery:static-peers')
    }
    this.#links = (init.addresses ?? []).map(address => new StaticPeerLink(parseStaticPeer(address), components.connectionManager, settings))
  }

  start (): void {
    this.#events.addEventListener('peer:disconnect', this.#onDisconnect)
    for (const link of this.#links) link.start()
  }

  stop (): void {
    this.#events.removeEventListener('peer:disconnect', this.#onDisconnect)
    for (const link of this.#links) link.stop()
  }

  readonly #onDisconnect = (event: CustomEvent<PeerId>): void => {
    for (const link of this.#links) link.peerDisconnected(event.detail)
  }
}

export function staticPeers (init: StaticPeersInit = {}): (components: StaticPeersComponents) => StaticPeers {
  return (components) => new StaticPeers(components, init)
}
