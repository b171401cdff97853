// Admission of inbound TCP connections before their handshake (docs/SECURITY.md, "Connection
// floods"). Stalled connections from many addresses, each under libp2p's per-host rate, used to fill
// libp2p's pending-handshake slots, and then it refused every new connection, a restarted
// member's included, saying so only in its debug log. Here, from the connection gater: connections
// from addresses where no admitted peer was ever seen share `maxPending` handshakes; addresses an
// admitted peer connected from (or that we reached one at) have `reservedForKnown` more, which a
// flood from elsewhere cannot take. A refusal is reported, at most once per WARN_EVERY_MS.
import type { MultiaddrConnection } from '@libp2p/interface'

export const WARN_EVERY_MS = 10_000
/** Addresses remembered as a known peer's; the oldest are forgotten first. */
const MAX_KNOWN_HOSTS = 1_024

export interface InboundPressureCounts {
  /** Handshakes in progress now. */
  pending: number
  /** Connections refused because the handshakes pending reached the limit. */
  refused: number
  /** Warnings given, at most one per WARN_EVERY_MS. */
  floodWarnings: number
}

export interface InboundPressureInit {
  /** Handshakes pending at once from unknown addresses. */
  maxPending: number
  /** ...and from addresses of known peers, on top. */
  reservedForKnown: number
}

export type FloodListener = (message: string) => void

export class InboundPressure {
  readonly counts: InboundPressureCounts = { pending: 0, refused: 0, floodWarnings: 0 }
  readonly #init: InboundPressureInit
  readonly #now: () => number
  readonly #pending = new Map<MultiaddrConnection, string>()
  // Insertion order is recency order: a host seen again moves to the end.
  readonly #known = new Set<string>()
  readonly #listeners = new Set<FloodListener>()
  #warnedAt = -Infinity

  constructor (init: InboundPressureInit, now: () => number = Date.now) {
    this.#init = init
    this.#now = now
  }

  onFlood (listener: FloodListener): () => void {
    this.#listeners.add(listener)
    return () => { this.#listeners.delete(listener) }
  }

  /** A new inbound connection: may it start its handshake? */
  admit (connection: MultiaddrConnection): boolean {
    const host = hostOf(connection)
    const limit = this.#init.maxPending + (this.#known.has(host) ? this.#init.reservedForKnown : 0)
    if (this.#pending.size >= limit) {
      this.counts.refused++
      this.#warn()
      return false
    }
    this.#pending.set(connection, host)
    this.counts.pending = this.#pending.size
    connection.addEventListener('close', () => { this.settled(connection) }, { once: true })
    return true
  }

  /** A connection (either way) reached a peer our gater admitted: its address is a known peer's; an inbound one frees its slot. */
  peerAdmitted (connection: MultiaddrConnection): void {
    const host = hostOf(connection)
    this.#known.delete(host)
    this.#known.add(host)
    if (this.#known.size > MAX_KNOWN_HOSTS) this.#known.delete(this.#known.values().next().value as string)
    this.settled(connection)
  }

  settled (connection: MultiaddrConnection): void {
    this.#pending.delete(connection)
    this.counts.pending = this.#pending.size
  }

  #warn (): void {
    const now = this.#now()
    if (now - this.#warnedAt < WARN_EVERY_MS) return
    this.#warnedAt = now
    this.counts.floodWarnings++
    const byHost = new Map<string, number>()
    for (const host of this.#pending.values()) byHost.set(host, (byHost.get(host) ?? 0) + 1)
    const [busiest, count] = [...byHost].reduce((a, b) => b[1] > a[1] ? b : a, ['', 0])
    const message = `refusing connections from unknown addresses: ${this.#pending.size} handshakes pending from ${byHost.size} addresses (most from ${busiest}: ${count}), ${this.counts.refused} refused so far; a connection flood? Known peers keep ${this.#init.reservedForKnown} slots of their own`
    for (const listener of this.#listeners) listener(message)
  }
}

function hostOf (connection: MultiaddrConnection): string {
  return connection.remoteAddr.getComponents()[0]?.value ?? connection.remoteAddr.toString()
}
