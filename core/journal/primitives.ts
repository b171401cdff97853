// The journal's hash and signature primitives in Node: crypto/sha256.ts (libsodium for the short
// inputs, the Merkle tree's nodes; OpenSSL for the long ones, the leaves). Author signatures of an
// export are checked in batches on worker threads (core/workers/ed25519-pool.ts). The browser passes
// libsodium-backed primitives to the same pure verifier.
import { ed25519Verify } from '../../crypto/ed25519.js'
import type { LogPrimitives, SignatureCheck } from '../../crypto/log/primitives.js'
import { sha256 } from '../../crypto/sha256.js'
import { Ed25519Pool } from '../workers/ed25519-pool.js'

let pool: Ed25519Pool | undefined

/** Single-threaded: every check on the calling thread. */
export const nodeLogPrimitives: LogPrimitives = { sha256, ed25519Verify }

/** With author signatures checked on worker threads (one per core, started on first use). */
export const parallelLogPrimitives: LogPrimitives = {
  sha256,
  ed25519Verify,
  ed25519VerifyBatch: async (checks: SignatureCheck[]) => await (pool ??= new Ed25519Pool()).verifyBatch(checks)
}
