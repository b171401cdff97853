// Keys and content at rest (DESIGN.md §2, §9), through libsodium's native binding. A profile has
// one random 32-byte master key. Subkeys derived from it (libsodium's BLAKE2b KDF) seal the
// keystore and the LevelDB values with XChaCha20-Poly1305, a purpose label as associated data.
// An optional passphrase wraps the master key with a key from Argon2id (crypto_pwhash,
// ALG_ARGON2ID13); the salt and the limits are bound into the associated data. Thin wrappers:
// where the bytes live is core/profile's business.
import sodium from 'sodium-native'
import { CodedError } from './coded-error.js'
import { concat, utf8 } from './encoding.js'
import { randomBytes, smallRandomBytes } from './random.js'

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
const SUBKEY_CONTEXT = utf8('causette')
export type SubkeyPurpose = keyof typeof SUBKEY_IDS

export function newMasterKey (): Uint8Array {
  return randomBytes(MASTER_KEY_BYTES)
}

export function deriveSubkey (masterKey: Uint8Array, purpose: SubkeyPurpose): Uint8Array {
  if (masterKey.length !== MASTER_KEY_BYTES) throw new AtRestError('AT_REST_BAD_FORMAT', 'a master key is 32 bytes')
  const subkey = new Uint8Array(32)
  sodium.crypto_kdf_derive_from_key(subkey, SUBKEY_IDS[purpose], SUBKEY_CONTEXT, masterKey)
  return subkey
}

export function isSealed (bytes: Uint8Array): boolean {
  return bytes.length >= SEALED_OVERHEAD && bytes[0] === MAGIC && bytes[1] === VERSION
}

export function seal (key: Uint8Array, ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  // From the pool (random.ts): the RNG call, not the bytes, was ~3 µs of a 5 µs seal.
  const nonce = smallRandomBytes(NONCE_BYTES)
  const box = new Uint8Array(SEALED_OVERHEAD + plaintext.length)
  box[0] = MAGIC
  box[1] = VERSION
  box.set(nonce, HEADER_BYTES)
  sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(box.subarray(HEADER_BYTES + NONCE_BYTES), plaintext, ad, null, nonce, key)
  return box
}

export function open (key: Uint8Array, ad: Uint8Array, box: Uint8Array): Uint8Array {
  if (!isSealed(box)) throw new AtRestError('AT_REST_BAD_FORMAT', 'not a sealed box')
  const nonce = box.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES)
  const plaintext = new Uint8Array(box.length - SEALED_OVERHEAD)
  try {
    sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(plaintext, null, box.subarray(HEADER_BYTES + NONCE_BYTES), ad, nonce, key)
    return plaintext
  } catch {
    throw new AtRestError('AT_REST_REFUSED', 'a sealed box did not authenticate')
  }
}

/** Seals and opens the values of one purpose (one LevelDB sublevel) with one subkey; synchronous. */
export interface ValueSealer {
  seal: (plaintext: Uint8Array) => Uint8Array
  open: (box: Uint8Array) => Uint8Array
}

export function valueSealer (key: Uint8Array, label: string): ValueSealer {
  const ad = utf8(label)
  return {
    seal: plaintext => seal(key, ad, plaintext),
    open: box => open(key, ad, box)
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

export function newPassphraseParams (strength: PassphraseStrength): PassphraseParams {
  const limits = {
    moderate: [sodium.crypto_pwhash_OPSLIMIT_MODERATE, sodium.crypto_pwhash_MEMLIMIT_MODERATE],
    interactive: [sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE, sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE],
    // For tests only: the cheapest limits libsodium accepts.
    min: [sodium.crypto_pwhash_OPSLIMIT_MIN, sodium.crypto_pwhash_MEMLIMIT_MIN]
  }[strength]
  return { alg: 'argon2id13', opslimit: limits[0]!, memlimit: limits[1]!, salt: randomBytes(sodium.crypto_pwhash_SALTBYTES) }
}

/** Refuses parameters that are not Argon2id within libsodium's MIN..SENSITIVE limits (a tampered file could ask for hours). */
export function checkPassphraseParams (params: PassphraseParams): void {
  const ok = params.alg === 'argon2id13' &&
    Number.isSafeInteger(params.opslimit) && params.opslimit >= sodium.crypto_pwhash_OPSLIMIT_MIN && params.opslimit <= sodium.crypto_pwhash_OPSLIMIT_SENSITIVE &&
    Number.isSafeInteger(params.memlimit) && params.memlimit >= sodium.crypto_pwhash_MEMLIMIT_MIN && params.memlimit <= sodium.crypto_pwhash_MEMLIMIT_SENSITIVE &&
    params.salt.length === sodium.crypto_pwhash_SALTBYTES
  if (!ok) throw new AtRestError('AT_REST_BAD_FORMAT', 'passphrase parameters out of range')
}

/** The exact arguments of crypto_pwhash for a passphrase (NFC-normalised UTF-8), checked. */
interface PwhashArguments { outputLength: 32, password: Uint8Array, salt: Uint8Array, opslimit: number, memlimit: number, alg: number }

function pwhashArguments (passphrase: string, params: PassphraseParams): PwhashArguments {
  checkPassphraseParams(params)
  return { outputLength: 32, password: utf8(passphrase.normalize('NFC')), salt: params.salt, opslimit: params.opslimit, memlimit: params.memlimit, alg: sodium.crypto_pwhash_ALG_ARGON2ID13 }
}

/**
 * Argon2id of the passphrase: the key that wraps the master key. The slow part (0.44 s here at
 * MODERATE), on libuv's thread pool: the event loop goes on, and its 256 MiB are freed when it ends.
 */
export async function passphraseKey (passphrase: string, params: PassphraseParams): Promise<Uint8Array> {
  const a = pwhashArguments(passphrase, params)
  const key = new Uint8Array(a.outputLength)
  await sodium.crypto_pwhash_async(key, a.password, a.salt, a.opslimit, a.memlimit, a.alg)
  return key
}

function wrapAd (params: PassphraseParams): Uint8Array {
  return concat([utf8(`${AT_REST_LABELS.masterKey}\n${params.alg}\n${params.opslimit}\n${params.memlimit}\n`), params.salt])
}

export function wrapMasterKey (masterKey: Uint8Array, wrappingKey: Uint8Array, params: PassphraseParams): Uint8Array {
  if (masterKey.length !== MASTER_KEY_BYTES) throw new AtRestError('AT_REST_BAD_FORMAT', 'a master key is 32 bytes')
  return seal(wrappingKey, wrapAd(params), masterKey)
}

export function unwrapMasterKey (wrapped: Uint8Array, wrappingKey: Uint8Array, params: PassphraseParams): Uint8Array {
  const masterKey = open(wrappingKey, wrapAd(params), wrapped)
  if (masterKey.length !== MASTER_KEY_BYTES) throw new AtRestError('AT_REST_BAD_FORMAT', 'a master key is 32 bytes')
  return masterKey
}
