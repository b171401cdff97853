// HKDF-SHA256 (RFC 5869) and HMAC-SHA256 (RFC 2104), on crypto/sha256.ts. HMAC is written out (two
// hashes over the padded key) because node:crypto's createHmac costs 3-4 µs a call here, an OpenSSL
// context set up and freed each time, against about 1.5 µs for the two short hashes, and the ratchet
// makes five per message; HKDF is written out because node's hkdfSync costs about 30 µs a call. Both
// are checked against Wycheproof and against node:crypto.
import { sha256, SHA256_BYTES } from '../sha256.js'

const BLOCK_BYTES = 64
const INNER_PAD = 0x36
const OUTER_PAD = 0x5c

export function hmacSha256 (key: Uint8Array, ...data: Uint8Array[]): Uint8Array {
  const blockKey = key.length > BLOCK_BYTES ? sha256(key) : key
  let dataLength = 0
  for (const part of data) dataLength += part.length
  const inner = new Uint8Array(BLOCK_BYTES + dataLength)
  const outer = new Uint8Array(BLOCK_BYTES + SHA256_BYTES)
  inner.fill(INNER_PAD, 0, BLOCK_BYTES)
  outer.fill(OUTER_PAD, 0, BLOCK_BYTES)
  for (let i = 0; i < blockKey.length; i++) {
    inner[i]! ^= blockKey[i]!
    outer[i]! ^= blockKey[i]!
  }
  let offset = BLOCK_BYTES
  for (const part of data) { inner.set(part, offset); offset += part.length }
  outer.set(sha256(inner), BLOCK_BYTES)
  const mac = sha256(outer)
  inner.fill(0, 0, BLOCK_BYTES) // the padded key is the key
  outer.fill(0, 0, BLOCK_BYTES)
  return mac
}

export function hkdfSha256 (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 255 * SHA256_BYTES) throw new RangeError('HKDF-SHA256 gives at most 8160 bytes')
  const prk = hmacSha256(salt.length === 0 ? new Uint8Array(SHA256_BYTES) : salt, ikm)
  const okm = new Uint8Array(length)
  let block: Uint8Array = new Uint8Array(0)
  for (let i = 1, offset = 0; offset < length; i++, offset += SHA256_BYTES) {
    block = hmacSha256(prk, block, info, Uint8Array.of(i))
    okm.set(block.subarray(0, Math.min(SHA256_BYTES, length - offset)), offset)
  }
  return okm
}
