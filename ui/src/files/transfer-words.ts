// A transfer in words: sizes, speed, time left and a stall, as the progress bars and file cards show
// them. Sizes are the CLI's (core/api/size-words.ts: binary units, "5 GiB"), each number held to its
// unit by a no-break space, so that a narrow screen never puts "1.4" on one line and "MiB" on the next.
import { byteSize as sizeWords } from '../../../core/api/size-words.js'

const NO_BREAK = '\u00a0'

/** "812 bytes", "1.4 MiB", "12 GiB", never split over two lines. */
export function byteSize (bytes: number): string {
  return sizeWords(bytes, NO_BREAK)
}

/** "3.2 MiB/s". */
export function speed (bytesPerSecond: number): string {
  return `${byteSize(bytesPerSecond)}/s`
}

/** "5 s", "3 min", "2 h" (whole seconds, rounded to the largest unit). */
function duration (seconds: number): string {
  if (seconds < 60) return `${seconds}${NO_BREAK}s`
  if (seconds < 3600) return `${Math.round(seconds / 60)}${NO_BREAK}min`
  return `${Math.round(seconds / 3600)}${NO_BREAK}h`
}

/** "about 5 s left", "about 3 min left", "about 2 h left"; undefined while the speed is unknown. */
export function timeLeft (remainingBytes: number, bytesPerSecond: number | undefined): string | undefined {
  if (bytesPerSecond === undefined || bytesPerSecond <= 0) return undefined
  return `about ${duration(Math.max(1, Math.ceil(remainingBytes / bytesPerSecond)))} left`
}

/**
 * The line under a progress bar: "1.4 MiB of 5 MiB · 3.2 MiB/s · about 2 s left"; stalled (nothing
 * moved for `stalledMs`, stall-watch.ts), no speed nor time left, which would be stale: "1.4 MiB of
 * 5 MiB · stalled for 12 s".
 */
export function progressLine (done: number, total: number, bytesPerSecond: number | undefined, stalledMs?: number): string {
  const parts = [`${byteSize(done)} of ${byteSize(total)}`]
  if (stalledMs !== undefined) return [...parts, `stalled for ${duration(Math.floor(stalledMs / 1000))}`].join(' · ')
  if (bytesPerSecond !== undefined && bytesPerSecond > 0) parts.push(speed(bytesPerSecond))
  const left = timeLeft(total - done, bytesPerSecond)
  if (left !== undefined) parts.push(left)
  return parts.join(' · ')
}
