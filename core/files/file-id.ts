// The id a desk gives a file a message carries (session 30, red team; docs/files.md "One file per
// author"): SHA-256 of a label, the author's PeerId and the file's chunk list hash (its content id,
// `attachmentId`), in hex. The content id is what holders serve and the store keeps, once for every
// message naming it; any colleague that reads it (a channel member, a carrier) can name it in a
// message of its own. Deriving the desk's id from the message's signed author gives that colleague
// a record of its own, so the real author's description of its file is never set aside for another's.
import { fromHex, toHex, utf8 } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'
import type { AttachmentDescriptor } from './descriptor.js'

const FILE_ID_LABEL = utf8('causette/file-of-author/v1\n')
const NEWLINE = utf8('\n')

/** The id of content `contentId` (hex chunk list SHA-256) as a message by `author` (a PeerId) names it. */
export function fileIdOf (author: string, contentId: string): string {
  return toHex(sha256(FILE_ID_LABEL, utf8(author), NEWLINE, fromHex(contentId)))
}

/** The id of `descriptor`'s file as a message by `author` names it. */
export function authorsFileId (author: string, descriptor: AttachmentDescriptor): string {
  return fileIdOf(author, descriptor.chunksSha256)
}
