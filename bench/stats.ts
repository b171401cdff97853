// Percentiles and rates for the benchmark tables.
export function percentile (sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))]!
}

export interface Latency { p50Ms: number, p99Ms: number }

export function latency (samplesMs: number[]): Latency {
  const sorted = [...samplesMs].sort((a, b) => a - b)
  return { p50Ms: round(percentile(sorted, 50), 3), p99Ms: round(percentile(sorted, 99), 3) }
}

export function round (value: number, digits = 0): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** Runs `once` `count` times in sequence and returns each duration in ms. */
export async function timeEach (count: number, once: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const start = performance.now()
    await once()
    samples.push(performance.now() - start)
  }
  return samples
}

export function median (values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50)
}
