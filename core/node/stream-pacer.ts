// Paces the file streams this node opens to one peer below the peer's stream limit
// (STREAMS_PER_SECOND a protocol, core/protocol/peer-limits.ts): a recipient fetching many small
// files (previews) must not be refused, and struck, by the colleague that serves them.
import { STREAMS_PER_SECOND } from '../protocol/limits.js'

/** Half the limit: the peer's clock and ours need not agree on where a second starts. */
const OPENS_PER_SECOND = Math.max(1, Math.floor(STREAMS_PER_SECOND / 2))

export class StreamPacer {
  readonly #opened = new Map<string, number[]>()

  /** Resolves once one more stream to `peer` keeps within OPENS_PER_SECOND over the last second. */
  async turn (peer: string): Promise<void> {
    while (true) {
      const now = Date.now()
      const recent = (this.#opened.get(peer) ?? []).filter(at => now - at < 1000)
      if (recent.length < OPENS_PER_SECOND) {
        recent.push(now)
        this.#opened.set(peer, recent)
        return
      }
      this.#opened.set(peer, recent)
      await new Promise(resolve => setTimeout(resolve, 1000 - (now - recent[0]!)))
    }
  }
}
