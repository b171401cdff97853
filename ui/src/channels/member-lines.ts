// The "Chloé joined", "Alice added Bruno", "Chloé left", "Alice removed Chloé" lines of a channel,
// from its signed membership log (ChannelView.changes), in their place among the messages: after
// every message that came before the change (orderOf: as the node orders the conversation), before
// the first that came after it. Pure, so the unit test imports it without Svelte.
import type { ChannelMemberChange, ChannelMessageView } from '../../../core/api/schema.js'
import { orderOf } from '../state/conversation-order.js'

export type ChannelRow =
  | { kind: 'message', id: string, message: ChannelMessageView }
  | { kind: 'change', id: string, change: ChannelMemberChange }

/** The line a change reads as; `me` is our PeerId ("You joined"). */
export function memberLineText (change: ChannelMemberChange, me: string | undefined): string {
  const who = (peerId: string, name: string, start: boolean): string => peerId === me ? (start ? 'You' : 'you') : name
  const subject = who(change.peerId, change.name, true)
  switch (change.kind) {
    case 'create': return `${subject} created the channel`
    case 'join': return `${subject} joined`
    case 'leave': return `${subject} left`
    case 'invite': return `${who(change.by, change.byName, true)} added ${who(change.peerId, change.name, false)}`
    case 'remove': return `${who(change.by, change.byName, true)} removed ${who(change.peerId, change.name, false)}`
  }
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
  let next = 0
  for (const message of posts) {
    while (next < shown.length && shown[next]!.time <= orderOf(message)) rows.push(changeRow(shown[next++]!))
    rows.push({ kind: 'message', id: message.id, message })
  }
  while (next < shown.length) rows.push(changeRow(shown[next++]!))
  return rows
}

const changeRow = (change: ChannelMemberChange): ChannelRow => ({ kind: 'change', id: `change-${change.id}`, change })
