// Token buckets, one per key (a peer and a protocol): a key may spend `burst` tokens at once, then
// `ratePerSecond` on average. Buckets refill lazily from a clock (injectable for tests), so an idle
// key costs nothing, and a full bucket says nothing a new one would not: once more than `maxKeys`
// are held, full ones are forgotten first, then the least recently used, so memory stays bounded
// however many peers come and go.
//
// The clock is monotonic unless one is injected: a wall clock set back (a desk's clock corrected)
// would otherwise take the time it went back from every bucket. An injected clock that goes back
// refills nothing for that step, and nothing is taken either.
//
// Not @libp2p/utils' RateLimiter: that one counts in fixed windows (twice the rate across a window
// edge), reads Date.now() and keeps one timer per key; a bucket gives a smooth rate, a wait time
// for backpressure and a clock a test can move.

/** A clock that only moves forward: for intervals, never for dates. */
export const monotonicNow = (): number => performance.now()

/** Milliseconds from `since` to `now`; none when the clock went back. */
export const elapsedMs = (since: number, now: number): number => Math.max(0, now - since)

export interface TokenBucketsInit {
  /** Tokens added per second. */
  ratePerSecond: number
  /** Bucket size: what a key may spend at once after being idle. */
  burst: number
  /** Buckets held at most; default 4,096. */
  maxKeys?: number
}

export interface TokenBucketsComponents {
  /** Milliseconds; default a monotonic clock (performance.now). */
  now?: () => number
}

interface Bucket { tokens: number, updated: number }

export class TokenBuckets {
  readonly #rate: number
  readonly #burst: number
  readonly #maxKeys: number
  readonly #now: () => number
  // Insertion order is recency order: a touched bucket is moved to the end.
  readonly #buckets = new Map<string, Bucket>()

  constructor (init: TokenBucketsInit, components: TokenBucketsComponents = {}) {
    if (!(init.ratePerSecond > 0) || !(init.burst >= 1)) throw new RangeError('a token bucket needs a positive rate and a burst of at least 1')
    this.#rate = init.ratePerSecond
    this.#burst = init.burst
    this.#maxKeys = init.maxKeys ?? 4096
    this.#now = components.now ?? monotonicNow
  }

  /** Buckets held now (for tests of the memory bound). */
  get size (): number { return this.#buckets.size }

  /** Takes `count` tokens if the key has them; false (and nothing taken) otherwise. */
  tryTake (key: string, count = 1): boolean {
    const bucket = this.#refilled(key)
    if (bucket.tokens < count) return false
    bucket.tokens -= count
    return true
  }

  /** Milliseconds until the key has `count` tokens; 0 if it has them now. */
  delayMs (key: string, count = 1): number {
    const missing = count - this.#refilled(key).tokens
    return missing <= 0 ? 0 : Math.ceil(missing * 1000 / this.#rate)
  }

  /** Waits until the key has `count` tokens, then takes them: backpressure for a reader. */
  async take (key: string, count = 1): Promise<void> {
    if (count > this.#burst) throw new RangeError(`cannot take ${count} tokens from a bucket of ${this.#burst}`)
    while (!this.tryTake(key, count)) {
      await new Promise(resolve => setTimeout(resolve, Math.max(1, this.delayMs(key, count))))
    }
  }

  #refilled (key: string): Bucket {
    const now = this.#now()
    let bucket = this.#buckets.get(key)
    if (bucket === undefined) {
      this.#makeRoom(now)
      bucket = { tokens: this.#burst, updated: now }
    } else {
      this.#buckets.delete(key)
      bucket.tokens = Math.min(this.#burst, bucket.tokens + elapsedMs(bucket.updated, now) * this.#rate / 1000)
      bucket.updated = now
    }
    this.#buckets.set(key, bucket)
    return bucket
  }

  #makeRoom (now: number): void {
    if (this.#buckets.size < this.#maxKeys) return
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + elapsedMs(bucket.updated, now) * this.#rate / 1000 >= this.#burst) this.#buckets.delete(key)
    }
    if (this.#buckets.size < this.#maxKeys) return
    const oldest = this.#buckets.keys().next().value
    if (oldest !== undefined) this.#buckets.delete(oldest)
  }
}
