// The part of sodium-native (libsodium's native binding) that crypto/ uses. The package ships no
// types, and @types/sodium-native describes its version 2. Outputs are written into the first
// buffer given; a failure (a tag that does not authenticate, an all-zero X25519 result) throws.
declare module 'sodium-native' {
  interface SodiumNative {
    readonly crypto_sign_PUBLICKEYBYTES: number
    readonly crypto_sign_SECRETKEYBYTES: number
    crypto_sign_seed_keypair: (publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array) => void
    crypto_sign_detached: (signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array) => void
    crypto_sign_verify_detached: (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean

    readonly crypto_aead_xchacha20poly1305_ietf_ABYTES: number
    crypto_aead_xchacha20poly1305_ietf_encrypt: (ciphertext: Uint8Array, message: Uint8Array, ad: Uint8Array | null, secretNonce: null, nonce: Uint8Array, key: Uint8Array) => number
    crypto_aead_xchacha20poly1305_ietf_decrypt: (message: Uint8Array, secretNonce: null, ciphertext: Uint8Array, ad: Uint8Array | null, nonce: Uint8Array, key: Uint8Array) => number

    readonly crypto_scalarmult_BYTES: number
    crypto_scalarmult: (shared: Uint8Array, privateKey: Uint8Array, publicKey: Uint8Array) => void
    crypto_scalarmult_base: (publicKey: Uint8Array, privateKey: Uint8Array) => void

    crypto_hash_sha256: (digest: Uint8Array, message: Uint8Array) => void

    crypto_kdf_derive_from_key: (subkey: Uint8Array, subkeyId: number, context: Uint8Array, key: Uint8Array) => void

    readonly crypto_pwhash_ALG_ARGON2ID13: number
    readonly crypto_pwhash_SALTBYTES: number
    readonly crypto_pwhash_OPSLIMIT_MIN: number
    readonly crypto_pwhash_OPSLIMIT_INTERACTIVE: number
    readonly crypto_pwhash_OPSLIMIT_MODERATE: number
    readonly crypto_pwhash_OPSLIMIT_SENSITIVE: number
    readonly crypto_pwhash_MEMLIMIT_MIN: number
    readonly crypto_pwhash_MEMLIMIT_INTERACTIVE: number
    readonly crypto_pwhash_MEMLIMIT_MODERATE: number
    readonly crypto_pwhash_MEMLIMIT_SENSITIVE: number
    /** On libuv's thread pool: the event loop keeps running, and the memory is freed when it ends. */
    crypto_pwhash_async: (output: Uint8Array, password: Uint8Array, salt: Uint8Array, opslimit: number, memlimit: number, alg: number) => Promise<void>
    crypto_pwhash: (output: Uint8Array, password: Uint8Array, salt: Uint8Array, opslimit: number, memlimit: number, alg: number) => void
  }
  const sodium: SodiumNative
  export default sodium
}
