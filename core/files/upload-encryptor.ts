// Sealing a file the user sends as its bytes come (an upload, a pipe), not from a path: the size is
// known only at the end, so the chunks are 256 KiB and each is sealed once the next one has begun
// (the last one carries the final flag). Memory holds two chunks whatever the size; a stream over
// MAX_CHUNK_COUNT chunks (256 GiB) is refused. Returns the descriptor the message will carry.
import { createHash } from 'node:crypto'
import { toBase64Url } from '../../crypto/encoding.js'
import { DEFAULT_CHUNK_SIZE, fileCipher, MAX_CHUNK_COUNT, newFileSecret } from '../../crypto/file-cipher.js'
import { CausetteError } from '../errors.js'
import type { AttachmentStore } from './attachment-store.js'
import { normalMediaType, type AttachmentDescriptor } from './descriptor.js'
import { safeFileName } from './file-name.js'

export interface IncomingFile {
  name: string
  /** A media type; anything unusable is sent as application/octet-stream. */
  type: string
  content: AsyncIterable<Uint8Array>
}

export async function encryptUploadToStore (store: AttachmentStore, file: IncomingFile): Promise<AttachmentDescriptor> {
  const secret = newFileSecret()
  const cipher = fileCipher(secret)
  const plaintextHash = createHash('sha256')
  const draft = await store.draft()
  let size = 0
  let index = 0
  try {
    let pending: Uint8Array | undefined
    for await (const chunk of chunksOf(file.content, DEFAULT_CHUNK_SIZE)) {
      if (pending !== undefined) await draft.append(cipher.seal(index++, false, pending))
      if (index >= MAX_CHUNK_COUNT) throw new CausetteError('BAD_REQUEST', `a file sent as a stream is at most ${MAX_CHUNK_COUNT} chunks of ${DEFAULT_CHUNK_SIZE} bytes`)
      plaintextHash.update(chunk)
      size += chunk.length
      pending = chunk
    }
    await draft.append(cipher.seal(index, true, pending ?? new Uint8Array(0)))
  } catch (error) {
    await draft.discard()
    throw error
  }
  const chunksSha256 = await draft.commit()
  return {
    name: safeFileName(file.name),
    size,
    type: normalMediaType(file.type),
    sha256: plaintextHash.digest('hex'),
    key: toBase64Url(secret.key),
    nonce: toBase64Url(secret.nonce),
    chunkSize: DEFAULT_CHUNK_SIZE,
    chunkCount: index + 1,
    chunksSha256
  }
}

/** The bytes of `content` in whole chunks of `chunkSize` (the last one shorter), each a buffer of its own. */
async function * chunksOf (content: AsyncIterable<Uint8Array>, chunkSize: number): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(chunkSize)
  let filled = 0
  for await (const piece of content) {
    let at = 0
    while (at < piece.length) {
      const taken = Math.min(chunkSize - filled, piece.length - at)
      buffer.set(piece.subarray(at, at + taken), filled)
      filled += taken
      at += taken
      if (filled === chunkSize) {
        yield buffer
        buffer = new Uint8Array(chunkSize)
        filled = 0
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled)
}
