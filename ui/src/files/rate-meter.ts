// The speed of an upload from its progress events: bytes over the last few seconds, so that a
// stall shows at once and a burst does not promise too much.

const WINDOW_MS = 3000

interface Sample { at: number, bytes: number }

export class RateMeter {
  #samples: Sample[] = []

  /** Records that `bytes` were done at `at` (ms); returns the speed in bytes a second, once two samples span time. */
  sample (bytes: number, at: number): number | undefined {
    this.#samples.push({ at, bytes })
    while (this.#samples.length > 2 && at - this.#samples[0]!.at > WINDOW_MS) this.#samples.shift()
    const first = this.#samples[0]!
    const elapsed = at - first.at
    return elapsed > 0 ? ((bytes - first.bytes) * 1000) / elapsed : undefined
  }

  reset (): void {
    this.#samples = []
  }
}
