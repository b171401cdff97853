// A person's presence in words: "Focus until 15:30 · Quarterly report", "Away · Lunch",
// "Connected" (available), "Last seen 5 min ago" when not connected.
import type { PeerView } from '../../../core/api/schema.js'
import { STATUS_LABELS } from '../state/presence.svelte.js'
import { untilText } from '../lib/until.js'
import { connectionText } from './connection-text.js'
import { nodeLink } from '../api/node-link.svelte.js'

export function presenceText (person: PeerView, now: number): string {
  const { status, text, until } = person.presence
  if (nodeLink.lost) return connectionText(person, now)
  // Connected and available is the usual case: "Connected" says both (the green dot too).
  const base = !person.connected || status === 'available' ? connectionText(person, now) : `${STATUS_LABELS[status]}${untilText(until, now)}`
  return text === '' ? base : `${base} · ${text}`
}

/** The composer's hint before writing to someone in focus: who, and until when (the composer says what that does to the message). */
export function focusHint (person: PeerView | undefined, name: string, now: number): string | undefined {
  if (person?.connected !== true || person.presence.status !== 'focus') return undefined
  const until = person.presence.until
  return `${name} is in focus${until === null ? '' : untilText(until, now)}`
}
