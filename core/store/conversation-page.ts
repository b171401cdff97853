// One page of a conversation's history (1:1 or channel): newest first from a time cursor, oldest
// first after one, or centred on a message.
//
// Messages are keyed by arrival in milliseconds, and a burst puts hundreds in one millisecond, so a
// page never ends inside a millisecond: it holds every message of its oldest one. The next page's
// `before` is then simply the oldest `arrived` held, and no message is skipped or read twice
// (a page that stopped mid-millisecond left the app a cursor that skipped the rest of it, or
// never got past it).
import { arrivalOf, byConversationOrder, type Database } from './database.js'
import { messageKey, type MessageRecord } from './records.js'

export interface PageQuery {
  /** Only messages that arrived after this time (Unix ms, exclusive). */
  since?: number
  /** Only messages that arrived before this time (Unix ms, exclusive). */
  before?: number
  /** At least this many when that many are there; more only to finish the oldest millisecond. */
  limit: number
  /** Which records count (a thread, a search); the others are read past. */
  accept?: (message: MessageRecord) => boolean
}

/** The newest `limit` messages of `conversation` in the query's window, whole milliseconds, in conversation order. */
export async function conversationPage (db: Pick<Database, 'messages'>, conversation: string, query: PageQuery): Promise<MessageRecord[]> {
  const range = {
    gte: query.since !== undefined ? messageKey(conversation, query.since + 1, '') : `${conversation}!`,
    lt: query.before !== undefined ? messageKey(conversation, query.before, '') : `${conversation}!\uffff`,
    reverse: true
  }
  const found: MessageRecord[] = []
  for await (const message of db.messages.values(range)) {
    if (query.accept !== undefined && !query.accept(message)) continue
    const oldest = found.at(-1)
    if (found.length >= query.limit && oldest !== undefined && arrivalOf(message) !== arrivalOf(oldest)) break
    found.push(message)
  }
  return found.sort(byConversationOrder)
}

/** The oldest `limit` messages of `conversation` that arrived after `after` (exclusive), whole milliseconds, in conversation order: pages towards the present. */
export async function conversationPageAfter (db: Pick<Database, 'messages'>, conversation: string, after: number, limit: number, accept?: PageQuery['accept']): Promise<MessageRecord[]> {
  const found: MessageRecord[] = []
  for await (const message of db.messages.values({ gte: messageKey(conversation, after + 1, ''), lt: `${conversation}!\uffff` })) {
    if (accept !== undefined && !accept(message)) continue
    const newest = found.at(-1)
    if (found.length >= limit && newest !== undefined && arrivalOf(message) !== arrivalOf(newest)) break
    found.push(message)
  }
  return found.sort(byConversationOrder)
}

/**
 * A page centred on one message (a search result opened far back): about `limit / 2` messages up to
 * it and as many after, whole milliseconds at both ends, so `before` and `after` pages continue it
 * without a gap. Undefined when the message is not in `conversation`.
 */
export async function conversationPageAround (db: Pick<Database, 'messages' | 'messageIndex'>, conversation: string, id: string, limit: number, accept?: PageQuery['accept']): Promise<MessageRecord[] | undefined> {
  const key = await db.messageIndex.get(id)
  if (key === undefined || !key.startsWith(`${conversation}!`)) return undefined
  const message = await db.messages.get(key)
  if (message === undefined) return undefined
  const arrived = arrivalOf(message)
  const upTo = await conversationPage(db, conversation, { before: arrived + 1, limit: Math.ceil(limit / 2), ...(accept === undefined ? {} : { accept }) })
  const after = await conversationPageAfter(db, conversation, arrived, Math.floor(limit / 2), accept)
  return [...upTo, ...after]
}
