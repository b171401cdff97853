// Every libp2p protocol id of causette, in one place. The version in each is the wire's: frames
// that older peers cannot read take a new id.

/** sealed messages and receipts, each acknowledged once stored (message-handler.ts, pipelined-sender.ts) */
export const MESSAGE_PROTOCOL = '/causette/msg/1.0.0'

/** signed device records, exchanged on connection (record-protocol.ts) */
export const RECORD_PROTOCOL = '/causette/record/1.0.0'

/** peer exchange: where the members a desk is connected to can be dialled (peer-exchange.ts) */
export const PEERS_PROTOCOL = '/causette/peers/1.0.0'

/** catch-up: what each side holds of the other's messages (sync-protocol.ts) */
export const SYNC_PROTOCOL = '/causette/sync/1.0.0'

/** messages a colleague carries for an absent peer (carry-protocol.ts) */
export const CARRY_PROTOCOL = '/causette/carry/1.0.0'

/** channel logs, exchanged with the members they concern (channel-protocol.ts) */
export const CHANNEL_PROTOCOL = '/causette/channels/1.0.0'

/** signed presences (core/presence/protocol.ts) */
export const PRESENCE_PROTOCOL = '/causette/presence/1.0.0'

/** a member's photo, the one its signed presence names (photo-protocol.ts) */
export const PHOTO_PROTOCOL = '/causette/photo/1.0.0'

/** a file's chunk list and chunks, in a granted window (file-protocol.ts, file-requester.ts) */
export const FILE_PROTOCOL = '/causette/file/1.0.0'

/** signed releases: announcements and chunks (update-protocol.ts) */
export const UPDATE_PROTOCOL = '/causette/update/1.0.0'

/** an invitee's join request, answered with the membership log (workspace-join.ts) */
export const JOIN_PROTOCOL = '/causette/join/1.0.0'

/** an invitation, fetched by the invitee (workspace-invite.ts) */
export const INVITE_PROTOCOL = '/causette/invite/1.0.0'

/** the membership log, exchanged between members (workspace-sync.ts) */
export const MEMBERS_PROTOCOL = '/causette/members/1.0.0'

/** admitting a desk over the network (workspace-admission.ts): the one protocol a stranger may reach */
export const ADMISSION_PROTOCOL = '/causette/admission/1.0.0'
