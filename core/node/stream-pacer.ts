// Paces the file streams this node opens to one peer at half the peer's stream limit
// (STREAMS_PER_SECOND after a burst of STREAM_BURST, a protocol, core/protocol/peer-limits.ts): a
// recipient fetching many small files (previews) must not be refused, and struck, by the colleague
// that serves them. Half: the two sides' buckets need not refill in step.
import { STREAM_BURST, STREAMS_PER_SECOND } from '../protocol/limits.js'
import { TokenBuckets } from '../protocol/rate-limit.js'

export function streamPacer (): (peer: string) => Promise<void> {
  const buckets = new TokenBuckets({ ratePerSecond: STREAMS_PER_SECOND / 2, burst: Math.max(1, Math.floor(STREAM_BURST / 2)) })
  return async peer => { await buckets.take(peer) }
}
