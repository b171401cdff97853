// What the messaging logic records in the journal, in domain terms. The node implements it with
// core/journal's entry builders, so messaging does not depend on the journal's format.
import type { ContactRecord, MessageRecord } from '../store/records.js'

export interface JournalPort<Entry> {
  messageSent: (message: MessageRecord) => Entry
  messageReceived: (message: MessageRecord) => Entry
  /** One receipt for messages of one conversation delivered together. */
  delivered: (messages: MessageRecord[], time: number) => Entry
  keyPinned: (contact: ContactRecord) => Entry
  /** A changed key refused: `presented` holds it in `keyChanged`. */
  keyChanged: (previous: ContactRecord, presented: ContactRecord) => Entry
  /** A changed key accepted by the user (`causette trust`): `accepted` pins it in place of `previous`'s. */
  keyAccepted: (previous: ContactRecord, accepted: ContactRecord, time: number) => Entry
}
