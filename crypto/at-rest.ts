// Keys and content at rest (DESIGN.md §2, §9). A profile has one random 32-byte master key. Subkeys
// derived from it (libsodium's BLAKE2b KDF) seal the keystore and the LevelDB values with
// XChaCha20-Poly1305, a purpose label as associated data. An optional passphrase wraps the master
// key with a key from Argon2id (crypto_pwhash, ALG_ARGON2ID13); the salt and the limits are bound
// into the associated data. Thin wrappers: where the bytes live is core/profile's business.
import { CodedError } from './coded-error.js'
import { concat, utf8 } from './encoding.js'
import { randomBytes, smallRandomBytes } from './random.js'
import type { Sodium } from './sodium.js'

export const MASTER_KEY_BYTES = 32

export const AT_REST_ERROR_CODES = [
  'AT_REST_BAD_FORMAT', // not a sealed box of ours (wrong header, too short), or out-of-range parameters
  'AT_REST_REFUSED' // authentication failed: wrong key or passphrase, or any modified byte
] as const

export type AtRestErrorCode = typeof AT_REST_ERROR_CODES[number]

export class AtRestError extends CodedError<AtRestErrorCode> {
  override name = 'AtRestError'
}

/**
 * A sealed box: 0xff, version 1, a random 24-byte nonce, then ciphertext and tag. 0xff never starts
 * UTF-8 text, so a value stored before encryption existed (JSON text) is told apart from a sealed one.
 */
const MAGIC = 0xff
const VERSION = 1
const HEADER_BYTES = 2
const NONCE_BYTES = 24
const TAG_BYTES = 16
export const SEALED_OVERHEAD = HEADER_BYTES + NONCE_BYTES + TAG_BYTES

/** What a sealed box is for: its associated data, so a box cannot be moved to another purpose. */
export const AT_REST_LABELS = {
  keystore: 'causette/at-rest/keystore/v1',
  masterKey: 'causette/at-rest/master-key/v1',
  value: (sublevel: string) => `causette/at-rest/value/${sublevel}/v1`
} as const

/** Subkeys of the master key, one per use (crypto_kdf_derive_from_key ids, context "causette"). */
const SUBKEY_IDS = { keystore: 1, database: 2, search: 3 } as const
export type SubkeyPurpose = keyof typeof SUBKEY_IDS

export function newMasterKey (): Uint8Array {
  return randomBytes(MASTER_KEY_BYTES)
}

export function deriveSubkey (sodium: Sodium, masterKey: Uint8Array, purpose: SubkeyPurpose): Uint8Array {
  if (masterKey.length !== MASTER_KEY_BYTES) throw new AtRestError('AT_REST_BAD_FORMAT', 'a master key is 32 bytes')
  return sodium.crypto_kdf_derive_from_key(32, SUBKEY_IDS[purpose], 'causette', masterKey)
}

export function isSealed (bytes: Uint8Array): boolean {
  return bytes.length >= SEALED_OVERHEAD && bytes[0] === MAGIC && bytes[1] === VERSION
}

export function seal (sodium: Sodium, key: Uint8Array, ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  // From the pool (random.ts): the RNG call, not the bytes, was ~3 µs of a 5 µs seal.
  const nonce = smallRandomBytes(NONCE_BYTES)
  const box = new Uint8Array(SEALED_OVERHEAD + plaintext.length)
  box[0] = MAGIC
  box[1] = VERSION
  box.set(nonce, HEADER_BYTES)
  box.set(sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key), HEADER_BYTES + NONCE_BYTES)
  return box
}

export function open (sodium: Sodium, key: Uint8Array, ad: Uint8Array, box: Uint8Array): Uint8Array {
  if (!isSealed(box)) throw new AtRestError('AT_REST_BAD_FORMAT', 'not a sealed box')
  const nonce = box.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES)
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, box.subarray(HEADER_BYTES + NONCE_BYTES), ad, nonce, key)
  } catch {
    throw new AtRestError('AT_REST_REFUSED', 'a sealed box did not authenticate')
  }
}

/** Seals and opens the values of one purpose (one LevelDB sublevel) with one subkey; synchronous. */
export interface ValueSealer {
  seal: (plaintext: Uint8Array) => Uint8Array
  open: (box: Uint8Array) => Uint8Array
}

export function valueSealer (sodium: Sodium, key: Uint8Array, label: string): ValueSealer {
  const ad = utf8(label)
  return {
    seal: plaintext => seal(sodium, key, ad, plaintext),
    open: box => open(sodium, key, ad, box)
  }
}

// --- the passphrase ---------------------------------------------------------------------------

/** How a passphrase became a key: stored beside the wrapped master key, bound into its AD. */
export interface PassphraseParams {
  alg: 'argon2id13'
  opslimit: number
  memlimit: number
  salt: Uint8Array
}

export type PassphraseStrength = 'moderate' | 'interactive' | 'min'

export function newPassphraseParams (sodium: Sodium, strength: PassphraseStrength): PassphraseParams {
  const limits = {
    moderate: [sodium.crypto_pwhash_OPSLIMIT_MODERATE, sodium.crypto_pwhash_MEMLIMIT_MODERATE],
    interactive: [sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE, sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE],
    // For tests only: the cheapest limits libsodium accepts.
    min: [sodium.crypto_pwhash_OPSLIMIT_MIN, sodium.crypto_pwhash_MEMLIMIT_MIN]
  }[strength]
  return { alg: 'argon2id13', opslimit: limits[0]!, memlimit: limits[1]!, salt: randomBytes(sodium.crypto_pwhash_SALTBYTES) }
}

/** Refuses parameters that are not Argon2id within libsodium's MIN..SENSITIVE limits (a tampered file could ask for hours). */
export function checkPassphraseParams (sodium: Sodium, params: PassphraseParams): void {
  const ok = params.alg === 'argon2id13' &&
    Number.isSafeInteger(params.opslimit) && params.opslimit >= sodium.crypto_pwhash_OPSLIMIT_MIN && params.opslimit <= sodium.crypto_pwhash_OPSLIMIT_SENSITIVE &&
    Number.isSafeInteger(params.memlimit) && params.memlimit >= sodium.crypto_pwhash_MEMLIMIT_MIN && params.memlimit <= sodium.crypto_pwhash_MEMLIMIT_SENSITIVE &&
    params.salt.length === sodium.crypto_pwhash_SALTBYTES
  if (!ok) throw new AtRestError('AT_REST_BAD_FORMAT', 'passphrase parameters out of range')
}

/** The exact arguments of crypto_pwhash for a passphrase (NFC-normalised UTF-8), checked. */
export interface PwhashArguments { outputLength: 32, password: Uint8Array, salt: Uint8Array, opslimit: number, memlimit: number, alg: number }

export function pwhashArguments (sodium: Sodium, passphrase: string, params: PassphraseParams): PwhashArguments {
  checkPassphraseParams(sodium, params)
  return { outputLength: 32, password: utf8(passphrase.normalize('NFC')), salt: params.salt, opslimit: params.opslimit, memlimit: params.memlimit, alg: sodium.crypto_pwhash_ALG_ARGON2ID13 }
}

export function pwhash (sodium: Sodium, a: PwhashArguments): Uint8Array {
  return sodium.crypto_pwhash(a.outputLength, a.password, a.salt, a.opslimit, a.memlimit, a.alg)
}

/** Argon2id of the passphrase: the key that wraps the master key. The slow part. */
export function passphraseKey (sodium: Sodium, passphrase: string, params: PassphraseParams): Uint8Array {
  return pwhash(sodium, pwhashArguments(sodium, passphrase, params))
}

function wrapAd (params: PassphraseParams): Uint8Array {
  return concat([utf8(`${AT_REST_LABELS.masterKey}\n${params.alg}\n${params.opslimit}\n${params.memlimit}\n`), params.salt])
}

export function wrapMasterKey (sodium: Sodium, masterKey: Uint8Array, wrappingKey: Uint8Array, params: PassphraseParams): Uint8Array {
  if (masterKey.length !== MASTER_KEY_BYTES) throw new AtRestError('AT_REST_BAD_FORMAT', 'a master key is 32 bytes')
  return seal(sodium, wrappingKey, wrapAd(params), masterKey)
}

export function unwrapMasterKey (sodium: Sodium, wrapped: Uint8Array, wrappingKey: Uint8Array, params: PassphraseParams): Uint8Array {
  const masterKey = open(sodium, wrappingKey, wrapAd(params), wrapped)
  if (masterKey.length !== MASTER_KEY_BYTES) throw new AtRestError('AT_REST_BAD_FORMAT', 'a master key is 32 bytes')
  return masterKey
}
