// Every bound the workspace protocols enforce, in one place (like limits.ts for the others).
import { MAX_ENTRY_BYTES } from '../../crypto/membership-entry.js'

/** The invitee's question is an empty frame: a few bytes of room. */
export const MAX_INVITE_REQUEST_FRAME_BYTES = 16

/** A join request frame: the request (≤ 2 KiB) and two signatures. */
export const MAX_JOIN_REQUEST_FRAME_BYTES = 4096
/** One frame of entries; a log longer than that travels in several. */
export const MAX_ENTRIES_FRAME_BYTES = 256 * 1024
/** Room for an entry's bytes, its signature and the protobuf overhead. */
export const MAX_WIRE_ENTRY_BYTES = MAX_ENTRY_BYTES + 128
/** Entries accepted in one exchange: a bound on memory, far above any office's log. */
export const MAX_ENTRIES_PER_EXCHANGE = 100_000
export const JOIN_TIMEOUT_MS = 10_000
export const MEMBERS_TIMEOUT_MS = 10_000
/** Concurrent members streams a peer may open to us on one connection. */
export const MAX_MEMBERS_STREAMS_PER_CONNECTION = 2
/** Join requests an invitee may have open at once on one connection. */
export const MAX_JOIN_STREAMS_PER_CONNECTION = 1
/** Times a member tries to tell a removed device of its removal before it hangs up on it, and the pause between. */
export const REMOVAL_NOTICE_ATTEMPTS = 3
export const REMOVAL_NOTICE_RETRY_MS = 250

// Admitting a desk over the network (core/workspace/join-requests.ts, join-offers.ts): the one protocol a stranger may reach.
/** An admission frame from a stranger: a join request (≤ 2 KiB), a signature, names and keys. */
export const MAX_ADMISSION_FRAME_BYTES = 4096
export const ADMISSION_TIMEOUT_MS = 10_000
/** Admission streams a peer may have open to us at once on one connection. */
export const MAX_ADMISSION_STREAMS_PER_CONNECTION = 2
/** Non-members connected to an admin at once (each may only knock): a bound on a flood of strangers. */
export const MAX_STRANGER_CONNECTIONS = 16
/** Desks an admin lists as wanting to join at once; the oldest is forgotten past it. */
export const MAX_JOIN_REQUESTS = 32
/** Workspaces a desk not in one keeps track of at once (the admins that asked it, their offers). */
export const MAX_ADMITTING_WORKSPACES = 8
/**
 * Offers a desk in no workspace answers per ADMISSION_TTL_MS, from all admins together: each answer
 * reveals a nonce, so a device in the middle could otherwise try codes against it silently, by the
 * thousand (SECURITY.md, "Joining over the network").
 */
export const MAX_OFFERS_PER_WINDOW = 10
/** How long a started admission waits for both people to confirm the code. */
export const ADMISSION_TTL_MS = 10 * 60_000
