// The "Chloé joined", "Alice added Bruno", "Chloé left", "Alice removed Chloé" lines of a channel,
// from its signed membership log (ChannelView.changes), in their place among the messages: after
// every message that came before the change (orderOf: as the node orders the conversation), before
// the first that came after it. Changes of one kind made together read as one line ("You added
// Bruno, Carla and 17 others"): a new office's first channel gets everyone at once. Pure, so the
// unit test imports it without Svelte.
import type { ChannelMemberChange, ChannelMessageView } from '../../../core/api/schema.js'
import { orderOf } from '../state/conversation-order.js'

export type ChannelRow =
  | { kind: 'message', id: string, message: ChannelMessageView }
  | { kind: 'changes', id: string, changes: ChannelMemberChange[] }

/**
 * Changes this close to the first of a line, with no message between them, join its line: made at
 * once (a list of people added together), not minutes apart, which a newer member, who sees none of
 * the messages between, would otherwise read as one.
 */
const TOGETHER_MS = 60_000
/** Names a line shows before "and N others"; a line of this many or fewer names them all. */
const NAMED = 2

/** A line's words, with the "N others" that stand for the names it does not show (a button in the app). */
export interface MemberLineParts { before: string, others?: number, after: string }

const names = new Intl.ListFormat('en-GB', { type: 'conjunction' })

/**
 * The line `changes` read as (one change, or several of one kind grouped by withMemberLines); `me`
 * is our PeerId ("You joined"). Past NAMED + 1 names, the rest is counted unless `expanded`.
 */
export function memberLineParts (changes: ChannelMemberChange[], me: string | undefined, expanded = false): MemberLineParts {
  const first = changes[0]!
  const who = (peerId: string, name: string, start: boolean): string => peerId === me ? (start ? 'You' : 'you') : name
  const listed = (start: boolean): { before: string, others?: number } => {
    const subjects = changes.map((change, index) => who(change.peerId, change.name, start && index === 0))
    if (expanded || subjects.length <= NAMED + 1) return { before: names.format(subjects) }
    return { before: `${subjects.slice(0, NAMED).join(', ')} and `, others: subjects.length - NAMED }
  }
  const by = who(first.by, first.byName, true)
  switch (first.kind) {
    case 'create': return { before: `${who(first.peerId, first.name, true)} created the channel`, after: '' }
    case 'join': return { ...listed(true), after: ' joined' }
    case 'leave': return { ...listed(true), after: ' left' }
    case 'invite': { const list = listed(false); return { ...list, before: `${by} added ${list.before}`, after: '' } }
    case 'remove': { const list = listed(false); return { ...list, before: `${by} removed ${list.before}`, after: '' } }
  }
}

/** The line as plain words. */
export function memberLineText (changes: ChannelMemberChange[], me: string | undefined, expanded = false): string {
  const { before, others, after } = memberLineParts(changes, me, expanded)
  return `${before}${others === undefined ? '' : `${others} others`}${after}`
}

/** Whether `next` reads as part of the line that `line` starts (same kind, same signer where it names one, soon after). */
function together (line: ChannelMemberChange[], next: ChannelMemberChange): boolean {
  const first = line[0]!
  if (first.kind !== next.kind || first.kind === 'create' || next.time - first.time >= TOGETHER_MS) return false
  return first.kind === 'join' || first.kind === 'leave' || first.by === next.by
}

/**
 * The timeline's rows: the posts (in the node's order) with the lines between them. Lines older
 * than the first post loaded wait while older pages remain (they belong among those).
 */
export function withMemberLines (posts: ChannelMessageView[], changes: ChannelMemberChange[], hasOlder: boolean): ChannelRow[] {
  const first = posts[0]
  const shown = changes.filter(c => !hasOlder || (first !== undefined && c.time >= orderOf(first)))
    .sort((a, b) => a.time - b.time)
  const rows: ChannelRow[] = []
  const addChange = (change: ChannelMemberChange): void => {
    const last = rows.at(-1)
    if (last?.kind === 'changes' && together(last.changes, change)) last.changes.push(change)
    else rows.push({ kind: 'changes', id: `change-${change.id}`, changes: [change] })
  }
  let next = 0
  for (const message of posts) {
    while (next < shown.length && shown[next]!.time <= orderOf(message)) addChange(shown[next++]!)
    rows.push({ kind: 'message', id: message.id, message })
  }
  while (next < shown.length) addChange(shown[next++]!)
  return rows
}
