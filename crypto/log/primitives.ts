// The primitives the journal's verification code needs, passed in rather than imported so the same
// pure code runs in Node (node:crypto, core/journal/primitives.ts) and in the browser (libsodium).
export interface SignatureCheck {
  publicKey: Uint8Array
  message: Uint8Array
  signature: Uint8Array
  /** what the verifier says when it does not verify (default: the author signature's) */
  reason?: string
}

export interface LogPrimitives {
  sha256: (...parts: Uint8Array[]) => Uint8Array
  ed25519Verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean
  /**
   * Optional: many Ed25519 verifications at once, e.g. on other threads. With it the verifier
   * checks author signatures in batches while it reads on, and still names the first failure.
   */
  ed25519VerifyBatch?: (checks: SignatureCheck[]) => Promise<boolean[]>
}

export const HASH_BYTES = 32
