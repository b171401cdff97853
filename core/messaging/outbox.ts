// The persistent outbox, mirrored in memory per peer in send order. Entries leave it once the peer
// acknowledged storing the message (or refused it for good).
import type { Database } from '../store/database.js'
import { outboxKey, type MessageRecord } from '../store/records.js'

type Op = { type: 'put', sublevel: Database['outbox'], key: string, value: string } | { type: 'del', sublevel: Database['outbox'], key: string }

export class Outbox {
  // Per peer, message id → message; a Map keeps insertion (send) order and deletes in O(1).
  private readonly queues = new Map<string, Map<string, MessageRecord>>()

  private constructor (private readonly db: Database) {}

  static async load (db: Database): Promise<Outbox> {
    const outbox = new Outbox(db)
    for await (const [key, id] of db.outbox.iterator()) {
      const messageKey = await db.messageIndex.get(id)
      const message = messageKey === undefined ? undefined : await db.messages.get(messageKey)
      if (message !== undefined) outbox.queueFor(key.slice(0, key.indexOf('!'))).set(message.id, message)
    }
    return outbox
  }

  private queueFor (peer: string): Map<string, MessageRecord> {
    let queue = this.queues.get(peer)
    if (queue === undefined) { queue = new Map(); this.queues.set(peer, queue) }
    return queue
  }

  /** The messages waiting for `peer`, oldest first. */
  pending (peer: string): Iterable<MessageRecord> {
    return this.queues.get(peer)?.values() ?? []
  }

  get size (): number {
    let size = 0
    for (const queue of this.queues.values()) size += queue.size
    return size
  }

  addOp (message: MessageRecord): Op {
    return { type: 'put', sublevel: this.db.outbox, key: outboxKey(message.peer, message.time, message.id), value: message.id }
  }

  removeOp (message: MessageRecord): Op {
    return { type: 'del', sublevel: this.db.outbox, key: outboxKey(message.peer, message.time, message.id) }
  }

  /** Call once the batch with addOp is written. */
  added (message: MessageRecord): void {
    this.queueFor(message.peer).set(message.id, message)
  }

  /** Call once the batch with removeOp is written. */
  removed (message: MessageRecord): void {
    const queue = this.queues.get(message.peer)
    if (queue === undefined) return
    queue.delete(message.id)
    if (queue.size === 0) this.queues.delete(message.peer)
  }
}
