// A received file's chunk list against the descriptor its author signed (core/files/chunk-list.ts):
// the list must be the file the descriptor states, chunk for chunk, before any chunk is fetched.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { checkListFitsDescriptor } from '../../core/files/chunk-list.js'
import { CHUNK_TAG_BYTES } from '../../crypto/file-cipher.js'
import { chunkListOf, type ChunkList } from '../../core/protocol/file-ports.js'

/** The ciphertext chunk list of a file of `lengths` plaintext chunks (random bytes: only lengths count). */
function listOf (lengths: number[]): ChunkList {
  return chunkListOf(lengths.map(length => new Uint8Array(randomBytes(length + CHUNK_TAG_BYTES))))
}

const chunkSize = 65_536
const descriptor = { size: 2 * chunkSize + 1000, chunkSize, chunkCount: 3 }

test('a list that is the file the descriptor states passes, an empty file\'s one empty chunk too', () => {
  checkListFitsDescriptor(listOf([chunkSize, chunkSize, 1000]), descriptor)
  checkListFitsDescriptor(listOf([0]), { size: 0, chunkSize, chunkCount: 1 })
})

test('a list of another shape than the descriptor states is refused with FILE_HASH_MISMATCH', () => {
  const refused = (lengths: number[]): void => {
    assert.throws(() => { checkListFitsDescriptor(listOf(lengths), descriptor) }, { code: 'FILE_HASH_MISMATCH' }, `chunks of ${lengths.join(', ')}`)
  }
  refused([chunkSize, chunkSize, 1000, 1000]) // a chunk more
  refused([chunkSize, chunkSize]) // a chunk fewer
  refused([chunkSize, chunkSize, 1001]) // the last one longer
  refused([chunkSize, chunkSize, 999]) // or shorter
  refused([4 * chunkSize, chunkSize, 1000]) // a chunk but the last of another length
  // One chunk said to be a 1,000-byte preview, 32 chunks of 256 KiB in the list.
  assert.throws(() => { checkListFitsDescriptor(listOf(Array.from({ length: 32 }, () => 256 * 1024)), { size: 1000, chunkSize, chunkCount: 1 }) }, { code: 'FILE_HASH_MISMATCH' })
})
