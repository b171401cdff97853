// Trying again, per peer, after a peer (or a carrier for it) answered "not now" (it cannot write:
// core/protocol/refusal.ts): after a backoff that doubles while the answer stays the same, and is
// reset by the peer's first real answer. One retry waits per peer; timers never keep the process up.

/** The first and the longest wait before trying a peer again. */
export const RETRY_BACKOFF_MS = { first: 250, max: 30_000 }

export class RetryLater {
  private readonly nextMs = new Map<string, number>()
  private readonly timers = new Map<string, NodeJS.Timeout>()

  constructor (private readonly retry: (peer: string) => void, private readonly backoffMs = RETRY_BACKOFF_MS) {}

  /** `peer` answered "not now": `retry(peer)` after its current backoff. */
  schedule (peer: string): void {
    if (this.timers.has(peer)) return
    const delay = this.nextMs.get(peer) ?? this.backoffMs.first
    this.nextMs.set(peer, Math.min(delay * 2, this.backoffMs.max))
    const timer = setTimeout(() => { this.timers.delete(peer); this.retry(peer) }, delay)
    timer.unref()
    this.timers.set(peer, timer)
  }

  /** `peer` took something again: its next "not now" starts from the first backoff. */
  answered (peer: string): void {
    this.nextMs.delete(peer)
  }

  /** Clears the retries waiting; what they were for stays queued. */
  stop (): void {
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
  }
}
