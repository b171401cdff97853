// The one place where errors meet HTTP: a stable `code` becomes a status and a JSON body
// `{ error: { code, message } }`. Unknown errors become 500 without their message, which may carry
// internals; they are logged here instead.
import { CHANNEL_ERROR_CODES, type ChannelErrorCode } from '../../crypto/channel-entry.js'
import { E2E_ERROR_CODES, type E2eErrorCode } from '../../crypto/e2e/errors.js'
import { MEMBERSHIP_ERROR_CODES, type MembershipErrorCode } from '../../crypto/membership-entry.js'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'
import { codedError, type ErrorCode } from '../errors.js'

/** Refusals only the HTTP layer can produce; they are not node errors. */
export type ApiErrorCode = ErrorCode

const STATUS_BY_CODE: Record<ApiErrorCode, ContentfulStatusCode> = {
  // End-to-end refusals come from a peer, like the wire errors below.
  ...Object.fromEntries(E2E_ERROR_CODES.map(code => [code, 502])) as Record<E2eErrorCode, ContentfulStatusCode>,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_PEER: 404,
  AMBIGUOUS_PEER: 409,
  KEY_CHANGED: 409,
  // Wire and peer errors should not reach a local client; if one does, the peer was at fault.
  BAD_FRAME: 502,
  FRAME_TOO_LARGE: 502,
  BAD_STATEMENT: 502,
  WRONG_AUTHOR: 502,
  NOT_A_RECIPIENT: 502,
  REPLAY: 409,
  MESSAGE_ID_TAKEN: 502,
  BAD_RECEIPT: 502,
  CARRY_REFUSED: 502,
  CARRY_QUOTA: 502,
  SYNC_TOO_SOON: 502,
  SYNC_BUSY: 503,
  NOT_A_MEMBER: 502,
  BAD_DEVICE_RECORD: 502,
  PROFILE_LOCKED: 409,
  NOT_RUNNING: 503,
  // The locked node (locked-app.ts): 423 Locked for every route it does not serve; never 401, which makes the app forget its token.
  NODE_LOCKED: 423,
  PASSPHRASE_WRONG: 403,
  UNLOCK_BUSY: 409,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
  // The node cannot write now (a full disk, no file handles): nothing was written; try again later.
  STORAGE_UNAVAILABLE: 503,
  // A membership entry refused: the local action conflicts with the log (a peer's bad entry never
  // reaches a local client). The more precise ones follow.
  ...Object.fromEntries(MEMBERSHIP_ERROR_CODES.map(code => [code, 409])) as Record<MembershipErrorCode, ContentfulStatusCode>,
  MEMBERSHIP_NOT_MEMBER: 404,
  MEMBERSHIP_NOT_ADMIN: 403,
  WORKSPACE_NONE: 409,
  WORKSPACE_EXISTS: 409,
  WORKSPACE_NOT_ADMIN: 403,
  WORKSPACE_BAD_REQUEST: 400,
  WORKSPACE_CORRUPT: 500,
  INVITE_BAD_CODE: 400,
  // The inviting computer could not be reached (the clients word why and what to do: join-words.ts).
  JOIN_NOT_RUNNING: 502,
  JOIN_NO_ROUTE: 502,
  JOIN_NO_ANSWER: 504,
  JOIN_UNREACHABLE: 504,
  JOIN_REFUSED: 502,
  MEMBERS_BAD_FRAME: 502,
  // Admitting a desk over the network: nothing was admitted.
  ADMISSION_NO_REQUEST: 404,
  ADMISSION_CODE_MISMATCH: 409,
  ADMISSION_REFUSED: 502,
  // The desk (core/desk): the app's Start at login switch, or the CLI's install.
  DESK_NOT_PACKAGED: 409,
  DESK_UNSUPPORTED: 501,
  DESK_FAILED: 500,
  DESK_NEWER_INSTALLED: 409,
  // The executable swap (core/update/swap): nothing changed on disk, the old version runs on.
  UPDATE_SWAP_UNAVAILABLE: 409,
  UPDATE_SWAP_HASH_MISMATCH: 422,
  UPDATE_SWAP_FAILED: 500,
  UPDATE_SWAP_REFUSED: 409,
  // The unlock that ended an update's trial: the new version could not open the profile; the previous one restarts.
  UPDATE_ROLLED_BACK: 503,
  // Edits, retractions and reactions: only one's own message, in its conversation, not deleted.
  AMEND_NOT_AUTHOR: 403,
  AMEND_BAD_TARGET: 409,
  AMEND_TOO_MANY: 409,
  SEND_ID_REUSED: 409,
  // Updates: what the admin gave is refused (4xx); a colleague's bad chunk or decision never reaches a client.
  UPDATE_BAD_BUNDLE: 400,
  UPDATE_BAD_MANIFEST: 400,
  UPDATE_BAD_SIGNATURE: 400,
  UPDATE_NOT_NEWER: 409,
  UPDATE_WRONG_TARGET: 400,
  UPDATE_TAMPERED: 400,
  UPDATE_TRUNCATED: 400,
  UPDATE_BAD_CHUNK: 502,
  UPDATE_NOT_HELD: 404,
  UPDATE_BAD_DECISION: 502,
  // Search (core/search): a query out of bounds.
  SEARCH_QUERY_TOO_LONG: 400,
  // Files at rest (core/files): a peer's bad descriptor or chunk is a wire error; a full store waits for space.
  FILE_BAD_DESCRIPTOR: 502,
  FILE_BAD_CHUNK: 502,
  FILE_BAD_CHUNK_LIST: 502,
  FILE_HASH_MISMATCH: 502,
  // Not held yet (still fetching, waiting or cancelled): the attachment exists, its content is not all here.
  FILE_NOT_HELD: 409,
  FILE_STORE_FULL: 507,
  FILE_SOURCE_CHANGED: 409,
  FILE_TOO_MANY_WAITING: 409,
  FILE_ID_TAKEN: 409,
  // File transfer: a holder's faults are wire errors; TRANSFER_NO_HOLDER means no holder could serve it now.
  TRANSFER_NOT_HELD: 404,
  TRANSFER_BAD_CHUNK: 502,
  TRANSFER_BAD_CHUNK_LIST: 502,
  TRANSFER_CHUNK_TOO_LARGE: 502,
  TRANSFER_UNASKED: 502,
  TRANSFER_STALLED: 504,
  TRANSFER_WINDOW_EXCEEDED: 502,
  TRANSFER_BAD_FRAME: 502,
  TRANSFER_NO_HOLDER: 503,
  // A channel entry refused: those a peer's bad entry earns are wire errors; a local action's below.
  ...Object.fromEntries(CHANNEL_ERROR_CODES.map(code => [code, 502])) as Record<ChannelErrorCode, ContentfulStatusCode>,
  CHANNEL_NOT_MEMBER: 403,
  CHANNEL_NOT_INVITED: 403,
  CHANNEL_NOT_OWNER: 403,
  CHANNEL_ARCHIVED: 409,
  CHANNEL_ALREADY_MEMBER: 409,
  SENDER_KEY_TOO_SOON: 503,
  CHANNEL_LIMIT: 409
}

function httpStatusOf (code: ApiErrorCode): ContentfulStatusCode {
  return STATUS_BY_CODE[code] ?? 500
}

export function errorResponse (c: Context, code: ApiErrorCode, message: string): Response {
  return c.json({ error: { code, message } }, httpStatusOf(code))
}

/** "with: Invalid input" style: names the offending field so the caller can fix it. */
export function describeZodError (error: ZodError): string {
  return error.issues
    .map(issue => issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)
    .join('; ')
}

/** hono's `onError`: every thrown error of a route ends here. */
export function respondToError (error: unknown, c: Context): Response {
  const coded = codedError(error)
  if (coded !== undefined) return errorResponse(c, coded.code, coded.message)
  // A client that gave up mid-upload (the app's Cancel aborts its XHR): expected, and nobody reads the answer.
  if (clientWentAway(error, c)) return errorResponse(c, 'BAD_REQUEST', 'the client closed the request before its body ended')
  console.error('causette api: unexpected error on %s %s:', c.req.method, c.req.path, error)
  return errorResponse(c, 'INTERNAL', 'internal error; see the daemon log')
}

function clientWentAway (error: unknown, c: Context): boolean {
  return c.req.raw.signal.aborted || (error instanceof Error && (error as NodeJS.ErrnoException).code === 'ECONNRESET')
}
