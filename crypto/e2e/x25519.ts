// X25519 (libsodium's crypto_scalarmult, native binding). An all-zero shared secret means the
// peer sent a low-order point (RFC 7748 §6.1): refused, so a peer can never force a known secret
// into our KDFs.
import sodium from 'sodium-native'
import { x25519FromPrivate, type X25519KeyPair } from '../device-keys.js'
import { randomBytes } from '../random.js'
import { e2eFail } from './errors.js'

export const X25519_KEY_BYTES = 32

export function x25519 (privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (privateKey.length !== X25519_KEY_BYTES || publicKey.length !== X25519_KEY_BYTES) e2eFail('E2E_BAD_KEY', 'X25519 keys are 32 bytes')
  const shared = new Uint8Array(X25519_KEY_BYTES)
  try {
    sodium.crypto_scalarmult(shared, privateKey, publicKey)
  } catch {
    shared.fill(0) // libsodium throws on the all-zero result itself: refused below like any other
  }
  if (shared.every(byte => byte === 0)) e2eFail('E2E_BAD_KEY', 'X25519 gave the all-zero secret (low-order public key)')
  return shared
}

export function newX25519KeyPair (): X25519KeyPair {
  return x25519FromPrivate(randomBytes(X25519_KEY_BYTES))
}
