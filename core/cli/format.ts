// Human output: aligned columns, relative times, and how far our messages got.
import type { ChannelDelivery, ClockView, MessageView } from '../api/schema.js'
import { clockDistance } from '../api/clock-words.js'

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table (header: string[], rows: string[][]): string[] {
  const all = [header, ...rows]
  const widths = header.map((_, column) => Math.max(...all.map(row => (row[column] ?? '').length)))
  return all.map(row => row.map((cell, column) => column === row.length - 1 ? cell : cell.padEnd(widths[column])).join('  ').trimEnd())
}

const UNITS: Array<[limitMs: number, unitMs: number, unit: string]> = [
  [60_000, 1000, 's'],
  [3_600_000, 60_000, 'min'],
  [86_400_000, 3_600_000, 'h'],
  [7 * 86_400_000, 86_400_000, 'd']
]

/** "just now", "42 s ago", "3 min ago", "5 h ago", "2 d ago", then the date. */
export function relativeTime (timeMs: number | null, nowMs = Date.now()): string {
  if (timeMs === null) return 'never'
  const age = nowMs - timeMs
  if (age < 0) return new Date(timeMs).toISOString().slice(0, 16).replace('T', ' ')
  if (age < 5000) return 'just now'
  for (const [limit, unit, name] of UNITS) if (age < limit) return `${Math.floor(age / unit)} ${name} ago`
  return new Date(timeMs).toISOString().slice(0, 10)
}

/** One line of a message text for a table cell. */
export function oneLine (text: string, max = 80): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ')
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** "15:30", in local time. */
export function clockTime (ms: number): string {
  return new Date(ms).toTimeString().slice(0, 5)
}

/** A 1:1 message's state: "delivered", or "delivered silently" when it reached a recipient in focus. */
export function messageState (m: Pick<MessageView, 'state' | 'silent'>): string {
  return m.silent !== undefined ? `${m.state} silently` : m.state
}

/** One of our channel messages: "delivered 3/5 · read 2", with "silently" and "failed" counts when any. */
export function deliverySummary (d: ChannelDelivery): string {
  return [
    `delivered ${d.delivered}/${d.members}`,
    ...(d.read > 0 ? [`read ${d.read}`] : []),
    ...(d.silent > 0 ? [`${d.silent} silently`] : []),
    ...(d.failed > 0 ? [`failed ${d.failed}`] : [])
  ].join(' · ')
}

/** Our clock against our colleagues' (`causette status`). */
export function describeClock (clock: ClockView): string {
  if (clock.offsetMs === null) return 'not compared yet (no colleague heard)'
  if (!clock.wrong) return `agrees with your colleagues' (${clock.peers} heard)`
  return `${clockDistance(clock.offsetMs)} ${clock.offsetMs > 0 ? 'ahead of' : 'behind'} your colleagues': fix it in the system settings`
}

/** A message's text in one line of a table: "(deleted)", or its text with "(edited)" and its reactions. */
export function shownLine (message: Pick<MessageView, 'text' | 'edited' | 'deleted' | 'reactions'>): string {
  if (message.deleted === true) return '(deleted)'
  const reactions = (message.reactions ?? []).map(r => `  ${r.emoji} ${r.count}`).join('')
  return `${oneLine(message.text)}${message.edited === true ? ' (edited)' : ''}${reactions}`
}
