// X25519 (libsodium crypto_scalarmult). An all-zero shared secret means the peer sent a low-order
// point (RFC 7748 §6.1): refused, so a peer can never force a known secret into our KDFs.
import { x25519FromPrivate, type X25519KeyPair } from '../device-keys.js'
import { randomBytes } from '../random.js'
import type { Sodium } from '../sodium.js'
import { e2eFail } from './errors.js'

export const X25519_KEY_BYTES = 32

export function x25519 (sodium: Sodium, privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (privateKey.length !== X25519_KEY_BYTES || publicKey.length !== X25519_KEY_BYTES) e2eFail('E2E_BAD_KEY', 'X25519 keys are 32 bytes')
  let shared: Uint8Array | undefined
  try {
    shared = sodium.crypto_scalarmult(privateKey, publicKey) // libsodium itself fails on an all-zero result
  } catch {}
  if (shared === undefined || shared.every(byte => byte === 0)) e2eFail('E2E_BAD_KEY', 'X25519 gave the all-zero secret (low-order public key)')
  return shared
}

export function newX25519KeyPair (sodium: Sodium): X25519KeyPair {
  return x25519FromPrivate(sodium, randomBytes(X25519_KEY_BYTES))
}
