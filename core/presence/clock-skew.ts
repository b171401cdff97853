// How far our clock is from our colleagues', from what their clocks say as they tell us their
// presence (freshly signed for each push: its issued time minus our arrival time is their offset).
// The consensus is the median of every colleague's latest offset and ours (zero), so that one wrong
// clock, ours or a colleague's, does not make everyone else look wrong.
import type { ClockView } from '../api/schema.js'
import { CLOCK_SKEW_SHOWN_MS, MAX_PEER_PRESENCES } from './limits.js'

export class ClockSkew {
  /** Each peer's clock minus ours, from its latest presence, in arrival order. */
  readonly #offsets = new Map<string, number>()

  record (peer: string, claimed: number, arrived: number): void {
    this.#offsets.delete(peer)
    this.#offsets.set(peer, claimed - arrived)
    if (this.#offsets.size > MAX_PEER_PRESENCES) this.#offsets.delete(this.#offsets.keys().next().value!)
  }

  /** Our clock against the consensus: positive when ours is ahead; null before any colleague spoke. */
  view (): ClockView {
    const peers = this.#offsets.size
    if (peers === 0) return { offsetMs: null, peers, wrong: false }
    const offsetMs = Math.round(0 - this.#consensus())
    return { offsetMs, peers, wrong: Math.abs(offsetMs) > CLOCK_SKEW_SHOWN_MS }
  }

  /** How far `peer`'s clock is from the consensus, when that is far enough to show; else undefined. */
  peerOffset (peer: string): number | undefined {
    const offset = this.#offsets.get(peer)
    if (offset === undefined) return undefined
    const fromConsensus = offset - this.#consensus()
    return Math.abs(fromConsensus) > CLOCK_SKEW_SHOWN_MS ? fromConsensus : undefined
  }

  /**
   * The consensus clock minus ours: the median of our colleagues' offsets and ours (zero). With an
   * even count (one colleague: who is right?) the middle value further from ours, so that each side
   * of a disagreement is told rather than neither.
   */
  #consensus (): number {
    const sorted = [0, ...this.#offsets.values()].sort((a, b) => a - b)
    const upper = sorted[sorted.length >> 1]!
    if (sorted.length % 2 === 1) return upper
    const lower = sorted[(sorted.length >> 1) - 1]!
    return Math.abs(lower) > Math.abs(upper) ? lower : upper
  }
}
