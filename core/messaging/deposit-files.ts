// The attachment ids a deposit names, outside the seal: each file of the message and its preview,
// read from our own stored body, so that a carrier fetches those files from us and holds them for
// the absent recipient (core/messaging/carrier.ts on its side). The carrier learns the ids, never
// the descriptors (key, name, type, SHA-256), which stay inside the seal.
import { MAX_CARRY_FILES } from '../protocol/limits.js'
import type { MessageRecord } from '../store/records.js'

/** An attachment as the body holds it (core/messaging/body.ts): only its id matters here. */
interface NamedFile { chunksSha256?: unknown, preview?: { chunksSha256?: unknown } }

/** The ids of the files a stored body names, previews first (fetched first); none for a body without files. */
export function depositFiles (message: Pick<MessageRecord, 'text'> | undefined): string[] {
  if (message === undefined || !message.text.startsWith('{')) return []
  let attachments: unknown
  try { attachments = (JSON.parse(message.text) as { attachments?: unknown }).attachments } catch { return [] }
  if (!Array.isArray(attachments)) return []
  const ids = (attachments as NamedFile[]).flatMap(file => [file.preview?.chunksSha256, file.chunksSha256])
  return [...new Set(ids.filter((id): id is string => typeof id === 'string'))].slice(0, MAX_CARRY_FILES)
}
