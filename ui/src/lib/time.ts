// Times as people read them: "14:05" today, "Mon 14:05" this week, a date beyond.
const DAY_MS = 24 * 60 * 60 * 1000

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' })
const date = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' })
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' })

export function shortTime (ms: number, now = Date.now()): string {
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString()
  if (sameDay) return clock.format(ms)
  if (now - ms < 6 * DAY_MS) return weekday.format(ms)
  return date.format(ms)
}

/**
 * The time alone, without "AM" or "PM": beside a message of the same author, in the narrow gutter
 * under the avatar of the message above, whose header gives the whole time.
 */
export function gutterTime (ms: number, format = clock): string {
  const parts = format.formatToParts(ms)
  const first = parts.findIndex(part => part.type === 'hour' || part.type === 'minute')
  const last = parts.findLastIndex(part => part.type === 'hour' || part.type === 'minute')
  return parts.slice(first, last + 1).map(part => part.value).join('')
}

export function fullTime (ms: number): string {
  return full.format(ms)
}

/** "just now", "5 min ago", "3 h ago", else a short date. */
export function ago (ms: number, now = Date.now()): string {
  const minutes = Math.floor((now - ms) / 60_000)
  if (minutes < 1) return 'just now'
  if (minutes < 60) return `${minutes} min ago`
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ago`
  return shortTime(ms, now)
}

const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' })
const dayMonthYear = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })

/** "14:02 on 4 Dec" (the year too when it is not this one): a moment in a sentence. */
export function momentText (ms: number, now = Date.now()): string {
  const day = new Date(ms).getFullYear() === new Date(now).getFullYear() ? dayMonth : dayMonthYear
  return `${clock.format(ms)} on ${day.format(ms)}`
}
