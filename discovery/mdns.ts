// LAN discovery by multicast DNS: @libp2p/mdns with two corrections.
//
// Addresses: it announces every private address, loopback included, and a colleague who dials our
// 127.0.0.1 reaches their own machine. So it sees our addresses through a LAN-only filter.
//
// Query rate: every node answers every query, so N nodes querying every T seconds make each node
// handle N(N-1)/T answers a second (measured here: 55-85 µs each, so 50 desks querying every
// second would cost each desk a fifth of a core, and 200 would saturate it). Newcomers do not need
// the periodic query: the one sent at start is answered at once, and its own answer tells everyone
// else. Periodic queries only repair a lost packet or a network that changed. So we query quickly
// (1, 2, 4, 8... s) where that matters, after start and whenever an interface joins the multicast
// group (a cable plugged in, Wi-Fi up), and otherwise once a minute.
//
// Answers: anyone on the LAN can send them, for any PeerId and any addresses. An answer for a peer
// the node does not want (not a member of its workspace) is dropped unread, and the others keep
// only addresses a peer on our link could have (lan-addresses.ts), before libp2p's peer store or
// the auto-dialer sees them.
import { mdns } from '@libp2p/mdns'
import { peerDiscoverySymbol, serviceCapabilities, TypedEventEmitter } from '@libp2p/interface'
import { isLinkLocal, isLoopback } from '@libp2p/utils'
import { LanAddressFilter } from './lan-addresses.js'
import type { MulticastDNSComponents } from '@libp2p/mdns'
import type { Logger, PeerDiscovery, PeerDiscoveryEvents, Startable } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface LanDiscoveryInit {
  /** The first quick query after start or an interface change; each next one waits twice as long. */
  quickQueryMs?: number
  /** The steady query interval, and the cap of the quick ones. */
  queryIntervalMs?: number
  /** DNS-SD service name; peers with another tag do not see each other. */
  serviceTag?: string
  /** Whether a PeerId is worth any work (a workspace member); default: everyone. */
  wanted?: (peerId: string) => boolean
}

/** Our mDNS service tag: causette nodes find each other, not every libp2p program on the LAN. */
export const CAUSETTE_SERVICE_TAG = '_causette._udp.local'

export function isAnnounceableOnLan (address: Multiaddr): boolean {
  return !isLoopback(address) && !isLinkLocal(address)
}

export function lanDiscovery (init: LanDiscoveryInit = {}): (components: MulticastDNSComponents) => PeerDiscovery {
  const serviceTag = init.serviceTag ?? CAUSETTE_SERVICE_TAG
  const queryIntervalMs = init.queryIntervalMs ?? 60_000
  const createMdns = mdns({ interval: queryIntervalMs, serviceTag })
  return (components) => {
    const inner = createMdns({ logger: components.logger, addressManager: lanAddressesOnly(components.addressManager) })
    const log = components.logger.forComponent('causette:discovery:mdns')
    return new LanDiscovery(inner, { serviceTag, quickQueryMs: init.quickQueryMs ?? 1_000, queryIntervalMs, log, wanted: init.wanted ?? (() => true) })
  }
}

// @libp2p/mdns reads our addresses through getAddresses() only; every other member is passed through.
function lanAddressesOnly (addressManager: MulticastDNSComponents['addressManager']): MulticastDNSComponents['addressManager'] {
  return new Proxy(addressManager, {
    get (target, property) {
      if (property === 'getAddresses') return () => target.getAddresses().filter(isAnnounceableOnLan)
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    }
  })
}

/** The multicast-dns socket that @libp2p/mdns exposes as its public `mdns` field once started. */
interface MulticastSocket {
  query: (packet: { questions: Array<{ name: string, type: 'PTR' }> }) => void
  on: (event: 'networkInterface', listener: () => void) => void
  removeListener: (event: 'networkInterface', listener: () => void) => void
}

type InnerDiscovery = PeerDiscovery & Partial<Startable> & { mdns?: MulticastSocket }

interface LanDiscoverySettings {
  serviceTag: string
  quickQueryMs: number
  queryIntervalMs: number
  log: Logger
  wanted: (peerId: string) => boolean
}

/** Wraps @libp2p/mdns: forwards what it finds, filtered, and adds the quick queries. */
class LanDiscovery extends TypedEventEmitter<PeerDiscoveryEvents> implements PeerDiscovery, Startable {
  readonly [peerDiscoverySymbol] = this
  readonly [Symbol.toStringTag] = 'causette:lan-discovery'
  readonly [serviceCapabilities] = ['@libp2p/peer-discovery']

  readonly #inner: InnerDiscovery
  readonly #settings: LanDiscoverySettings
  #socket: MulticastSocket | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  readonly #addresses = new LanAddressFilter()

  constructor (inner: PeerDiscovery, settings: LanDiscoverySettings) {
    super()
    this.#inner = inner
    this.#settings = settings
    inner.addEventListener('peer', event => {
      if (!settings.wanted(event.detail.id.toString())) return
      const reachable = this.#addresses.reachableOnLan(event.detail)
      if (reachable !== undefined) this.safeDispatchEvent('peer', { detail: reachable })
    })
  }

  async start (): Promise<void> {
    await this.#inner.start?.()
    this.#socket = this.#inner.mdns
    if (this.#socket == null) this.#settings.log.error('@libp2p/mdns no longer exposes its socket: only its steady queries run')
    this.#socket?.on('networkInterface', this.#queryQuickly)
    this.#queryQuickly()
  }

  async stop (): Promise<void> {
    clearTimeout(this.#timer)
    this.#socket?.removeListener('networkInterface', this.#queryQuickly)
    this.#socket = undefined
    await this.#inner.stop?.()
  }

  /** (Re)starts the series of quick queries; @libp2p/mdns's own timer covers the steady interval. */
  readonly #queryQuickly = (): void => {
    clearTimeout(this.#timer)
    const next = (delayMs: number): void => {
      if (delayMs >= this.#settings.queryIntervalMs) return
      this.#timer = setTimeout(() => {
        this.#socket?.query({ questions: [{ name: this.#settings.serviceTag, type: 'PTR' }] })
        next(delayMs * 2)
      }, delayMs)
    }
    next(this.#settings.quickQueryMs)
  }
}
