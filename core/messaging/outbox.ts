// The persistent outbox, mirrored in memory per peer in send order. Each entry holds the message
// sealed for its recipient at send time, so it can be sent (or, later, carried) as is. Entries leave
// once the peer acknowledged storing the message, or refused it for good.
import { fromBase64, toBase64 } from '../../crypto/encoding.js'
import type { BatchOp } from '../store/batch.js'
import type { Database } from '../store/database.js'
import { outboxKey, type MessageRecord } from '../store/records.js'

export interface OutboxItem { message: MessageRecord, sealed: Uint8Array }

export class Outbox {
  // Per peer, message id → item; a Map keeps insertion (send) order and deletes in O(1).
  private readonly queues = new Map<string, Map<string, OutboxItem>>()

  private constructor (private readonly db: Database) {}

  static async load (db: Database): Promise<Outbox> {
    const outbox = new Outbox(db)
    for await (const [key, { id, sealed }] of db.outbox.iterator()) {
      const messageKey = await db.messageIndex.get(id)
      const message = messageKey === undefined ? undefined : await db.messages.get(messageKey)
      if (message !== undefined) outbox.queueFor(key.slice(0, key.indexOf('!'))).set(id, { message, sealed: fromBase64(sealed) })
    }
    return outbox
  }

  private queueFor (peer: string): Map<string, OutboxItem> {
    let queue = this.queues.get(peer)
    if (queue === undefined) { queue = new Map(); this.queues.set(peer, queue) }
    return queue
  }

  /** The items waiting for `peer`, oldest first. */
  pending (peer: string): Iterable<OutboxItem> {
    return this.queues.get(peer)?.values() ?? []
  }

  get size (): number {
    let size = 0
    for (const queue of this.queues.values()) size += queue.size
    return size
  }

  addOp ({ message, sealed }: OutboxItem): BatchOp {
    return { type: 'put', sublevel: this.db.outbox, key: outboxKey(message.peer, message.time, message.id), value: { id: message.id, sealed: toBase64(sealed) } }
  }

  removeOp (message: MessageRecord): BatchOp {
    return { type: 'del', sublevel: this.db.outbox, key: outboxKey(message.peer, message.time, message.id) }
  }

  /** Call once the batch with addOp is written. */
  added (item: OutboxItem): void {
    this.queueFor(item.message.peer).set(item.message.id, item)
  }

  /** Call once the batch with removeOp is written. */
  removed (message: MessageRecord): void {
    const queue = this.queues.get(message.peer)
    if (queue === undefined) return
    queue.delete(message.id)
    if (queue.size === 0) this.queues.delete(message.peer)
  }
}
