// The short code two people compare aloud when an admin admits a desk over the network (issue 14).
// Both screens show SHA-256 over a label, the workspace root, the admin's device key, the
// newcomer's device key and one random nonce from each side, reduced to 6 digits. The newcomer
// commits to its nonce (its SHA-256) before it sees the admin's, and the admin sends its nonce
// before it sees the newcomer's: a device in the middle must pick its own keys and nonces before it
// can know either side's code, so it matches both codes with one chance in a million, not by
// trying roots or keys until one fits (the numeric comparison of Bluetooth pairing works alike).
import { concat, equals, utf8 } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'

const CODE_LABEL = utf8('causette/admission-code/v1\n')
const COMMITMENT_LABEL = utf8('causette/admission-nonce/v1\n')
export const ADMISSION_NONCE_BYTES = 32
export const ADMISSION_CODE_DIGITS = 6

export interface AdmissionCodeInput {
  root: Uint8Array
  admin: Uint8Array
  newcomer: Uint8Array
  adminNonce: Uint8Array
  newcomerNonce: Uint8Array
}

/** The newcomer's commitment to its nonce, sent before it learns the admin's. */
export function commitNonce (nonce: Uint8Array): Uint8Array {
  return sha256(COMMITMENT_LABEL, nonce)
}

export function nonceMatches (nonce: Uint8Array, commitment: Uint8Array): boolean {
  return nonce.length === ADMISSION_NONCE_BYTES && equals(commitNonce(nonce), commitment)
}

/** Six digits, leading zeros kept: the first 8 bytes of the hash as an integer, modulo 10^6. */
export function admissionCode (input: AdmissionCodeInput): string {
  const fields = [input.root, input.admin, input.newcomer, input.adminNonce, input.newcomerNonce]
  const hash = sha256(CODE_LABEL, concat(fields))
  const value = new DataView(hash.buffer, hash.byteOffset, 8).getBigUint64(0)
  return (value % 10n ** BigInt(ADMISSION_CODE_DIGITS)).toString().padStart(ADMISSION_CODE_DIGITS, '0')
}
