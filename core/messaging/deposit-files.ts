// The attachment ids a deposit names, outside the seal: each file of the message and its preview,
// read from our own stored body, so that a carrier fetches those files from us and holds them for
// the absent recipient (core/messaging/carrier.ts on its side). The carrier learns the ids, never
// the descriptors (key, name, type, SHA-256), which stay inside the seal.
import { filesOf } from '../files/body-attachment.js'
import { attachmentId } from '../files/descriptor.js'
import type { MessageRecord } from '../store/records.js'
import { storedBody } from './body.js'

/** The ids of the files a stored body names, previews first (the order they are fetched in); none for a body without files. */
export function depositFiles (message: Pick<MessageRecord, 'text'> | undefined): string[] {
  if (message === undefined || !message.text.includes('"attachments"')) return []
  return filesOf(storedBody(message.text).attachments ?? []).map(file => attachmentId(file.descriptor))
}
