// The journal's hash and signature primitives in Node: node:crypto (OpenSSL). SHA-256 here is the
// one-shot `crypto.hash` over the concatenated parts: a verification makes two hashes per entry and
// this halves their fixed cost against a createHash object per call. The browser passes
// libsodium-backed primitives to the same pure verifier.
import { hash } from 'node:crypto'
import { ed25519Verify } from '../../crypto/ed25519.js'
import type { LogPrimitives } from '../../crypto/log/primitives.js'

function sha256 (...parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return hash('sha256', parts[0]!, 'buffer')
  return hash('sha256', Buffer.concat(parts), 'buffer')
}

export const nodeLogPrimitives: LogPrimitives = { sha256, ed25519Verify }
