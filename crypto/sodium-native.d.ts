// The part of sodium-native (libsodium's native binding) that crypto/ed25519.ts uses. The package
// ships no types, and @types/sodium-native describes its version 2.
declare module 'sodium-native' {
  interface SodiumNative {
    readonly crypto_sign_PUBLICKEYBYTES: number
    readonly crypto_sign_SECRETKEYBYTES: number
    crypto_sign_seed_keypair: (publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array) => void
    crypto_sign_detached: (signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array) => void
    crypto_sign_verify_detached: (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean
  }
  const sodium: SodiumNative
  export default sodium
}
