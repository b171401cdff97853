// Errors of the end-to-end layer. Callers branch on `code`; messages name what was wrong with the
// input and never carry key material or plaintext.
import { CodedError } from '../coded-error.js'
export const E2E_ERROR_CODES = [
  'E2E_BAD_KEY', // a key of the wrong length, or a DH that gave the all-zero secret (low-order point)
  'E2E_BAD_MESSAGE', // an undecodable, truncated or oversized ratchet message
  'E2E_DECRYPT_FAILED', // authentication failed: wrong key, or any modified byte
  'E2E_REPLAY', // a message whose key was already used (and deleted), or a session start seen before
  'E2E_TOO_MANY_SKIPPED', // a message would need more skipped keys than allowed (per chain or in total)
  'E2E_UNKNOWN_PREKEY', // a session start names a signed prekey we no longer hold
  'E2E_IDENTITY_MISMATCH', // a session start's identity key is not the one pinned for that device
  'E2E_NO_SESSION', // a message that is not a session start, from a device we hold no session with
  'E2E_BAD_STATE', // a stored session state that does not parse, or one that cannot send yet
  'E2E_BAD_PAYLOAD', // an undecodable or oversized inner payload (statement, signature, salt, body)
  'E2E_NO_SENDER_KEY', // a group message of a sender chain we were never given (or have dropped since)
  'E2E_BAD_SIGNATURE', // a group message not signed by its sender chain's signing key
  'E2E_SENDER_KEY_CONFLICT' // a sender key distribution that names a chain we hold with other keys
] as const

export type E2eErrorCode = typeof E2E_ERROR_CODES[number]

export class E2eError extends CodedError<E2eErrorCode> {
  override name = 'E2eError'
}

export function e2eFail (code: E2eErrorCode, message: string): never {
  throw new E2eError(code, message)
}
