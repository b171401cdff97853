// HKDF-SHA256 (RFC 5869) and HMAC-SHA256, on node:crypto's HMAC. HKDF is written out (extract,
// then expand) because node's hkdfSync costs about 30 µs a call here against 3 µs per HMAC, and
// the ratchet derives twice per message; it is checked against Wycheproof and against hkdfSync.
import { createHmac } from 'node:crypto'

const HASH_BYTES = 32

export function hmacSha256 (key: Uint8Array, ...data: Uint8Array[]): Uint8Array {
  const mac = createHmac('sha256', key)
  for (const part of data) mac.update(part)
  return new Uint8Array(mac.digest())
}

export function hkdfSha256 (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 255 * HASH_BYTES) throw new RangeError('HKDF-SHA256 gives at most 8160 bytes')
  const prk = hmacSha256(salt.length === 0 ? new Uint8Array(HASH_BYTES) : salt, ikm)
  const okm = new Uint8Array(length)
  let block: Uint8Array = new Uint8Array(0)
  for (let i = 1, offset = 0; offset < length; i++, offset += HASH_BYTES) {
    block = hmacSha256(prk, block, info, Uint8Array.of(i))
    okm.set(block.subarray(0, Math.min(HASH_BYTES, length - offset)), offset)
  }
  return okm
}
