// A file encrypted in chunks (issue 16): each file has its own random 32-byte key and 16-byte nonce
// prefix; each chunk of plaintext (256 KiB, the last shorter) is sealed on its own with
// XChaCha20-Poly1305 IETF. The chunk's nonce is the file's prefix || its 8-byte index, and its
// associated data binds the index and whether it is the final chunk, so chunks cannot be reordered,
// dropped at the end, or swapped in from another file (another key). Chunks stand alone, unlike
// libsodium's secretstream, so a recipient can resume from any verified chunk after a crash and take
// chunks from several holders in any order (docs/files.md, docs/SECURITY.md).
import { createCipheriv, createDecipheriv } from 'node:crypto'
import { CodedError } from './coded-error.js'
import { concat, utf8 } from './encoding.js'
import { randomBytes } from './random.js'

export const FILE_KEY_BYTES = 32
export const FILE_NONCE_BYTES = 16
export const CHUNK_TAG_BYTES = 16
/** Plaintext bytes per chunk unless a descriptor says otherwise. */
export const DEFAULT_CHUNK_SIZE = 256 * 1024
/** Chunk sizes a file may be cut into: powers of two from 64 KiB to 4 MiB (a bigger file takes bigger chunks). */
export const MIN_CHUNK_SIZE = 64 * 1024
export const MAX_CHUNK_SIZE = 4 * 1024 * 1024
/** At most this many chunks a file (a chunk list of 36 MiB): 256 GiB in 256 KiB chunks, 4 TiB in 4 MiB ones. */
export const MAX_CHUNK_COUNT = 1 << 20
/** The largest sealed chunk: its plaintext and its tag. The store and the transfer both bound a chunk by it. */
export const MAX_CIPHERTEXT_CHUNK_BYTES = MAX_CHUNK_SIZE + CHUNK_TAG_BYTES

const CHUNK_LABEL = utf8('causette/file-chunk/v1')

export const FILE_CIPHER_ERROR_CODES = [
  'FILE_CHUNK_REFUSED', // a chunk did not authenticate: wrong key, index, final flag or any modified byte
  'FILE_CIPHER_MISUSE' // a key, nonce or index of the wrong size or range
] as const

export type FileCipherErrorCode = typeof FILE_CIPHER_ERROR_CODES[number]

export class FileCipherError extends CodedError<FileCipherErrorCode> {
  override name = 'FileCipherError'
}

/** What a file is sealed with: travels inside the signed, sealed message, never beside the chunks. */
export interface FileSecret {
  key: Uint8Array
  nonce: Uint8Array
}

export function newFileSecret (): FileSecret {
  return { key: randomBytes(FILE_KEY_BYTES), nonce: randomBytes(FILE_NONCE_BYTES) }
}

/** How many chunks a file of `size` bytes has: an empty file has one (empty, final) chunk. */
export function chunkCountOf (size: number, chunkSize: number): number {
  return Math.max(1, Math.ceil(size / chunkSize))
}

/** Plaintext bytes of chunk `index` of a file of `size` bytes. */
export function plainChunkLength (size: number, chunkSize: number, index: number): number {
  return Math.min(chunkSize, size - index * chunkSize)
}

function uint64 (index: number): Uint8Array {
  if (!Number.isSafeInteger(index) || index < 0) throw new FileCipherError('FILE_CIPHER_MISUSE', 'a chunk index is a non-negative safe integer')
  const bytes = new Uint8Array(8)
  new DataView(bytes.buffer).setBigUint64(0, BigInt(index))
  return bytes
}

function checkSecret (secret: FileSecret): void {
  if (secret.key.length !== FILE_KEY_BYTES || secret.nonce.length !== FILE_NONCE_BYTES) {
    throw new FileCipherError('FILE_CIPHER_MISUSE', 'a file key is 32 bytes and its nonce 16')
  }
}

function chunkAd (index: number, final: boolean): Uint8Array {
  return concat([CHUNK_LABEL, uint64(index), Uint8Array.of(final ? 1 : 0)])
}

/** Seals and opens the chunks of one file. */
export interface FileCipher {
  /** Seals chunk `index`; `final` for the file's last chunk. The result is 16 bytes longer. */
  seal: (index: number, final: boolean, plaintext: Uint8Array) => Uint8Array
  /** Opens chunk `index`, which the reader expects to be final or not; refuses anything else. */
  open: (index: number, final: boolean, ciphertext: Uint8Array) => Uint8Array
}

/**
 * XChaCha20-Poly1305 IETF with nonce = file nonce (16 bytes) || index (8 bytes), computed as its
 * definition says (draft-irtf-cfrg-xchacha §2.3): the subkey HChaCha20(key, file nonce), once per
 * file, then ChaCha20-Poly1305 IETF with the nonce 0x00000000 || index, both from OpenSSL
 * (node:crypto): 1.1-1.3 GB/s to seal a 256 KiB chunk and 1.6-1.9 to open one here, against 1.1 and
 * 1.0-1.2 through libsodium's native binding. The bytes are libsodium's
 * crypto_aead_xchacha20poly1305_ietf_* to the bit (test/unit/file-cipher.test.ts).
 */
export function fileCipher (secret: FileSecret): FileCipher {
  checkSecret(secret)
  const subkey = hchacha20(secret.key, secret.nonce)
  return {
    seal: (index, final, plaintext) => {
      const cipher = createCipheriv('chacha20-poly1305', subkey, ietfNonce(index), { authTagLength: CHUNK_TAG_BYTES })
      cipher.setAAD(chunkAd(index, final), { plaintextLength: plaintext.length })
      return concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
    },
    open: (index, final, ciphertext) => {
      const decipher = createDecipheriv('chacha20-poly1305', subkey, ietfNonce(index), { authTagLength: CHUNK_TAG_BYTES })
      try {
        if (ciphertext.length < CHUNK_TAG_BYTES) throw new RangeError('shorter than a tag')
        decipher.setAAD(chunkAd(index, final), { plaintextLength: ciphertext.length - CHUNK_TAG_BYTES })
        decipher.setAuthTag(ciphertext.subarray(ciphertext.length - CHUNK_TAG_BYTES))
        const plaintext = decipher.update(ciphertext.subarray(0, ciphertext.length - CHUNK_TAG_BYTES))
        const rest = decipher.final() // empty for a stream cipher: no copy of the chunk for nothing
        return rest.length === 0 ? new Uint8Array(plaintext.buffer, plaintext.byteOffset, plaintext.length) : concat([plaintext, rest])
      } catch {
        throw new FileCipherError('FILE_CHUNK_REFUSED', `chunk ${index} of the file did not authenticate`)
      }
    }
  }
}

/** The ChaCha20-Poly1305 IETF nonce of chunk `index` under the file's subkey: four zero bytes, then the index. */
function ietfNonce (index: number): Uint8Array {
  return concat([new Uint8Array(4), uint64(index)])
}

/** "expand 32-byte k", ChaCha20's first four state words. */
const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]

/**
 * HChaCha20 (draft-irtf-cfrg-xchacha §2.2), which sodium-native does not expose, from OpenSSL's
 * ChaCha20: its first block with the 16-byte nonce as counter and nonce is the state after the 20
 * rounds plus the initial state, so words 0-3 and 12-15 less the constants and the nonce are
 * HChaCha20's output (the draft's test vector and libsodium's own agree: file-cipher.test.ts).
 */
export function hchacha20 (key: Uint8Array, nonce: Uint8Array): Uint8Array {
  const block = createCipheriv('chacha20', key, nonce).update(new Uint8Array(64))
  const output = new Uint8Array(32)
  const out = new DataView(output.buffer)
  const nonceWords = new DataView(nonce.buffer, nonce.byteOffset, 16)
  for (let word = 0; word < 4; word++) {
    out.setUint32(4 * word, (block.readUInt32LE(4 * word) - SIGMA[word]!) >>> 0, true)
    out.setUint32(16 + 4 * word, (block.readUInt32LE(48 + 4 * word) - nonceWords.getUint32(4 * word, true)) >>> 0, true)
  }
  return output
}
