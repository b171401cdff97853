// The journal verifier's two primitives (crypto/log/primitives.ts) backed by libsodium's WASM
// build. Imported only by the verifier page, so libsodium stays out of the app's first load.
import sodium from 'libsodium-wrappers-sumo'
import type { LogPrimitives } from '../../../crypto/log/primitives.js'

export async function loadSodiumPrimitives (): Promise<LogPrimitives> {
  await sodium.ready
  return {
    sha256: (...parts) => sodium.crypto_hash_sha256(concat(parts)),
    ed25519Verify: (publicKey, message, signature) => {
      try {
        return sodium.crypto_sign_verify_detached(signature, message, publicKey)
      } catch {
        return false
      }
    }
  }
}

function concat (parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}
