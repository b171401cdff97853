// XChaCha20-Poly1305 (IETF construction, libsodium's native binding): ciphertext || 16-byte tag.
import sodium from 'sodium-native'
import { e2eFail } from './errors.js'

export const AEAD_KEY_BYTES = 32
export const AEAD_NONCE_BYTES = 24
export const AEAD_TAG_BYTES = 16

function checkSizes (key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== AEAD_KEY_BYTES || nonce.length !== AEAD_NONCE_BYTES) e2eFail('E2E_BAD_KEY', 'XChaCha20-Poly1305 takes a 32-byte key and a 24-byte nonce')
}

export function aeadSeal (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
  checkSizes(key, nonce)
  const sealed = new Uint8Array(plaintext.length + AEAD_TAG_BYTES)
  sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(sealed, plaintext, ad, null, nonce, key)
  return sealed
}

/** Throws E2E_DECRYPT_FAILED when the tag does not authenticate ciphertext and associated data. */
export function aeadOpen (key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array {
  checkSizes(key, nonce)
  if (sealed.length < AEAD_TAG_BYTES) e2eFail('E2E_DECRYPT_FAILED', 'ciphertext shorter than its tag')
  const plaintext = new Uint8Array(sealed.length - AEAD_TAG_BYTES)
  try {
    sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(plaintext, null, sealed, ad, nonce, key)
    return plaintext
  } catch {
    return e2eFail('E2E_DECRYPT_FAILED', 'ciphertext or associated data do not authenticate')
  }
}
