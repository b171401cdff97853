// The presence half of `causette status`: `status set ...` and `status clear` build a PUT
// /presence; `describePresence` is the line `causette status` prints.
import { parseCommandArgs } from '../command-args.js'
import type { PresenceUpdate, PresenceView } from '../../api/schema.js'
import { clockTime } from '../format.js'
import { UsageError } from '../usage.js'

const STATUSES = ['available', 'focus', 'away', 'offline'] as const
type Status = typeof STATUSES[number]

function isStatus (value: string): value is Status {
  return (STATUSES as readonly string[]).includes(value)
}

/** "30m", "2h", "1h30m", "90" (minutes) → minutes. */
export function parseDuration (text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m?)?$/.exec(text.trim())
  const minutes = match === null ? NaN : Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)
  if (!Number.isFinite(minutes) || minutes < 1 || minutes > 7 * 24 * 60) throw new UsageError(`--for takes a duration such as 30m, 2h or 1h30m (at most 7 days), not "${text}"`)
  return minutes
}

/** "15:30" → Unix ms of the next 15:30 in local time (tomorrow if it has passed today). */
export function parseClock (text: string, now = new Date()): number {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim())
  if (match === null) throw new UsageError(`--until takes a local time HH:MM, not "${text}"`)
  const at = new Date(now)
  at.setHours(Number(match[1]), Number(match[2]), 0, 0)
  if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1)
  return at.getTime()
}

/** `status set <status> [--for D] [--until HH:MM] [--text T] [--except WHO=STATUS]...` as a PresenceUpdate. */
export function parseStatusSet (argv: string[]): PresenceUpdate {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    options: { for: { type: 'string' }, until: { type: 'string' }, text: { type: 'string' }, except: { type: 'string', multiple: true } },
    allowPositionals: true,
    strict: true
  })
  const [status, ...extra] = positionals
  if (status === undefined || !isStatus(status)) throw new UsageError(`give a status: ${STATUSES.join(', ')}`)
  if (extra.length > 0) throw new UsageError(`unexpected "${extra.join(' ')}": put a status text in --text "..."`)
  if (values.for !== undefined && values.until !== undefined) throw new UsageError('give --for or --until, not both')
  const exceptions = (values.except ?? []).map(rule => {
    const at = rule.lastIndexOf('=')
    const who = rule.slice(0, at)
    const what = rule.slice(at + 1)
    if (at <= 0 || !isStatus(what)) throw new UsageError(`--except takes <peer-or-conversation>=<status>, not "${rule}"`)
    return { with: who, status: what }
  })
  return {
    status,
    text: values.text ?? '',
    ...(values.for !== undefined ? { forMinutes: parseDuration(values.for) } : {}),
    ...(values.until !== undefined ? { until: parseClock(values.until) } : {}),
    exceptions
  }
}

/** "focus until 15:30, "Quarterly report" (available for alice; muted: bob)". */
export function describePresence (p: PresenceView): string {
  const parts = [p.auto ? 'away (idle)' : p.status]
  if (p.until !== null) parts[0] += ` until ${clockTime(p.until)}`
  if (p.text !== '') parts.push(`"${p.text}"`)
  const details = [
    ...p.exceptions.map(e => `${e.status} for ${e.name}`),
    ...(p.muted.length > 0 ? [`muted: ${p.muted.map(m => m.name).join(', ')}`] : []),
    ...(p.held > 0 ? [`${p.held} notification${p.held === 1 ? '' : 's'} held`] : [])
  ]
  return parts.join(', ') + (details.length > 0 ? ` (${details.join('; ')})` : '')
}
