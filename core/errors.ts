// Errors with a stable identity: callers branch on `code`, never on message text. Messages say what
// was wrong with the input and never carry key material or message content. The API maps codes to
// HTTP statuses in one place (core/api/errors.ts).
import { E2E_ERROR_CODES } from '../crypto/e2e/errors.js'

export const ERROR_CODES = [
  'BAD_REQUEST', // malformed input from a local client
  'UNAUTHORIZED', // missing or wrong API token
  'FORBIDDEN', // foreign Origin or non-loopback Host
  'NOT_FOUND',
  'UNKNOWN_PEER', // no contact by that PeerId or name
  'AMBIGUOUS_PEER', // a name shared by several contacts
  'KEY_CHANGED', // a known peer presented other keys: blocked until verified
  'BAD_FRAME', // undecodable protobuf or wrong frame kind
  'FRAME_TOO_LARGE',
  'BAD_STATEMENT', // unparsable statement, bad signature, body not matching its commitment
  'WRONG_AUTHOR', // statement author is not the sending peer
  'NOT_A_RECIPIENT',
  'REPLAY', // a message id already stored
  'BAD_DEVICE_RECORD',
  'PROFILE_LOCKED', // another daemon runs on this profile
  'NOT_RUNNING', // the CLI found no daemon for this profile
  'UNSUPPORTED_MEDIA_TYPE', // a state-changing API request that is not JSON
  'PAYLOAD_TOO_LARGE', // an API request body over the limit
  'INTERNAL', // an unexpected error; details only in the daemon's log
  ...E2E_ERROR_CODES // end-to-end layer refusals (crypto/e2e/errors.ts)
] as const

export type ErrorCode = typeof ERROR_CODES[number]

export class CausetteError extends Error {
  override name = 'CausetteError'
  constructor (readonly code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
  }
}

export function isCausetteError (error: unknown, code?: ErrorCode): error is CausetteError {
  return error instanceof CausetteError && (code === undefined || error.code === code)
}
