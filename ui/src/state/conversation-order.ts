// The order of a conversation as the node lists it: shared by the app's histories and checked
// against the node's own comparator by test/unit/conversation-order.test.ts.

/** What every message view has: an id, the author's claimed time and, when kept, its arrival at the node. */
export interface Timed {
  id: string
  time: number
  arrived?: number | undefined
  author?: string
  seq?: number
}

/** Where a message stands in its conversation: its arrival at the node (the node's order), else its claimed time. */
export function orderOf (message: Timed): number {
  return message.arrived ?? message.time
}

/** When a conversation's last message arrived at the node (0: none yet): the conversation list's order. */
export function lastArrival (conversation: { lastMessage: Timed | null }): number {
  return conversation.lastMessage === null ? 0 : orderOf(conversation.lastMessage)
}

/**
 * The node's order (core/store/database.ts, byConversationOrder): arrival at the node (never the
 * author's clock, which may be wrong); within a millisecond by author, then the author's own order
 * (seq), then id, by code units (not localeCompare: ids are case-sensitive base64url). A total
 * order, so that sorting never puts an author's later message before an earlier one.
 */
export function byTime (a: Timed, b: Timed): number {
  return orderOf(a) - orderOf(b) || codeUnitOrder(a.author ?? '', b.author ?? '') || (a.seq ?? 0) - (b.seq ?? 0) || codeUnitOrder(a.id, b.id)
}

function codeUnitOrder (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
