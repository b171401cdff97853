// SHA-256: short inputs through libsodium's native binding, long ones through node:crypto. A call
// of libsodium costs about half of OpenSSL's fixed cost, which the message path's many short hashes
// pay (statements' body commitments, the journal's leaves and nodes, the ratchet's HMACs); OpenSSL
// uses the CPU's SHA extensions and is many times faster on long inputs (at 512 bytes already).
import { createHash, hash } from 'node:crypto'
import sodium from 'sodium-native'

export const SHA256_BYTES = 32
/** Inputs up to this length go through libsodium; from here on OpenSSL is faster (bench, issue 15). */
const SHORT_INPUT_BYTES = 256

/**
 * The SHA-256 of `parts` one after the other. Long parts are hashed where they lie, never joined: a
 * fetched chunk comes as the buffers it arrived in, and joining them cost a copy and a 256 KiB
 * buffer a chunk (about a quarter of the hash's own CPU, and garbage).
 */
export function sha256 (...parts: Uint8Array[]): Uint8Array {
  if (parts.length > 1 && lengthOf(parts) > SHORT_INPUT_BYTES) return hashedInPlace(parts)
  const input = parts.length === 1 ? parts[0]! : concatenated(parts)
  if (input.length > SHORT_INPUT_BYTES) return new Uint8Array(hash('sha256', input, 'buffer').buffer.slice(0))
  const digest = new Uint8Array(SHA256_BYTES)
  sodium.crypto_hash_sha256(digest, input)
  return digest
}

function lengthOf (parts: Uint8Array[]): number {
  let length = 0
  for (const part of parts) length += part.length
  return length
}

function hashedInPlace (parts: Uint8Array[]): Uint8Array {
  const hasher = createHash('sha256')
  for (const part of parts) hasher.update(part)
  const digest = hasher.digest()
  // A copy of its 32 bytes: a Buffer may be a view of a larger one, which a caller keeping the digest would keep alive.
  return new Uint8Array(digest)
}

function concatenated (parts: Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(lengthOf(parts))
  let offset = 0
  for (const part of parts) { whole.set(part, offset); offset += part.length }
  return whole
}
