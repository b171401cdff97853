// The Double Ratchet's key derivations (Signal's spec, §5.2 recommendations):
//   root:    HKDF-SHA256(salt = root key, ikm = DH output) -> new root key || chain key
//   chain:   message key = HMAC-SHA256(chain key, 0x01), next chain key = HMAC-SHA256(chain key, 0x02)
//   message: HKDF-SHA256(salt = 32 zero bytes, ikm = message key) -> AEAD key (32) || nonce (24)
// Each message key is used once, so the nonce derived from it never repeats under its key.
import { utf8 } from '../encoding.js'
import { AEAD_KEY_BYTES, AEAD_NONCE_BYTES } from './aead.js'
import { hkdfSha256, hmacSha256 } from './kdf.js'

const ROOT_INFO = utf8('causette/ratchet-root/v1')
const MESSAGE_INFO = utf8('causette/ratchet-message/v1')
const ZERO_SALT = new Uint8Array(32)
const MESSAGE_KEY_INPUT = Uint8Array.of(0x01)
const CHAIN_KEY_INPUT = Uint8Array.of(0x02)

export function kdfRoot (rootKey: Uint8Array, dhOutput: Uint8Array): { rootKey: Uint8Array, chainKey: Uint8Array } {
  const out = hkdfSha256(dhOutput, rootKey, ROOT_INFO, 64)
  return { rootKey: out.slice(0, 32), chainKey: out.slice(32) }
}

export function kdfChain (chainKey: Uint8Array): { chainKey: Uint8Array, messageKey: Uint8Array } {
  return { chainKey: hmacSha256(chainKey, CHAIN_KEY_INPUT), messageKey: hmacSha256(chainKey, MESSAGE_KEY_INPUT) }
}

export function messageCipherKeys (messageKey: Uint8Array): { key: Uint8Array, nonce: Uint8Array } {
  const out = hkdfSha256(messageKey, ZERO_SALT, MESSAGE_INFO, AEAD_KEY_BYTES + AEAD_NONCE_BYTES)
  return { key: out.slice(0, AEAD_KEY_BYTES), nonce: out.slice(AEAD_KEY_BYTES) }
}
