// Per-file encryption in chunks (crypto/file-cipher.ts): each chunk opens only with its file's key,
// at its own index and with its own final flag, so chunks cannot be reordered, swapped in from
// another file, or a file cut after a chunk that was not its last.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { chunkCountOf, newFileSecret, openChunk, plainChunkLength, sealChunk } from '../../crypto/file-cipher.js'
import { fromUtf8, utf8 } from '../../crypto/encoding.js'
import { loadSodium } from '../../crypto/sodium.js'

const sodium = await loadSodium()

test('a chunk opens with its key, index and final flag, and with nothing else', () => {
  const file = newFileSecret()
  const sealed = [sealChunk(sodium, file, 0, false, utf8('first ')), sealChunk(sodium, file, 1, true, utf8('last'))]
  assert.equal(sealed[0]!.length, 6 + 16)
  assert.equal(fromUtf8(openChunk(sodium, file, 0, false, sealed[0]!)) + fromUtf8(openChunk(sodium, file, 1, true, sealed[1]!)), 'first last')
  // Reordered: chunk 1 read at index 0.
  assert.throws(() => openChunk(sodium, file, 0, true, sealed[1]!), { code: 'FILE_CHUNK_REFUSED' })
  assert.throws(() => openChunk(sodium, file, 0, false, sealed[1]!), { code: 'FILE_CHUNK_REFUSED' })
  // Cut after chunk 0: a reader told the file has one chunk expects chunk 0 to be final.
  assert.throws(() => openChunk(sodium, file, 0, true, sealed[0]!), { code: 'FILE_CHUNK_REFUSED' })
  // A final chunk taken for a middle one (chunks appended after the end).
  assert.throws(() => openChunk(sodium, file, 1, false, sealed[1]!), { code: 'FILE_CHUNK_REFUSED' })
  // Swapped in from another file with the same index.
  const other = newFileSecret()
  assert.throws(() => openChunk(sodium, other, 0, false, sealed[0]!), { code: 'FILE_CHUNK_REFUSED' })
  assert.throws(() => openChunk(sodium, { key: file.key, nonce: other.nonce }, 0, false, sealed[0]!), { code: 'FILE_CHUNK_REFUSED' })
  // Any flipped byte.
  for (let i = 0; i < sealed[0]!.length; i++) {
    const tampered = Uint8Array.from(sealed[0]!)
    tampered[i]! ^= 0x40
    assert.throws(() => openChunk(sodium, file, 0, false, tampered), { code: 'FILE_CHUNK_REFUSED' })
  }
})

test('the same plaintext at two indexes, or in two files, gives different ciphertext', () => {
  const file = newFileSecret()
  const plaintext = new Uint8Array(64)
  assert.notDeepEqual(sealChunk(sodium, file, 0, false, plaintext), sealChunk(sodium, file, 1, false, plaintext))
  assert.notDeepEqual(sealChunk(sodium, file, 0, false, plaintext), sealChunk(sodium, newFileSecret(), 0, false, plaintext))
})

test('a key or nonce of the wrong size, or a bad index, is a misuse', () => {
  const file = newFileSecret()
  assert.throws(() => sealChunk(sodium, { key: file.key.subarray(1), nonce: file.nonce }, 0, true, new Uint8Array(1)), { code: 'FILE_CIPHER_MISUSE' })
  assert.throws(() => sealChunk(sodium, { key: file.key, nonce: new Uint8Array(24) }, 0, true, new Uint8Array(1)), { code: 'FILE_CIPHER_MISUSE' })
  assert.throws(() => sealChunk(sodium, file, -1, true, new Uint8Array(1)), { code: 'FILE_CIPHER_MISUSE' })
  assert.throws(() => sealChunk(sodium, file, 1.5, true, new Uint8Array(1)), { code: 'FILE_CIPHER_MISUSE' })
})

test('chunk counts and lengths: an empty file has one empty chunk, the last chunk is the rest', () => {
  assert.equal(chunkCountOf(0, 1024), 1)
  assert.equal(chunkCountOf(1024, 1024), 1)
  assert.equal(chunkCountOf(1025, 1024), 2)
  assert.equal(plainChunkLength(0, 1024, 0), 0)
  assert.equal(plainChunkLength(1025, 1024, 0), 1024)
  assert.equal(plainChunkLength(1025, 1024, 1), 1)
})
