// Signed receipts, both ways (crypto/receipt.ts).
// As a recipient: every stored message owes its author a `delivered` receipt. A marker is written in
// the message's own batch, so a crash cannot lose the debt; the receipts owed within RECEIPT_GATHER_MS are built
// together, one per author and conversation (up to MAX_RECEIPT_IDS ids each), signed, sealed end to
// end and queued in the outbox like messages, so they travel, or are carried, the same way. `read`
// receipts follow the user's reading (Messenger.markRead), unless the user turned them off.
// As an author: a receipt is checked against the peer's pinned key and names only our messages.
import { ed25519Verify } from '../../crypto/ed25519.js'
import { encodeReceiptPayload, decodeReceiptPayload } from '../../crypto/e2e/index.js'
import { equals, fromBase64, toBase64Url } from '../../crypto/encoding.js'
import { encodeReceipt, MAX_RECEIPT_IDS, parseReceipt, type Receipt, type ReceiptState } from '../../crypto/receipt.js'
import { sha256 } from '../../crypto/sha256.js'
import { CausetteError } from '../errors.js'
import type { BatchOp } from '../store/batch.js'
import type { Database } from '../store/database.js'
import type { GroupCommit } from '../store/group-commit.js'
import { pendingReceiptKey, type ContactRecord, type MessageRecord } from '../store/records.js'
import type { ContactBook } from './contact-book.js'
import type { LocalIdentity } from './signed-message.js'
import type { Outbox, OutboxItem } from './outbox.js'
import type { Sessions } from './sessions.js'

export interface ReceiptWriterComponents<Entry> {
  db: Database
  contacts: ContactBook
  outbox: Outbox
  sessions: Sessions
  commit: Pick<GroupCommit<Entry, BatchOp>, 'write'>
  /** The workspace our statements and receipts name. */
  workspace: () => string
  /** Called once receipts for `peer` are queued. */
  queued: (peer: string) => void
  isConnected: (peer: string) => boolean
  now: () => number
}

export interface CheckedReceipt {
  receipt: Receipt
  bytes: Uint8Array
  signature: Uint8Array
}

/**
 * Receipts owed to a connected author are gathered this long before they are signed and sealed: a
 * conversation going back and forth then costs one receipt per burst instead of one per message,
 * and the ack has already told the author "delivered" meanwhile. For an author who is away (the
 * message was carried) the receipt is its only news: it goes at once.
 */
export const RECEIPT_GATHER_MS = 50

function chunks<T> (items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

export class ReceiptWriter<Entry> {
  /** `author!conversation` → the ids owed a delivered receipt, gathered during this turn */
  private readonly owed = new Map<string, { author: string, conversation: string, ids: string[] }>()
  private gathering = false
  private soon = false

  constructor (private readonly components: ReceiptWriterComponents<Entry>, private readonly me: LocalIdentity) {}

  /** The marker to write in the batch that stores `message`. */
  owedOp (message: MessageRecord): BatchOp {
    return { type: 'put', sublevel: this.components.db.pendingReceipts, key: pendingReceiptKey(message.author, message.conversation, message.id), value: 1 }
  }

  /** Call once `message` (with its marker) is durable. */
  owe (message: Pick<MessageRecord, 'author' | 'conversation' | 'id'>): void {
    const key = `${message.author}!${message.conversation}`
    const group = this.owed.get(key) ?? { author: message.author, conversation: message.conversation, ids: [] }
    group.ids.push(message.id)
    this.owed.set(key, group)
    if (!this.components.isConnected(message.author)) {
      if (this.soon) return
      this.soon = true
      setImmediate(() => { this.soon = false; void this.build() })
    } else if (!this.gathering) {
      this.gathering = true
      setTimeout(() => { this.gathering = false; void this.build() }, RECEIPT_GATHER_MS)
    }
  }

  /** At start: the receipts owed when the node stopped (or was killed). */
  async resume (): Promise<void> {
    for await (const key of this.components.db.pendingReceipts.keys()) {
      const [author, conversation, id] = key.split('!') as [string, string, string]
      this.owe({ author, conversation, id })
    }
  }

  private async build (): Promise<void> {
    const groups = [...this.owed.values()]
    this.owed.clear()
    const ops: BatchOp[] = []
    const items: OutboxItem[] = []
    for (const { author, conversation, ids } of groups) {
      const contact = this.components.contacts.get(author)
      // Without usable keys the debt stays (its markers too) until the next start.
      if (contact === undefined || contact.keyChanged !== undefined) continue
      const sealed = this.seal(contact, conversation, 'delivered', ids)
      items.push(...sealed.items)
      ops.push(...sealed.ops, ...ids.map(id => ({ type: 'del' as const, sublevel: this.components.db.pendingReceipts, key: pendingReceiptKey(author, conversation, id) })))
    }
    if (items.length === 0) return
    try {
      await this.components.commit.write([], ops)
    } catch {
      return // the markers remain: the next start queues these receipts again
    }
    for (const item of items) this.components.outbox.added(item)
    for (const peer of new Set(items.map(i => i.peer))) this.components.queued(peer)
  }

  /**
   * Signs and seals receipts for `contact` naming `ids` (one per MAX_RECEIPT_IDS): the outbox items
   * and the operations (outbox entries, ratchet steps) to write together. Call `outbox.added` on
   * each item once written.
   */
  seal (contact: ContactRecord, conversation: string, state: ReceiptState, ids: string[]): { items: OutboxItem[], ops: BatchOp[] } {
    const parts = chunks(ids, MAX_RECEIPT_IDS).map(part => this.sealOne(contact, conversation, state, part))
    return { items: parts.map(p => p.item), ops: parts.flatMap(p => p.ops) }
  }

  private sealOne (contact: ContactRecord, conversation: string, state: ReceiptState, ids: string[]): { item: OutboxItem, ops: BatchOp[] } {
    const time = this.components.now()
    const bytes = encodeReceipt({
      workspace: this.components.workspace(),
      conversation,
      author: this.me.deviceKey,
      to: fromBase64(contact.deviceKey),
      state,
      time,
      ids
    })
    const signature = this.me.sign(bytes)
    const { sealed, op } = this.components.sessions.seal(contact, encodeReceiptPayload({ receipt: bytes, signature }))
    const item: OutboxItem = { id: toBase64Url(sha256(bytes)), peer: contact.peerId, time, sealed }
    return { item, ops: [this.components.outbox.addOp(item), op] }
  }
}

/** Checks a decrypted receipt from `from`: signed by its pinned key, addressed to us, in our workspace. */
export function checkReceipt (plaintext: Uint8Array, from: ContactRecord, localKey: Uint8Array, workspace: string | undefined): CheckedReceipt {
  let receipt: Receipt
  let payload: ReturnType<typeof decodeReceiptPayload>
  try {
    payload = decodeReceiptPayload(plaintext)
    receipt = parseReceipt(payload.receipt)
  } catch (error) {
    throw new CausetteError('BAD_RECEIPT', (error as Error).message)
  }
  if (!equals(receipt.author, fromBase64(from.deviceKey))) throw new CausetteError('WRONG_AUTHOR', 'receipt author is not the peer it came from')
  if (!equals(receipt.to, localKey)) throw new CausetteError('BAD_RECEIPT', 'receipt: addressed to someone else')
  if (workspace !== undefined && receipt.workspace !== workspace) throw new CausetteError('BAD_RECEIPT', 'receipt names another workspace than ours')
  if (!ed25519Verify(receipt.author, payload.receipt, payload.signature)) throw new CausetteError('BAD_RECEIPT', 'receipt: bad signature')
  return { receipt, bytes: payload.receipt, signature: payload.signature }
}
