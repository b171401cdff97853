// What search reads of a stored message. The body format and what edits and deletions do are the
// messaging logic's (core/messaging/searchable.ts gives this), so the index only asks: which message
// does a stored record add words to, and what does a message show now. A stale posting (words of an
// earlier version) is harmless: results are ranked on the text shown now (ranking.ts).
import type { MessageRecord } from '../store/records.js'

export interface SearchableText {
  /** The message a stored record adds words to and their text: its own; an edit's, the message it edits; none for a reaction or a deletion. */
  indexed: (message: MessageRecord) => { id: string, text: string } | undefined
  /** The text `message` shows now (the latest edit); undefined once deleted. */
  current: (message: MessageRecord) => Promise<string | undefined>
}
