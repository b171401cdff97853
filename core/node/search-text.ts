// What the node's search index reads of a message: what the messaging logic says (an edit's words go
// to the message it edits, a deletion leaves the results), with each mention as the name people see
// ("@Bruno Petit"), so a colleague's name finds the messages that mention them and an excerpt never
// shows a raw mention token.
import { withPlainMentions } from '../mentions.js'
import { searchableOf } from '../messaging/searchable.js'
import type { SearchableText } from '../search/searchable-text.js'
import type { Database } from '../store/database.js'

export function searchTextOf (db: Pick<Database, 'messages' | 'messageIndex' | 'amendments'>): SearchableText {
  const messaging = searchableOf(db)
  return {
    indexed: message => {
      const indexed = messaging.indexed(message)
      return indexed === undefined ? undefined : { id: indexed.id, text: withPlainMentions(indexed.text) }
    },
    current: async message => {
      const text = await messaging.current(message)
      return text === undefined ? undefined : withPlainMentions(text)
    }
  }
}
