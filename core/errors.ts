// Errors with a stable identity: callers branch on `code`, never on message text. Messages say what
// was wrong with the input and never carry key material or message content. The API maps codes to
// HTTP statuses in one place (core/api/errors.ts).
import { CHANNEL_ERROR_CODES, ChannelError } from '../crypto/channel-entry.js'
import { CodedError } from '../crypto/coded-error.js'
import { E2E_ERROR_CODES } from '../crypto/e2e/errors.js'
import { MEMBERSHIP_ERROR_CODES, MembershipError, type MembershipErrorCode } from '../crypto/membership-entry.js'

/**
 * The workspace's refusals (core/workspace and its protocols in core/protocol/workspace-*.ts): local
 * actions, invite codes, joining, admission. Here rather than in core/workspace so that the protocol
 * throws them without importing the workspace, and this module imports no feature folder.
 */
export const WORKSPACE_ERROR_CODES = [
  'WORKSPACE_NONE', // this node belongs to no workspace yet
  'WORKSPACE_EXISTS', // this node already belongs to a workspace
  'WORKSPACE_NOT_ADMIN', // an action that only an admin may take
  'WORKSPACE_BAD_REQUEST', // an action's input out of range (an invite's expiry)
  'WORKSPACE_CORRUPT', // the stored membership log no longer verifies
  'INVITE_BAD_CODE', // an invite code that does not decode, or is mistyped
  // Joining with an invite code when the inviting computer cannot be reached (core/workspace/join-reach.ts): each says why, at once.
  'JOIN_NOT_RUNNING', // the computer at the code's address refused the connection: causette is not running there (or not on that port)
  'JOIN_NO_ROUTE', // this computer has no route to the network of the code's address (another network, a code made with another address)
  'JOIN_NO_ANSWER', // nothing answered at the code's address: off or asleep, a firewall that drops the connection, or another network
  'JOIN_UNREACHABLE', // the inviting computer accepted the connection but let no join through while joining waited (busy, or it stopped answering)
  'JOIN_REFUSED', // the inviting node answered with something we cannot accept
  'MEMBERS_BAD_FRAME', // an undecodable or oversized frame on a workspace protocol
  // Admitting a desk over the network with a code compared aloud (core/workspace/join-requests.ts).
  'ADMISSION_NO_REQUEST', // no such desk waiting, no admission under way, or it is no longer connected
  'ADMISSION_CODE_MISMATCH', // the code typed is not the one this screen shows
  'ADMISSION_REFUSED' // the other desk refused or answered something unusable
] as const

/** A workspace error's code: its own, or the membership log's that it passes on. */
export type WorkspaceErrorCode = typeof WORKSPACE_ERROR_CODES[number] | MembershipErrorCode

export class WorkspaceError extends CodedError<WorkspaceErrorCode> {
  override name = 'WorkspaceError'
}

export function isWorkspaceError (error: unknown): error is WorkspaceError | MembershipError {
  return error instanceof WorkspaceError || error instanceof MembershipError
}

/** The code of a workspace or membership log error, else undefined. */
export function workspaceCodeOf (error: unknown): WorkspaceErrorCode | undefined {
  return isWorkspaceError(error) ? error.code : undefined
}

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
  'MESSAGE_ID_TAKEN', // a message id already stored as another author's: one of them copied it
  'BAD_RECEIPT', // an unparsable receipt, a bad signature, or one naming someone else's messages
  'CARRY_REFUSED', // a deposit for someone we do not carry for (not a member, or ourselves)
  'CARRY_QUOTA', // a deposit over the author's or the total quota of carried ciphertext
  'SYNC_TOO_SOON', // a catch-up request given up for a newer one of the same peer (one answer every SYNC_INTERVAL_MS)
  'SYNC_BUSY', // an earlier catch-up answer to this peer is still on its way: the asker asks again later (one answer per peer at a time)
  'NOT_A_MEMBER', // a relayed message whose author is not a member of our workspace
  'BAD_DEVICE_RECORD',
  'PROFILE_LOCKED', // another daemon runs on this profile
  'NOT_RUNNING', // the CLI found no daemon for this profile
  // A node started with nobody to type its profile's passphrase waits for it (core/api/locked-app.ts).
  'NODE_LOCKED', // the node is locked: only its status and POST /unlock answer
  'PASSPHRASE_WRONG', // POST /unlock: the passphrase does not open the profile; the node stays locked
  'UNLOCK_BUSY', // POST /unlock: another attempt is under way (one at a time)
  'UNSUPPORTED_MEDIA_TYPE', // a state-changing API request that is not JSON
  'PAYLOAD_TOO_LARGE', // an API request body over the limit
  'INTERNAL', // an unexpected error; details only in the daemon's log
  // Storage faults (a full disk, no file handles): nothing was written; the sender retries later.
  'STORAGE_UNAVAILABLE',
  ...WORKSPACE_ERROR_CODES, // the workspace's local actions, invite codes, joining and admission (below)
  // The desk (core/desk): install, uninstall and autostart, from the CLI or the app's Start at login switch.
  'DESK_NOT_PACKAGED', // install run from a source checkout, not from the packaged executable
  'DESK_UNSUPPORTED', // no per-user autostart of ours on this operating system
  'DESK_FAILED', // the app's switch: a step failed (the Run key could not be written...); the message says which
  'DESK_NEWER_INSTALLED', // install from an older program than the installed one (an update reached it): nothing changed
  // Swapping the executable for a verified release (core/update/swap).
  'UPDATE_SWAP_UNAVAILABLE', // this process does not run from a packaged executable (a source checkout)
  'UPDATE_SWAP_HASH_MISMATCH', // the release file is not the one verified: its SHA-256 differs
  'UPDATE_SWAP_FAILED', // a step of the swap failed; the old executable stays in place and running
  'UPDATE_SWAP_REFUSED', // a trial of a new version is under way, or this version was rolled back here
  'UPDATE_ROLLED_BACK', // POST /unlock: the new version on trial could not open the profile; the previous one restarts
  // Updates (core/update): releases applied by an admin or fetched from colleagues, and the pause.
  'UPDATE_BAD_BUNDLE', // not a release bundle, or bytes after its last file
  'UPDATE_BAD_MANIFEST', // a signed release manifest that does not parse
  'UPDATE_BAD_SIGNATURE', // a manifest not signed by the causette release key
  'UPDATE_NOT_NEWER', // a downgrade, or the version already running or held
  'UPDATE_WRONG_TARGET', // a release without an executable for this node's platform
  'UPDATE_TAMPERED', // a file whose size or SHA-256 differs from the signed manifest
  'UPDATE_TRUNCATED', // a bundle that ends before its last file does
  'UPDATE_BAD_CHUNK', // a colleague served a chunk that the signed manifest does not prove
  'UPDATE_NOT_HELD', // a colleague asked for a release file we do not hold (whole)
  'UPDATE_BAD_DECISION', // a pause decision not signed by an admin of our workspace
  // Search (core/search): a query out of bounds is refused before anything is read.
  'SEARCH_QUERY_TOO_LONG', // over MAX_QUERY_CHARS characters or MAX_QUERY_WORDS words
  // Channels (core/channels): what one member's channels and channel entries may take of a desk.
  'SENDER_KEY_TOO_SOON', // a member's fresh sender key chain while its earlier ones carried no message here: taken later (the sender tries again)
  'CHANNEL_LIMIT', // a member's channels, or its entries in the channel logs we hold, past their bound
  // Edits, retractions and reactions (core/messaging/amendments.ts): what a message may do to an earlier one.
  'AMEND_NOT_AUTHOR', // an edit or retraction of a message by someone else
  'AMEND_BAD_TARGET', // a message that is not in this conversation, is itself an edit or reaction, or was deleted
  'AMEND_TOO_MANY', // an author's edits, retractions and reactions of one message past their bound
  // A send retried with its sendId (core/messaging/send-once.ts).
  'SEND_ID_REUSED', // a sendId that already sent another message (another conversation, text, quote or files)
  // Files at rest (core/files, issue 16): attachment descriptors, chunks and the attachment store.
  'FILE_BAD_DESCRIPTOR', // an attachment descriptor that does not parse or breaks its own rules
  'FILE_BAD_CHUNK', // a chunk whose SHA-256 is not the one its chunk list names, or that does not authenticate
  'FILE_BAD_CHUNK_LIST', // a chunk list whose SHA-256 is not the attachment's id
  'FILE_HASH_MISMATCH', // decrypted bytes that are not the size or SHA-256 the descriptor states
  'FILE_NOT_HELD', // a chunk, chunk list or attachment this desk does not hold (or not whole)
  'FILE_STORE_FULL', // over the profile's file limit, or the disk is full: nothing written, nothing lost
  'FILE_SOURCE_CHANGED', // the file being sent changed size while it was read
  'FILE_TOO_MANY_WAITING', // an author's files still to fetch past their bound: this one is fetched when the user asks
  'FILE_ID_TAKEN', // another message described this file id first, otherwise (another name, key or preview): this message's is set aside
  // File transfer (core/protocol/file-protocol.ts, core/files/fetcher.ts): what a holder or a requester did wrong.
  'TRANSFER_NOT_HELD', // the holder does not hold that file, or not that chunk yet: ask another holder
  'TRANSFER_BAD_CHUNK', // a chunk whose SHA-256 or length is not the one its chunk list names
  'TRANSFER_BAD_CHUNK_LIST', // a chunk list that is not the descriptor's (chunksSha256), too long, or malformed
  'TRANSFER_CHUNK_TOO_LARGE', // a chunk frame longer than its chunk list announced
  'TRANSFER_UNASKED', // a chunk out of order or beyond what was asked, or a frame of the wrong kind
  'TRANSFER_STALLED', // a holder that sent nothing for the idle deadline of a chunk
  'TRANSFER_WINDOW_EXCEEDED', // a requester asking for more chunks at once than the window allows
  'TRANSFER_BAD_FRAME', // an undecodable or oversized frame on the file protocol
  'TRANSFER_NO_HOLDER', // no holder could serve the rest of the file now: the fetch resumes later
  ...MEMBERSHIP_ERROR_CODES, // membership log refusals (crypto/membership-entry.ts)
  ...CHANNEL_ERROR_CODES, // channel log refusals (crypto/channel-entry.ts)
  ...E2E_ERROR_CODES // end-to-end layer refusals (crypto/e2e/errors.ts)
] as const

export type ErrorCode = typeof ERROR_CODES[number]

/**
 * Refusals of the profile at rest (core/profile: the master key, the passphrase, the keystore). They
 * happen before the node and its API exist, so they have no HTTP status: the CLI prints the message
 * and exits 1.
 */
export const PROFILE_ERROR_CODES = [
  'PASSPHRASE_REQUIRED', // the profile is protected by a passphrase and none was given
  'PASSPHRASE_WRONG', // the passphrase does not unwrap the master key (or its file was modified)
  'PASSPHRASE_BAD', // an empty passphrase, or the two entries differ
  'PROFILE_CORRUPT' // a file of the profile (master key, keystore, settings, database) is unreadable, missing or modified
] as const

export type ProfileErrorCode = typeof PROFILE_ERROR_CODES[number]

export class ProfileError extends CodedError<ProfileErrorCode> {
  override name = 'ProfileError'
}

export class CausetteError extends CodedError<ErrorCode> {
  override name = 'CausetteError'
}

export function isCausetteError (error: unknown, code?: ErrorCode): error is CausetteError {
  return error instanceof CausetteError && (code === undefined || error.code === code)
}

/**
 * The code and message of an error that has a stable code of this list: a CausetteError, or the
 * workspace's (above), the membership log's and the channel log's own errors. Undefined otherwise.
 */
export function codedError (error: unknown): { code: ErrorCode, message: string } | undefined {
  return error instanceof CausetteError || error instanceof WorkspaceError || error instanceof MembershipError || error instanceof ChannelError ? error : undefined
}
