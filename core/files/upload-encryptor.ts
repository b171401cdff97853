// Sealing a file the user sends as its bytes come (an upload, a pipe), not from a path, into the
// attachment store (sealed-file.ts): the size is known only at the end, so the chunks are 256 KiB
// and each is sealed once the next one has begun (the last one carries the final flag). Memory
// holds two chunks whatever the size; a stream over MAX_CHUNK_COUNT chunks (256 GiB) is refused.
import { DEFAULT_CHUNK_SIZE, MAX_CHUNK_COUNT } from '../../crypto/file-cipher.js'
import { CausetteError } from '../errors.js'
import type { AttachmentStore } from './attachment-store.js'
import type { AttachmentDescriptor } from './descriptor.js'
import { sealIntoStore } from './sealed-file.js'

export interface IncomingFile {
  name: string
  /** A media type; anything unusable is sent as application/octet-stream. */
  type: string
  content: AsyncIterable<Uint8Array>
}

export async function encryptUploadToStore (store: AttachmentStore, file: IncomingFile): Promise<AttachmentDescriptor> {
  return await sealIntoStore(store, { name: file.name, type: file.type }, async seal => {
    let size = 0
    let index = 0
    let pending: Uint8Array | undefined
    for await (const chunk of chunksOf(file.content, DEFAULT_CHUNK_SIZE)) {
      if (pending !== undefined) await seal(index++, false, pending)
      if (index >= MAX_CHUNK_COUNT) throw new CausetteError('BAD_REQUEST', `a file sent as a stream is at most ${MAX_CHUNK_COUNT} chunks of ${DEFAULT_CHUNK_SIZE} bytes`)
      size += chunk.length
      pending = chunk
    }
    await seal(index, true, pending ?? new Uint8Array(0))
    return { size, chunkSize: DEFAULT_CHUNK_SIZE, chunkCount: index + 1 }
  })
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
