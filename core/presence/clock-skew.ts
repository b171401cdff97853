// How far our clock is from our colleagues', from what their clocks say as they tell us their
// presence (freshly signed for each push: its issued time minus our arrival time is their offset).
// The consensus is the median of every colleague's latest offset and ours (zero), so that one wrong
// clock, ours or a colleague's, does not make everyone else look wrong. A sample stays true when our
// clock is set right afterwards: each is corrected by how far our clock jumped since (the wall clock
// against the monotonic one), so the banner goes as soon as the user fixes the clock.
import { CLOCK_SKEW_SHOWN_MS, MAX_PEER_PRESENCES } from './limits.js'

/** Our clock against our colleagues' (the API's ClockView mirrors it). */
export interface ClockView {
  /** Our clock minus the consensus: positive when ours is ahead; null before any colleague was heard. */
  offsetMs: number | null
  /** Colleagues whose clock was heard. */
  peers: number
  /** Further than CLOCK_SKEW_SHOWN_MS from the consensus: the app shows it. */
  wrong: boolean
}

interface Sample {
  /** The peer's clock minus ours, when it arrived. */
  offset: number
  /** Our wall clock minus the monotonic one, then: it changes only when our clock is set. */
  base: number
}

export class ClockSkew {
  /** Each peer's latest sample, in arrival order. */
  readonly #samples = new Map<string, Sample>()

  constructor (private readonly now: () => number, private readonly monotonic: () => number = () => performance.now()) {}

  record (peer: string, claimed: number): void {
    const arrived = this.now()
    this.#samples.delete(peer)
    this.#samples.set(peer, { offset: claimed - arrived, base: arrived - this.monotonic() })
    if (this.#samples.size > MAX_PEER_PRESENCES) this.#samples.delete(this.#samples.keys().next().value!)
  }

  /** Our clock against the consensus: positive when ours is ahead; null before any colleague spoke. */
  view (): ClockView {
    const peers = this.#samples.size
    if (peers === 0) return { offsetMs: null, peers, wrong: false }
    const offsetMs = Math.round(0 - this.#consensus(this.#offsets()))
    return { offsetMs, peers, wrong: Math.abs(offsetMs) > CLOCK_SKEW_SHOWN_MS }
  }

  /** How far `peer`'s clock is from the consensus, when that is far enough to show; else undefined. */
  peerOffset (peer: string): number | undefined {
    const offsets = this.#offsets()
    const offset = offsets.get(peer)
    if (offset === undefined) return undefined
    const fromConsensus = offset - this.#consensus(offsets)
    return Math.abs(fromConsensus) > CLOCK_SKEW_SHOWN_MS ? fromConsensus : undefined
  }

  /** Each peer's clock minus ours now: its sample, corrected by how far our clock was set since. */
  #offsets (): Map<string, number> {
    const base = this.now() - this.monotonic()
    return new Map([...this.#samples].map(([peer, sample]) => [peer, sample.offset - (base - sample.base)]))
  }

  /**
   * The consensus clock minus ours: the median of our colleagues' offsets and ours (zero). With an
   * even count (one colleague: who is right?) the middle value further from ours, so that each side
   * of a disagreement is told rather than neither.
   */
  #consensus (offsets: Map<string, number>): number {
    const sorted = [0, ...offsets.values()].sort((a, b) => a - b)
    const upper = sorted[sorted.length >> 1]!
    if (sorted.length % 2 === 1) return upper
    const lower = sorted[(sorted.length >> 1) - 1]!
    return Math.abs(lower) > Math.abs(upper) ? lower : upper
  }
}
