// What the search index reads of a stored message (core/search/searchable-text.ts): a message's
// words are its body's text and the names of the files it carries; an edit adds its new text to the
// message it edits; a reaction or a deletion adds none. What a message shows now comes from its amendments (amendments.ts).
import type { Database } from '../store/database.js'
import type { MessageRecord } from '../store/records.js'
import { amended } from './amendments.js'
import { amendmentOf, storedBody, type MessageBody } from './body.js'

export function searchableOf (db: Pick<Database, 'messages' | 'messageIndex' | 'amendments'>): {
  indexed: (message: MessageRecord) => { id: string, text: string } | undefined
  current: (message: MessageRecord) => Promise<string | undefined>
} {
  return {
    indexed: message => {
      const body = storedBody(message.text)
      const amendment = amendmentOf(body)
      if (amendment === undefined) return { id: message.id, text: withFileNames(body.text, body) }
      return amendment.kind === 'edit' ? { id: amendment.target, text: amendment.text } : undefined
    },
    current: async message => {
      if (message.amends !== undefined) return undefined
      const shown = await amended(db, message)
      return shown.deleted ? undefined : withFileNames(shown.text, shown.body)
    }
  }
}

/** A message's text and, on lines of their own, the names of its files: "devis" finds Devis.pdf. */
function withFileNames (text: string, body: MessageBody): string {
  if (body.attachments === undefined) return text
  return [text, ...body.attachments.map(file => file.name)].filter(line => line !== '').join('\n')
}
