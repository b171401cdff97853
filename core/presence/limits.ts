// Every bound of presence in one place: the wire protocol's sizes and clocks, and the idle time.
export const PRESENCE_STATUSES = ['available', 'focus', 'away', 'offline'] as const
export type PresenceStatus = typeof PRESENCE_STATUSES[number]

/** Largest PresenceFrame: the signed text (with its exceptions) and a 64-byte signature. */
export const MAX_PRESENCE_FRAME_BYTES = 4096
export const MAX_PRESENCE_TEXT_LENGTH = 140
export const MAX_PRESENCE_EXCEPTIONS = 32
/**
 * Clocks closer than this agree: a colleague's clock further from the consensus, or ours, is shown
 * as wrong, and a presence's until from a clock that far off is moved into ours.
 */
export const CLOCK_SKEW_SHOWN_MS = 5 * 60_000
/**
 * A presence older than the one held, on the same connection, is a replay or a late copy unless the
 * sender's clock went back by more than this (a copy in flight is late by PRESENCE_TIMEOUT_MS at most).
 */
export const CLOCK_JUMP_MS = 60_000
export const PRESENCE_TIMEOUT_MS = 5_000
export const PRESENCE_PUSH_ATTEMPTS = 3
/** Available becomes away (automatic) after this long without activity from the user. */
export const DEFAULT_IDLE_MS = 10 * 60_000
/** Peers whose presence we keep in memory; beyond this the oldest is forgotten. */
export const MAX_PEER_PRESENCES = 10_000
/** Notifications held during focus or mute; beyond this the oldest are forgotten (their messages stay unread). */
export const MAX_HELD_NOTIFICATIONS = 5_000
/** Digests kept on the node until the user dismisses them; beyond this the oldest go. */
export const MAX_PENDING_DIGESTS = 100
