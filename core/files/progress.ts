// How a fetch's progress is told: at most once per PROGRESS_INTERVAL_MS per attachment (a state
// change is told at once by the caller), with the speed over the bytes since the last report.

/** At most 4 progress reports a second per attachment. */
export const PROGRESS_INTERVAL_MS = 250

export class ProgressGate {
  readonly #now: () => number
  #lastAt: number
  #lastBytes: number
  #bytesPerSecond: number | undefined

  constructor (startBytes: number, now: () => number) {
    this.#now = now
    this.#lastAt = now()
    this.#lastBytes = startBytes
  }

  /** The recent speed, once measured. */
  get bytesPerSecond (): number | undefined { return this.#bytesPerSecond }

  /** True when `bytes` should be reported now (and the speed is updated). */
  due (bytes: number): boolean {
    const at = this.#now()
    const elapsed = at - this.#lastAt
    if (elapsed < PROGRESS_INTERVAL_MS) return false
    this.#bytesPerSecond = Math.max(0, Math.round((bytes - this.#lastBytes) * 1000 / elapsed))
    this.#lastAt = at
    this.#lastBytes = bytes
    return true
  }
}
