// The persistent outbox, mirrored in memory per peer in queue order. Each entry is a message or a
// signed receipt, sealed for its recipient when queued, so it can be sent, or carried by a colleague,
// as is. Entries leave once the peer (or, for a carried one, the peer in the end) acknowledged
// storing them, or refused them for good.
import { fromBase64, toBase64 } from '../../crypto/encoding.js'
import type { BatchOp } from '../store/batch.js'
import { heldMessage, type Database } from '../store/database.js'
import { outboxKey, type MessageRecord } from '../store/records.js'

export interface OutboxItem {
  /** The message id, or the receipt's own id */
  id: string
  /** PeerId of the recipient */
  peer: string
  time: number
  sealed: Uint8Array
  /** The message as last stored (its state moves on while it waits); none for a receipt */
  message?: MessageRecord
  /** A member's copy of one of our channel messages: that message's id (its record is not kept here). */
  copyOf?: string
}

/** The outbox item id of one member's copy of a channel message: delivery tracks items in flight by id alone. */
export function groupItemId (messageId: string, peer: string): string {
  return `${messageId}-${peer}`
}

export function messageItem (message: MessageRecord, sealed: Uint8Array): OutboxItem {
  return { id: message.id, peer: message.peer, time: message.time, sealed, message }
}

export class Outbox {
  // Per peer, item id → item; a Map keeps insertion (queue) order and deletes in O(1).
  private readonly queues = new Map<string, Map<string, OutboxItem>>()

  private constructor (private readonly db: Database) {}

  static async load (db: Database): Promise<Outbox> {
    const outbox = new Outbox(db)
    for await (const [key, { id, sealed, receipt, copyOf }] of db.outbox.iterator()) {
      const [peer, time] = key.split('!') as [string, string]
      const item: OutboxItem = { id, peer, time: Number(time), sealed: fromBase64(sealed), ...(copyOf !== undefined ? { copyOf } : {}) }
      if (receipt !== true) {
        const message = await heldMessage(db, id)
        if (message === undefined) continue
        item.message = message
      }
      outbox.queueFor(peer).set(id, item)
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

  /** How many items wait for `peer`. */
  count (peer: string): number {
    return this.queues.get(peer)?.size ?? 0
  }

  /** The peers something waits for. */
  peers (): string[] {
    return [...this.queues.keys()]
  }

  get (peer: string, id: string): OutboxItem | undefined {
    return this.queues.get(peer)?.get(id)
  }

  get size (): number {
    let size = 0
    for (const queue of this.queues.values()) size += queue.size
    return size
  }

  addOp (item: OutboxItem): BatchOp {
    return { type: 'put', sublevel: this.db.outbox, key: outboxKey(item.peer, item.time, item.id), value: { id: item.id, sealed: toBase64(item.sealed), ...(item.message === undefined ? { receipt: true } : {}), ...(item.copyOf !== undefined ? { copyOf: item.copyOf } : {}) } }
  }

  removeOp (item: Pick<OutboxItem, 'peer' | 'time' | 'id'>): BatchOp {
    return { type: 'del', sublevel: this.db.outbox, key: outboxKey(item.peer, item.time, item.id) }
  }

  /** Call once the batch with addOp is written. */
  added (item: OutboxItem): void {
    this.queueFor(item.peer).set(item.id, item)
  }

  /** Keeps the waiting item's message current after its state changed (it stays queued). */
  updated (message: MessageRecord): void {
    const item = this.queues.get(message.peer)?.get(message.id)
    if (item !== undefined) item.message = message
  }

  /** Call once the batch with removeOp is written. */
  removed (item: Pick<OutboxItem, 'peer' | 'id'>): void {
    const queue = this.queues.get(item.peer)
    if (queue === undefined) return
    queue.delete(item.id)
    if (queue.size === 0) this.queues.delete(item.peer)
  }
}
