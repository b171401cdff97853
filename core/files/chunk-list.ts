// Reading the chunk list back from its canonical bytes (core/protocol/file-ports.ts encodes it): a 4-byte
// length and a SHA-256 per chunk. The list on disk was verified before it was written, so this only
// guards against a damaged file; a list received from a peer is checked against its id by the store.
import { CausetteError } from '../errors.js'
import { CHUNK_TAG_BYTES, MAX_CHUNK_COUNT, MAX_CIPHERTEXT_CHUNK_BYTES, plainChunkLength } from '../../crypto/file-cipher.js'
import { decodeChunkList, type ChunkEntry, type ChunkList } from '../protocol/file-ports.js'
import type { AttachmentDescriptor } from './descriptor.js'

const MIN_CIPHERTEXT_CHUNK_BYTES = CHUNK_TAG_BYTES

/** The stored chunk list's entries; FILE_BAD_CHUNK_LIST when they are not 1 to 2^20 whole entries. */
export function readChunkList (bytes: Uint8Array): ChunkEntry[] {
  const list = decodeChunkList(bytes)
  if (list === undefined || list.length < 1 || list.length > MAX_CHUNK_COUNT) {
    throw new CausetteError('FILE_BAD_CHUNK_LIST', 'a chunk list is 1 to 2^20 entries of 36 bytes')
  }
  return list
}

/**
 * Refuses a list whose shape no file of ours has: no chunks, too many, a chunk size out of bounds, or
 * a chunk but the last that is not the first one's length (the store places chunk i at i × that).
 */
export function checkChunkListShape (list: ChunkList): void {
  if (list.length < 1 || list.length > MAX_CHUNK_COUNT) throw new CausetteError('FILE_BAD_CHUNK_LIST', 'a chunk list has 1 to 2^20 chunks')
  const stride = list[0]!.bytes
  list.forEach((entry, index) => {
    if (!Number.isSafeInteger(entry.bytes) || entry.bytes < MIN_CIPHERTEXT_CHUNK_BYTES || entry.bytes > MAX_CIPHERTEXT_CHUNK_BYTES || entry.sha256.length !== 32) {
      throw new CausetteError('FILE_BAD_CHUNK_LIST', 'a chunk of the list is out of bounds')
    }
    const last = index === list.length - 1
    if (last ? entry.bytes > stride : entry.bytes !== stride) throw new CausetteError('FILE_BAD_CHUNK_LIST', 'every chunk but the last has the first one\'s length, the last no more')
  })
}

/**
 * Refuses a list that is not the file its descriptor states: another number of chunks, or a chunk
 * whose length is not its plaintext's and the tag. The author signs the descriptor, and the list by
 * its SHA-256, so a list that differs is the author's own doing, and no holder serves another:
 * FILE_HASH_MISMATCH, as when such a file is opened. Checked before any chunk is fetched: a preview
 * said to be 1,000 bytes was fetched whole at 8 MiB and held, a file that never opens.
 */
export function checkListFitsDescriptor (list: ChunkList, descriptor: Pick<AttachmentDescriptor, 'size' | 'chunkSize' | 'chunkCount'>): void {
  if (list.length !== descriptor.chunkCount) {
    throw new CausetteError('FILE_HASH_MISMATCH', `the chunk list has ${list.length} chunks, the descriptor states ${descriptor.chunkCount}`)
  }
  list.forEach((entry, index) => {
    const expected = plainChunkLength(descriptor.size, descriptor.chunkSize, index) + CHUNK_TAG_BYTES
    if (entry.bytes !== expected) throw new CausetteError('FILE_HASH_MISMATCH', `chunk ${index} of the list is ${entry.bytes} bytes, the descriptor states ${expected}`)
  })
}
