// What edits, deletions and reactions change in a message the app holds (core/messaging/amendments.ts):
// a `message-updated` event or an edit's answer brings the message as now shown; only these fields
// are taken from it, since its delivery state may be older than the one held.
import type { MessageView, ReactionView } from '../../../core/api/schema.js'
import { spokenName } from '../people/name-tag.js'

export type AmendedFields = Pick<MessageView, 'text' | 'edited' | 'versions' | 'deleted' | 'quote' | 'reactions'>

/** The message a reply quotes, as the composer shows it while writing. */
export type QuotedDraft = Pick<MessageView, 'id' | 'authorName' | 'authorTag' | 'text'>

const FIELDS = ['text', 'edited', 'versions', 'deleted', 'quote', 'reactions'] as const

/** `known` with the amended fields of `next` (those absent from `next` are dropped). */
export function withAmended<T extends AmendedFields> (known: T, next: AmendedFields): T {
  const merged: Record<string, unknown> = { ...known }
  for (const field of FIELDS) {
    if (next[field] === undefined) delete merged[field]
    else merged[field] = next[field]
  }
  return merged as T
}

export interface ReactionCount {
  emoji: string
  count: number
  /** Whether one of them is ours: pressing the chip then takes it back. */
  mine: boolean
  /** Who reacted, for the chip's label ("you" for us; a shared name with its tag). */
  names: string[]
}

/** A message's reactions as the chips show them. */
export function reactionCounts (reactions: ReactionView[] | undefined, self: string | undefined): ReactionCount[] {
  return (reactions ?? []).map(r => ({
    emoji: r.emoji,
    count: r.count,
    mine: r.mine,
    names: r.authors.map(a => a.peerId === self ? 'you' : spokenName(a.name, a.nameTag))
  }))
}
