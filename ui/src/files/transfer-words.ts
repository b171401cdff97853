// A transfer in words: sizes, speed and time left, as the progress bars and file cards show them.

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB']

/** "812 bytes", "1.4 MB", "12 GB": decimal units, as file managers show them. */
export function byteSize (bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000
    unit++
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`
}

/** "3.2 MB/s". */
export function speed (bytesPerSecond: number): string {
  return `${byteSize(bytesPerSecond)}/s`
}

/** "about 5 s left", "about 3 min left", "about 2 h left"; undefined while the speed is unknown. */
export function timeLeft (remainingBytes: number, bytesPerSecond: number | undefined): string | undefined {
  if (bytesPerSecond === undefined || bytesPerSecond <= 0) return undefined
  const seconds = Math.ceil(remainingBytes / bytesPerSecond)
  if (seconds < 60) return `about ${Math.max(1, seconds)} s left`
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`
  return `about ${Math.round(seconds / 3600)} h left`
}

/** The line under a progress bar: "1.4 MB of 5 MB · 3.2 MB/s · about 2 s left". */
export function progressLine (done: number, total: number, bytesPerSecond: number | undefined): string {
  const parts = [`${byteSize(done)} of ${byteSize(total)}`]
  if (bytesPerSecond !== undefined && bytesPerSecond > 0) parts.push(speed(bytesPerSecond))
  const left = timeLeft(total - done, bytesPerSecond)
  if (left !== undefined) parts.push(left)
  return parts.join(' · ')
}
