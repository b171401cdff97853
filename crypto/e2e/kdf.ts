// HKDF-SHA256 (RFC 5869) and HMAC-SHA256, from node:crypto.
import { createHmac, hkdfSync } from 'node:crypto'

export function hkdfSha256 (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length))
}

export function hmacSha256 (key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(data).digest())
}
