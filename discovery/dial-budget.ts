// How many TCP connections discovery may make us open, whoever asks (docs/SECURITY.md, "Spoofed mDNS
// answers"): one token per address dialled from a single bucket (`burst` at once, then
// `ratePerSecond`), at most one dial pending per address, and an address whose dial failed is left
// alone for a capped exponential backoff whichever PeerId names it next. A thousand fake peers that
// all point at one victim thus cost it a few connections, not tens of thousands.
import { backoffDelayMs } from './backoff.js'
import type { BackoffInit } from './backoff.js'

/** Anything whose string form names one dial target: a Multiaddr, a PeerId. */
export interface DialTarget { toString: () => string }

export interface DialBudgetInit {
  ratePerSecond?: number
  burst?: number
  backoff?: BackoffInit
  /** Failed addresses remembered at most (the oldest are forgotten first). */
  maxRememberedFailures?: number
}

export interface DialBudgetComponents {
  /** Milliseconds; default a monotonic clock, so a wall clock set back stalls no dial. */
  now?: () => number
}

interface AddressFailure { failures: number, until: number }

/** What the budget counts, for logs and tests. */
export interface DialBudgetCounts {
  /** Addresses handed out to dial. */
  granted: number
  /** Addresses held back: already pending, backing off, or no token left. */
  deferred: number
}

export class DialBudget {
  readonly counts: DialBudgetCounts = { granted: 0, deferred: 0 }
  readonly #rate: number
  readonly #burst: number
  readonly #backoff: BackoffInit
  readonly #maxFailures: number
  readonly #now: () => number
  #tokens: number
  #refilledAt: number
  readonly #pending = new Set<string>()
  // Insertion order is age order: a new failure of an address moves it to the end.
  readonly #failed = new Map<string, AddressFailure>()

  constructor (init: DialBudgetInit = {}, components: DialBudgetComponents = {}) {
    this.#rate = init.ratePerSecond ?? 10
    this.#burst = init.burst ?? 40
    this.#backoff = init.backoff ?? { firstMs: 1_000, maxMs: 60_000 }
    this.#maxFailures = init.maxRememberedFailures ?? 1_024
    this.#now = components.now ?? (() => performance.now())
    this.#tokens = this.#burst
    this.#refilledAt = this.#now()
  }

  /**
   * Claims the targets of `wanted` (addresses, or a PeerId dialled at the addresses libp2p holds)
   * that may be dialled now; the caller must `settle` each.
   */
  claim<Target extends DialTarget> (wanted: readonly Target[]): Target[] {
    this.#refill()
    const granted: Target[] = []
    for (const address of wanted) {
      const key = address.toString()
      if (this.#tokens < 1 || this.#pending.has(key) || this.#backingOff(key)) {
        this.counts.deferred++
        continue
      }
      this.#tokens -= 1
      this.#pending.add(key)
      granted.push(address)
    }
    this.counts.granted += granted.length
    return granted
  }

  /** The dial of `address` ended; `reached` says whether it connected to the peer we meant. */
  settle (address: DialTarget, reached: boolean): void {
    const key = address.toString()
    this.#pending.delete(key)
    if (reached) {
      this.#failed.delete(key)
      return
    }
    const failures = (this.#failed.get(key)?.failures ?? 0) + 1
    this.#failed.delete(key)
    this.#failed.set(key, { failures, until: this.#now() + backoffDelayMs(failures, this.#backoff) })
    if (this.#failed.size > this.#maxFailures) this.#failed.delete(this.#failed.keys().next().value as string)
  }

  /** After a `claim` of `wanted` granted nothing: how long until one of them could be granted. */
  waitMs (wanted: readonly DialTarget[]): number {
    this.#refill()
    const tokenWaitMs = this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) * 1_000 / this.#rate)
    const now = this.#now()
    const addressWaitsMs = wanted.map(target => {
      const key = target.toString()
      return this.#pending.has(key) ? this.#backoff.firstMs : this.#backingOff(key) ? this.#failed.get(key)!.until - now : 0
    })
    return Math.max(tokenWaitMs, Math.min(...addressWaitsMs), 1)
  }

  #backingOff (key: string): boolean {
    const failure = this.#failed.get(key)
    if (failure === undefined) return false
    const left = failure.until - this.#now()
    // More left than the longest backoff: the clock went back, and the backoff is over.
    return left > 0 && left <= this.#backoff.maxMs
  }

  #refill (): void {
    const now = this.#now()
    this.#tokens = Math.min(this.#burst, this.#tokens + Math.max(0, now - this.#refilledAt) * this.#rate / 1_000)
    this.#refilledAt = now
  }
}
