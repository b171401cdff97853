// What the messaging logic needs of the search index (core/search, wired by the node): the writes
// that index a newly stored message, and those that take one out (deleted; or edited: out with its
// old text, in with the new), each put in the same batch as the change to the message.
import type { BatchOp } from '../store/batch.js'
import type { MessageRecord } from '../store/records.js'

export interface SearchPort {
  indexOps: (message: MessageRecord) => BatchOp[]
  /** `message` as it was indexed (its old text). */
  removeOps: (message: MessageRecord) => BatchOp[]
}
