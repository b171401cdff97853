// The user read a channel: its unread messages become read, its unread count drops to what arrived
// meanwhile, and, unless the user turned read receipts off, each author gets signed `read` receipts for
// their messages (sealed in the pairwise session, queued like messages); all in one batch.
import { channelConversationId } from '../../crypto/channel-log.js'
import type { OutboxItem } from '../messaging/outbox.js'
import type { BatchOp } from '../store/batch.js'
import { messageOps } from '../store/database.js'
import type { MessageRecord } from '../store/records.js'
import type { ChannelContext } from './context.js'
import type { HeldChannel } from './store.js'

export async function readChannel<Entry> (context: ChannelContext<Entry>, held: HeldChannel): Promise<void> {
  const unread = held.record.unread
  if (unread === 0) return
  const conversation = channelConversationId(held.log.channelId)
  const now = context.now()
  const read = (await unreadMessages(context, conversation, unread)).map((m): MessageRecord => ({ ...m, state: 'read', stateTime: now, stateTimes: { ...m.stateTimes, read: now } }))
  const receipts = context.readReceipts() ? readReceipts(context, conversation, read) : { items: [], ops: [] }
  // Read again after the scan: what arrived meanwhile stays unread.
  const record = { ...held.record, unread: Math.max(0, held.record.unread - unread) }
  await context.commit.write([], [context.store.setRecord(record), ...read.flatMap(m => messageOps(context.db, m)), ...receipts.ops])
  for (const item of receipts.items) context.outbox.added(item)
  for (const peer of new Set(receipts.items.map(i => i.peer))) context.flush(peer)
  context.changed({ type: 'channel', channel: held.log.channelId })
}

/** The latest `count` received messages not yet read, newest first (catch-up may bring older ones late). */
async function unreadMessages<Entry> (context: ChannelContext<Entry>, conversation: string, count: number): Promise<MessageRecord[]> {
  const found: MessageRecord[] = []
  for await (const message of context.db.messages.values({ gte: `${conversation}!`, lt: `${conversation}!\uffff`, reverse: true })) {
    if (found.length >= count) break
    if (message.direction === 'in' && message.amends === undefined && message.state !== 'read') found.push(message)
  }
  return found
}

/** Read receipts to each author whose keys we can use (a key change blocks them, as for 1:1). */
function readReceipts<Entry> (context: ChannelContext<Entry>, conversation: string, read: MessageRecord[]): { items: OutboxItem[], ops: BatchOp[] } {
  const byAuthor = new Map<string, string[]>()
  for (const m of read) byAuthor.set(m.author, [...byAuthor.get(m.author) ?? [], m.id])
  const items: OutboxItem[] = []
  const ops: BatchOp[] = []
  for (const [author, ids] of byAuthor) {
    const contact = context.contacts.get(author)
    if (contact === undefined || contact.keyChanged !== undefined) continue
    const sealed = context.receipts.seal(contact, conversation, 'read', ids)
    items.push(...sealed.items)
    ops.push(...sealed.ops)
  }
  return { items, ops }
}
