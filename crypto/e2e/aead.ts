// XChaCha20-Poly1305 (IETF construction, libsodium): ciphertext || 16-byte tag.
import type { Sodium } from '../sodium.js'
import { e2eFail } from './errors.js'

export const AEAD_KEY_BYTES = 32
export const AEAD_NONCE_BYTES = 24
export const AEAD_TAG_BYTES = 16

function checkSizes (key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== AEAD_KEY_BYTES || nonce.length !== AEAD_NONCE_BYTES) e2eFail('E2E_BAD_KEY', 'XChaCha20-Poly1305 takes a 32-byte key and a 24-byte nonce')
}

export function aeadSeal (sodium: Sodium, key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
  checkSizes(key, nonce)
  return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key)
}

/** Throws E2E_DECRYPT_FAILED when the tag does not authenticate ciphertext and associated data. */
export function aeadOpen (sodium: Sodium, key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array {
  checkSizes(key, nonce)
  if (sealed.length < AEAD_TAG_BYTES) e2eFail('E2E_DECRYPT_FAILED', 'ciphertext shorter than its tag')
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, ad, nonce, key)
  } catch {
    return e2eFail('E2E_DECRYPT_FAILED', 'ciphertext or associated data do not authenticate')
  }
}
