// Safety numbers (DESIGN.md §2): Signal's numeric fingerprint, version 0, over both device keys.
// Each side: hash = version (u16, 0) || key || identifier, then 5200 times hash = SHA-512(hash || key);
// its first 30 bytes, in six 5-byte big-endian chunks, each mod 100000, give 30 digits. The
// safety number is both sides' 30 digits, the lower first: 60 digits, the same on both devices.
// For causette the key is the 32-byte Ed25519 device key and the identifier is a fixed label, so
// the number depends on the two device keys alone.
//
// The QR payload, for a camera to compare instead of eyes:
//   "CSN" | version 0x01 | first 32 bytes of the shower's hash | first 32 bytes of the peer's hash
import { createHash } from 'node:crypto'
import { concat, equals, utf8 } from './encoding.js'

export const FINGERPRINT_ITERATIONS = 5200
const FINGERPRINT_VERSION = Uint8Array.of(0, 0)
const DEVICE_IDENTIFIER = utf8('causette/safety-number/v1')
const QR_MAGIC = utf8('CSN')
const QR_VERSION = 1
const QR_HASH_BYTES = 32
export const SAFETY_QR_BYTES = QR_MAGIC.length + 1 + 2 * QR_HASH_BYTES

export class SafetyNumberError extends Error {
  override name = 'SafetyNumberError'
  readonly code = 'BAD_SAFETY_QR'
}

export interface FingerprintSide { key: Uint8Array, identifier: Uint8Array }

/** Signal's iterated SHA-512 over one side's key and identifier (64 bytes). */
export function fingerprintHash (side: FingerprintSide, iterations = FINGERPRINT_ITERATIONS): Uint8Array {
  let hash: Uint8Array = concat([FINGERPRINT_VERSION, side.key, side.identifier])
  for (let i = 0; i < iterations; i++) hash = createHash('sha512').update(hash).update(side.key).digest()
  return hash
}

/** 30 digits: six 5-byte big-endian chunks of the hash, each mod 100000. */
export function fingerprintDigits (hash: Uint8Array): string {
  let digits = ''
  for (let offset = 0; offset < 30; offset += 5) {
    let chunk = 0
    for (const byte of hash.subarray(offset, offset + 5)) chunk = chunk * 256 + byte // 40 bits: exact in a double
    digits += String(chunk % 100000).padStart(5, '0')
  }
  return digits
}

/** Signal's displayable fingerprint of two sides: 60 digits, the lower side's first. */
export function numericFingerprint (local: FingerprintSide, remote: FingerprintSide, iterations = FINGERPRINT_ITERATIONS): string {
  const a = fingerprintDigits(fingerprintHash(local, iterations))
  const b = fingerprintDigits(fingerprintHash(remote, iterations))
  return a <= b ? a + b : b + a
}

const deviceSide = (deviceKey: Uint8Array): FingerprintSide => ({ key: deviceKey, identifier: DEVICE_IDENTIFIER })

/** The safety number of two devices (Ed25519 device keys): 60 digits, equal on both sides. */
export function safetyNumber (ourDevice: Uint8Array, theirDevice: Uint8Array): string {
  return numericFingerprint(deviceSide(ourDevice), deviceSide(theirDevice))
}

/** 60 digits as twelve groups of five, as people read them aloud. */
export function formatSafetyNumber (digits: string): string {
  return digits.match(/.{1,5}/g)?.join(' ') ?? ''
}

/** The bytes our QR code shows to the peer sitting next to us. */
export function safetyQrPayload (ourDevice: Uint8Array, theirDevice: Uint8Array): Uint8Array {
  const ours = fingerprintHash(deviceSide(ourDevice)).subarray(0, QR_HASH_BYTES)
  const theirs = fingerprintHash(deviceSide(theirDevice)).subarray(0, QR_HASH_BYTES)
  return concat([QR_MAGIC, Uint8Array.of(QR_VERSION), ours, theirs])
}

/** Compares a payload scanned from the peer's screen with the keys we hold for both of us. */
export function compareSafetyQr (scanned: Uint8Array, ourDevice: Uint8Array, theirDevice: Uint8Array): 'match' | 'mismatch' {
  if (scanned.length !== SAFETY_QR_BYTES || !equals(scanned.subarray(0, QR_MAGIC.length), QR_MAGIC)) throw new SafetyNumberError('safety QR: not a causette safety number')
  if (scanned[QR_MAGIC.length] !== QR_VERSION) throw new SafetyNumberError('safety QR: unknown version')
  return equals(scanned, safetyQrPayload(theirDevice, ourDevice)) ? 'match' : 'mismatch'
}
