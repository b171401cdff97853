// What the messaging logic records in the journal, in domain terms. The node implements it with
// core/journal's entry builders, so messaging does not depend on the journal's format.
import type { ReceiptState } from '../../crypto/receipt.js'
import type { ContactRecord, MessageRecord } from '../store/records.js'

export interface JournalPort<Entry> {
  messageSent: (message: MessageRecord) => Entry
  messageReceived: (message: MessageRecord) => Entry
  /** A peer's signed receipt for messages of ours in one conversation (base64 receipt bytes and signature). */
  receipt: (r: { peer: string, conversation: string, state: ReceiptState, ids: string[], time: number, signed: string, signature: string }) => Entry
  /** Ciphertext we carry for an absent member: taken, handed over or expired (who and how much, never what). */
  carried: (c: { time: number, action: 'held' | 'handed-over' | 'refused' | 'expired', author: string, recipient: string, count: number, bytes: number }) => Entry
  keyPinned: (contact: ContactRecord) => Entry
  /** A changed key refused: `presented` holds it in `keyChanged`. */
  keyChanged: (previous: ContactRecord, presented: ContactRecord) => Entry
  /** A changed key accepted by the user (`causette trust`): `accepted` pins it in place of `previous`'s. */
  keyAccepted: (previous: ContactRecord, accepted: ContactRecord, time: number) => Entry
}
