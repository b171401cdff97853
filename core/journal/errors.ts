// The journal's errors, with stable codes (see core/errors.ts for the convention).
import { CodedError } from '../../crypto/coded-error.js'
export type JournalErrorCode =
  | 'JOURNAL_CORRUPT' // a stored node or leaf is missing or the tree does not match the last checkpoint
  | 'JOURNAL_BAD_OP' // a caller's batch operation that would write inside the journal
  | 'JOURNAL_BAD_ORIGIN' // an origin that is not journalOrigin(PeerId of the device key)

export class JournalError extends CodedError<JournalErrorCode> {
  override name = 'JournalError'
}
