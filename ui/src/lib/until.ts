// Status durations as the picker offers them, and an "until" time in words.
import { shortTime } from './time.js'

export interface Duration { label: string, until: (now: Date) => number | null }

const minutes = (n: number) => (now: Date): number => now.getTime() + n * 60_000

/** Tomorrow at 08:00 local time: "until tomorrow" means the start of the next working day. */
export function tomorrowMorning (now: Date): number {
  const at = new Date(now)
  at.setDate(at.getDate() + 1)
  at.setHours(8, 0, 0, 0)
  return at.getTime()
}

export const DURATIONS: Duration[] = [
  { label: 'No end', until: () => null },
  { label: '30 minutes', until: minutes(30) },
  { label: '1 hour', until: minutes(60) },
  { label: '2 hours', until: minutes(120) },
  { label: 'Until tomorrow', until: tomorrowMorning }
]

/** The picker's choice that keeps the end already in force. */
export const KEEP_UNTIL = -1

/** " until 15:30", " until Tue 08:00", or nothing. */
export function untilText (until: number | null, now = Date.now()): string {
  return until === null ? '' : ` until ${shortTime(until, now)}`
}
