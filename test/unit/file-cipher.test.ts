// Per-file encryption in chunks (crypto/file-cipher.ts): each chunk opens only with its file's key,
// at its own index and with its own final flag, so chunks cannot be reordered, swapped in from
// another file, or a file cut after a chunk that was not its last. The bytes are XChaCha20-Poly1305
// IETF with nonce = file nonce || index, checked against libsodium's other build (WebAssembly).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import sodium from 'libsodium-wrappers-sumo'
import { chunkCountOf, fileCipher, hchacha20, newFileSecret, plainChunkLength, type FileSecret } from '../../crypto/file-cipher.js'
import { concat, fromHex, fromUtf8, toHex, utf8 } from '../../crypto/encoding.js'
import { fuzzParameters } from '../helpers/fuzz-decoding.js'

await sodium.ready

/** libsodium's WebAssembly XChaCha20-Poly1305 IETF of a chunk: what fileCipher must produce to the bit. */
function libsodiumSeal (secret: FileSecret, index: number, final: boolean, plaintext: Uint8Array): Uint8Array {
  const index8 = new Uint8Array(8)
  new DataView(index8.buffer).setBigUint64(0, BigInt(index))
  const ad = concat([utf8('causette/file-chunk/v1'), index8, Uint8Array.of(final ? 1 : 0)])
  return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, concat([secret.nonce, index8]), secret.key)
}

test('HChaCha20 from OpenSSL\'s ChaCha20: the draft\'s test vector (draft-irtf-cfrg-xchacha §2.2.1), and libsodium\'s for any key and nonce', () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i)
  assert.equal(toHex(hchacha20(key, fromHex('000000090000004a0000000031415927'))), '82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc')
  fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (anyKey, nonce) => {
    assert.deepEqual(hchacha20(anyKey, nonce), sodium.crypto_core_hchacha20(nonce, anyKey, null))
  }), fuzzParameters(300))
})

test('property: a chunk is libsodium\'s XChaCha20-Poly1305 IETF with nonce = file nonce || index', () => {
  const cases = fc.record({ index: fc.oneof(fc.nat(1000), fc.constant(Number.MAX_SAFE_INTEGER)), final: fc.boolean(), plaintext: fc.uint8Array({ maxLength: 2048 }) })
  fc.assert(fc.property(cases, ({ index, final, plaintext }) => {
    const secret = newFileSecret()
    const sealed = fileCipher(secret).seal(index, final, plaintext)
    assert.deepEqual(sealed, libsodiumSeal(secret, index, final, plaintext))
    assert.deepEqual(fileCipher(secret).open(index, final, libsodiumSeal(secret, index, final, plaintext)), plaintext)
  }), fuzzParameters(300))
})

test('a chunk opens with its key, index and final flag, and with nothing else', () => {
  const file = newFileSecret()
  const cipher = fileCipher(file)
  const sealed = [cipher.seal(0, false, utf8('first ')), cipher.seal(1, true, utf8('last'))]
  assert.equal(sealed[0]!.length, 6 + 16)
  assert.equal(fromUtf8(cipher.open(0, false, sealed[0]!)) + fromUtf8(cipher.open(1, true, sealed[1]!)), 'first last')
  // Reordered: chunk 1 read at index 0.
  assert.throws(() => cipher.open(0, true, sealed[1]!), { code: 'FILE_CHUNK_REFUSED' })
  assert.throws(() => cipher.open(0, false, sealed[1]!), { code: 'FILE_CHUNK_REFUSED' })
  // Cut after chunk 0: a reader told the file has one chunk expects chunk 0 to be final.
  assert.throws(() => cipher.open(0, true, sealed[0]!), { code: 'FILE_CHUNK_REFUSED' })
  // A final chunk taken for a middle one (chunks appended after the end).
  assert.throws(() => cipher.open(1, false, sealed[1]!), { code: 'FILE_CHUNK_REFUSED' })
  // Swapped in from another file with the same index.
  const other = newFileSecret()
  assert.throws(() => fileCipher(other).open(0, false, sealed[0]!), { code: 'FILE_CHUNK_REFUSED' })
  assert.throws(() => fileCipher({ key: file.key, nonce: other.nonce }).open(0, false, sealed[0]!), { code: 'FILE_CHUNK_REFUSED' })
  // Any flipped byte; anything shorter than a tag.
  for (let i = 0; i < sealed[0]!.length; i++) {
    const tampered = Uint8Array.from(sealed[0]!)
    tampered[i]! ^= 0x40
    assert.throws(() => cipher.open(0, false, tampered), { code: 'FILE_CHUNK_REFUSED' })
  }
  assert.throws(() => cipher.open(0, false, sealed[0]!.subarray(0, 15)), { code: 'FILE_CHUNK_REFUSED' })
  assert.deepEqual(cipher.open(0, true, cipher.seal(0, true, new Uint8Array(0))), new Uint8Array(0), 'an empty file\'s one chunk')
})

test('the same plaintext at two indexes, or in two files, gives different ciphertext', () => {
  const cipher = fileCipher(newFileSecret())
  const plaintext = new Uint8Array(64)
  assert.notDeepEqual(cipher.seal(0, false, plaintext), cipher.seal(1, false, plaintext))
  assert.notDeepEqual(cipher.seal(0, false, plaintext), fileCipher(newFileSecret()).seal(0, false, plaintext))
})

test('a key or nonce of the wrong size, or a bad index, is a misuse', () => {
  const file = newFileSecret()
  assert.throws(() => fileCipher({ key: file.key.subarray(1), nonce: file.nonce }), { code: 'FILE_CIPHER_MISUSE' })
  assert.throws(() => fileCipher({ key: file.key, nonce: new Uint8Array(24) }), { code: 'FILE_CIPHER_MISUSE' })
  const cipher = fileCipher(file)
  assert.throws(() => cipher.seal(-1, true, new Uint8Array(1)), { code: 'FILE_CIPHER_MISUSE' })
  assert.throws(() => cipher.seal(1.5, true, new Uint8Array(1)), { code: 'FILE_CIPHER_MISUSE' })
  assert.throws(() => cipher.open(-1, true, new Uint8Array(17)), { code: 'FILE_CIPHER_MISUSE' })
})

test('chunk counts and lengths: an empty file has one empty chunk, the last chunk is the rest', () => {
  assert.equal(chunkCountOf(0, 1024), 1)
  assert.equal(chunkCountOf(1024, 1024), 1)
  assert.equal(chunkCountOf(1025, 1024), 2)
  assert.equal(plainChunkLength(0, 1024, 0), 0)
  assert.equal(plainChunkLength(1025, 1024, 0), 1024)
  assert.equal(plainChunkLength(1025, 1024, 1), 1)
})
