// Whether a transfer has stalled: bytes stopped coming or going with no error yet (the peer went
// quiet; the node gives up on a holder only after 20 s, FILE_IDLE_MS). Its last speed and time left
// would stay on screen for ever: past STALL_MS the bar says it is stalled instead, and shows a speed
// again with the next bytes. The clock is given, so that a test sets the time.

/** Nothing moved for this long: stalled. A 256 KiB chunk takes this long under 52 KB/s. */
export const STALL_MS = 5000

export class StallWatch {
  readonly #now: () => number
  #done: number | undefined
  #movedAt = 0

  constructor (now: () => number) {
    this.#now = now
  }

  /** `done` bytes now: how long they have not moved (ms), once that is STALL_MS or more; else undefined. */
  stalledFor (done: number): number | undefined {
    const now = this.#now()
    if (done !== this.#done) {
      this.#done = done
      this.#movedAt = now
      return undefined
    }
    const still = now - this.#movedAt
    return still >= STALL_MS ? still : undefined
  }
}
