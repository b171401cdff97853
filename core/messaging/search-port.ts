// What the messaging logic needs of the search index (core/search, wired by the node): the writes
// that index a newly stored message, put in the same batch as the message.
import type { BatchOp } from '../store/batch.js'
import type { MessageRecord } from '../store/records.js'

export interface SearchPort {
  indexOps: (message: MessageRecord) => BatchOp[]
}
