// The journal's hash and signature primitives in Node: node:crypto (OpenSSL). SHA-256 here is the
// one-shot `crypto.hash` over the concatenated parts: a verification makes two hashes per entry and
// this halves their fixed cost against a createHash object per call. Author signatures of an export
// are checked in batches on worker threads (core/workers/ed25519-pool.ts). The browser passes libsodium-backed
// primitives to the same pure verifier.
import { hash } from 'node:crypto'
import { ed25519Verify } from '../../crypto/ed25519.js'
import type { LogPrimitives, SignatureCheck } from '../../crypto/log/primitives.js'
import { Ed25519Pool } from '../workers/ed25519-pool.js'

function sha256 (...parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return hash('sha256', parts[0]!, 'buffer')
  return hash('sha256', Buffer.concat(parts), 'buffer')
}

let pool: Ed25519Pool | undefined

/** Single-threaded: every check on the calling thread. */
export const nodeLogPrimitives: LogPrimitives = { sha256, ed25519Verify }

/** With author signatures checked on worker threads (one per core, started on first use). */
export const parallelLogPrimitives: LogPrimitives = {
  sha256,
  ed25519Verify,
  ed25519VerifyBatch: async (checks: SignatureCheck[]) => await (pool ??= new Ed25519Pool()).verifyBatch(checks)
}
