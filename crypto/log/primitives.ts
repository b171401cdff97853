// The two primitives the journal's verification code needs, passed in rather than imported so the
// same pure code runs in Node (node:crypto, core/journal/primitives.ts) and in the browser (libsodium).
export interface LogPrimitives {
  sha256: (...parts: Uint8Array[]) => Uint8Array
  ed25519Verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean
}

export const HASH_BYTES = 32
