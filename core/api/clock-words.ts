// How far apart two clocks are, in words, for the CLI and the app alike (both word the API's clock
// figures: ClockView, a colleague's clockOffsetMs). Pure, no imports: the app may import it.

const DISTANCES: Array<[unitMs: number, unit: string]> = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute']]

/** "1 day", "3 hours", "12 minutes": how far apart two clocks are, rounded to the largest unit. */
export function clockDistance (ms: number): string {
  const abs = Math.abs(ms)
  const [unitMs, unit] = DISTANCES.find(([unitMs]) => abs >= unitMs * 0.95) ?? DISTANCES[DISTANCES.length - 1]!
  const count = Math.max(1, Math.round(abs / unitMs))
  return `${count} ${unit}${count === 1 ? '' : 's'}`
}
