// The text of a stored message that search reads: a 1:1 message's text, a channel message's body text
// (its record holds the exact signed JSON body, core/channels/body.ts). A reaction has none. When the
// body format changes (edits, replies), this is the one place that says what is searched.
import type { MessageRecord } from '../store/records.js'

export function searchableText (message: Pick<MessageRecord, 'text' | 'channel'>): string {
  if (message.channel === undefined) return message.text
  try {
    const body: unknown = JSON.parse(message.text)
    const text = (body as { text?: unknown } | null)?.text
    return typeof text === 'string' ? text : ''
  } catch {
    return ''
  }
}
