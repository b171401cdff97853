// Every bound of presence in one place: the wire protocol's sizes and clocks, and the idle time.
export const PRESENCE_PROTOCOL = '/causette/presence/1.0.0'

export const PRESENCE_STATUSES = ['available', 'focus', 'away', 'offline'] as const
export type PresenceStatus = typeof PRESENCE_STATUSES[number]

/** Largest PresenceFrame: the signed text (with its exceptions) and a 64-byte signature. */
export const MAX_PRESENCE_FRAME_BYTES = 4096
export const MAX_PRESENCE_ACK_BYTES = 512
export const MAX_PRESENCE_TEXT_LENGTH = 140
export const MAX_PRESENCE_EXCEPTIONS = 32
/** A presence signed further than this from our clock, either way, is refused (stale or future-dated). */
export const MAX_PRESENCE_CLOCK_SKEW_MS = 5 * 60_000
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
