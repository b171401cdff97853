// The local API's request, response and event types: the one module shared by the daemon (core/)
// and the browser app (ui/), which imports only its types (values would bring zod into the app's
// bundle; the paths it needs are in paths.ts). It imports zod and paths.ts, nothing else.
import { z } from 'zod'

export { API_PREFIX, EVENTS_SUBPROTOCOL, NODE_PROOF_PATH, TOKEN_SUBPROTOCOL_PREFIX } from './paths.js'

export const NodeProof = z.object({
  proof: z.string().meta({ description: 'HMAC-SHA256 over the label, the origin this request reached and the challenge, keyed by a key derived from the API token (base64url)' })
}).meta({ id: 'NodeProof' })

export const MessageState = z.enum(['queued', 'sent', 'delivered', 'read', 'failed'])
  .meta({ id: 'MessageState', description: 'queued: waiting for the recipient; sent: carried by a colleague for the absent recipient; delivered: stored by the recipient; read: seen by them; failed: refused (see stateReason)' })

export const UrgentReason = z.string().min(1).max(200).regex(/^\S(?:[^\p{Cc}\u2028\u2029]*\S)?$/u)
  .meta({ description: 'Why the message may interrupt a recipient in focus: one line, signed in the statement and journaled on both sides' })

export const PresenceStatus = z.enum(['available', 'focus', 'away', 'offline'])
  .meta({ id: 'PresenceStatus', description: 'available; focus: messages arrive silently, notifications wait for a digest; away: set by hand or after idle time; offline: not connected, or chosen' })

const PresenceText = z.string().trim().max(140).regex(/^[^\p{Cc}\u2028\u2029]*$/u)
  .meta({ description: 'One line of at most 140 characters ("In a meeting")' })

export const PresenceException = z.object({
  conversation: z.string().meta({ description: 'A conversation id: a 1:1 conversation or a channel\'s (ChannelView.conversation)' }),
  status: PresenceStatus
}).meta({ id: 'PresenceException' })

export const PeerPresence = z.object({
  status: PresenceStatus.meta({ description: "The status for your conversation with this person (their exception for it, if any); offline when not connected" }),
  text: z.string(),
  until: z.number().int().nullable().meta({ description: "Unix ms when the status ends, in our clock (moved by how far theirs is off, when it is); null for no end" }),
  updated: z.number().int().nullable().meta({ description: 'When it arrived (Unix ms, our clock); null if none received' }),
  general: PresenceStatus.optional().meta({ description: 'Their status for conversations without an exception (offline when not connected)' }),
  exceptions: z.array(PresenceException).optional()
    .meta({ description: 'Their own status for conversations you share with them (a channel: "available for #project-x"); `status` already applies the one for your 1:1' })
}).meta({ id: 'PeerPresence' })

/** Beside every name a person goes by, in the views that name people (docs/SECURITY.md, "Two colleagues with one name"). */
const NAME_TAG_WORDS = 'Present only when another known person, or the user, goes by this name too (case, accents and spaces aside): the last 8 characters of their PeerId, the same on every desk, to show beside the name'
export const NameTag = z.string().optional().meta({ description: NAME_TAG_WORDS })

export const PeerView = z.object({
  peerId: z.string(),
  name: z.string(),
  nameTag: NameTag,
  color: z.string(),
  deviceKey: z.string().meta({ description: 'Ed25519 device key, base64' }),
  addresses: z.array(z.string()),
  connected: z.boolean(),
  lastSeen: z.number().int().nullable().meta({ description: 'Unix ms of the last connection, null if never' }),
  keyChanged: z.boolean().meta({ description: 'The peer presented keys other than the pinned ones; messaging is blocked' }),
  verified: z.boolean().meta({ description: 'The user compared the safety number and trusted the keys now pinned' }),
  presence: PeerPresence,
  photo: z.string().regex(/^[0-9a-f]{64}$/).nullable().meta({ description: 'The SHA-256 (hex) of the photo of theirs we hold (GET /peers/{peerId}/photo), null if none: it changes with the photo' }),
  clockOffsetMs: z.number().int().optional().meta({ description: "Their clock minus our colleagues' (positive: ahead), present only when more than 5 minutes off: their claimed times are wrong by about that much" })
}).meta({ id: 'Peer' })

export const SafetyNumberView = z.object({
  peerId: z.string(),
  name: z.string(),
  digits: z.string().regex(/^\d{5}( \d{5}){11}$/)
    .meta({ description: 'The 60-digit safety number (Signal\'s numeric fingerprint over both device keys) as 12 groups of 5, the same on both devices' }),
  qr: z.string().meta({ description: 'Base64 of the QR payload this device shows: the other device scans it and compares' }),
  verified: z.boolean().meta({ description: 'The user marked these keys verified' }),
  keyChanged: z.boolean().meta({ description: 'The peer presented a new identity key: trusting accepts it' })
}).meta({ id: 'SafetyNumber' })

export const TrustRequest = z.object({}).strict().meta({ id: 'TrustRequest' })

export const TrustView = z.object({
  peer: PeerView,
  acceptedKeyChange: z.boolean().meta({ description: 'The peer had presented a new identity key: it is now the pinned one, and the next message starts a new session' })
}).meta({ id: 'Trust' })

const Silent = z.object({
  until: z.number().int().nullable().meta({ description: "When the recipient's focus ended (Unix ms); null for no end" })
}).meta({ id: 'Silent', description: 'Our message reached the recipient while they were in focus (not urgent): it arrived silently. Decided as it turned delivered; kept with the message' })

const Arrived = z.number().int().optional()
  .meta({ description: 'When this node sent or received it (Unix ms, our clock): the order of the conversation and the `before`/`since` of its pages. Absent for messages stored before it was kept (then `time` orders)' })

// What later messages did to a message (core/messaging/amendments.ts): the same on 1:1 and channel messages.
const MessageVersion = z.object({ text: z.string(), time: z.number().int().meta({ description: "The author's clock when it wrote this version" }) }).meta({ id: 'MessageVersion' })
const Reaction = z.object({
  emoji: z.string(),
  count: z.number().int().min(1),
  authors: z.array(z.object({ peerId: z.string(), name: z.string(), nameTag: NameTag })),
  mine: z.boolean().meta({ description: 'Whether one of them is ours (we can take it back)' })
}).meta({ id: 'Reaction' })
const Quote = z.object({
  id: z.string(),
  held: z.boolean().meta({ description: 'Whether this node holds the quoted message (else only its id is known)' }),
  author: z.string().optional(),
  authorName: z.string().optional(),
  authorTag: NameTag,
  text: z.string().meta({ description: 'The start of its current text; empty when deleted or not held' }),
  deleted: z.boolean()
}).meta({ id: 'Quote', description: 'The message a reply quotes' })
// Files and images (issue 16, docs/files.md): what the API shows of an attachment and takes to send one.
export const AttachmentState = z.enum(['held', 'fetching', 'waiting', 'paused', 'cancelled'])
  .meta({ id: 'AttachmentState', description: 'held: every chunk is here and checked (a file we sent is held from the start); fetching: chunks are coming now; waiting: without an error, queued behind other fetches (two at a time); with one (TRANSFER_NO_HOLDER...), no desk that holds it is reachable, it resumes when one connects; paused: the file store is full (FILE_STORE_FULL), it resumes once there is room, or could not write (STORAGE_UNAVAILABLE), tried again every 30 s; cancelled: the user stopped it (retry resumes from the last checked chunk), or the node set it aside: FILE_TOO_MANY_WAITING (past the files of one author it waits for), FILE_HASH_MISMATCH (its chunk list is not the file its signed descriptor states: nothing of it fetched); in one message only, FILE_ID_TAKEN (another message of the same author named this file first and described it otherwise: this message shows its own description, never opened; the id of a file is bound to its author, so another author naming the same content has a file of its own)' })

const AttachmentPreview = z.object({
  id: z.string().meta({ description: 'The preview\'s own attachment id: GET /attachments/{id}/content?inline=true gives the image' }),
  type: z.enum(['image/jpeg', 'image/webp', 'image/png']),
  state: AttachmentState
})

export const AttachmentView = z.object({
  id: z.string().meta({ description: 'The attachment id: the hex SHA-256 of its chunk list (content-addressed: the same ciphertext is one attachment)' }),
  name: z.string().meta({ description: 'The file name as the sender named it, made safe to show and save' }),
  size: z.number().int().min(0).meta({ description: 'Plaintext bytes' }),
  type: z.string().meta({ description: 'Media type as the sender gave it; a received file is never rendered by its type but an inline image (JPEG, PNG, WebP, GIF)' }),
  sha256: z.string().meta({ description: 'Hex SHA-256 of the plaintext, signed by the author with the message' }),
  state: AttachmentState,
  received: z.number().int().min(0).meta({ description: 'Plaintext bytes held so far (size once held)' }),
  bytesPerSecond: z.number().min(0).optional().meta({ description: 'While fetching: the recent speed' }),
  error: z.string().optional().meta({ description: 'Why it is paused or waiting: an error code (FILE_STORE_FULL, TRANSFER_NO_HOLDER...)' }),
  width: z.number().int().min(1).optional().meta({ description: 'An image: its width in pixels, as the sender measured it' }),
  height: z.number().int().min(1).optional(),
  preview: AttachmentPreview.optional().meta({ description: 'An image: the small encrypted preview made before sending, fetched first' })
}).meta({ id: 'Attachment' })

export const StagedFileView = z.object({
  id: z.string().meta({ description: 'Names the staged file in a send request (`attachments[].file`)' }),
  name: z.string(),
  size: z.number().int().min(0),
  type: z.string(),
  sha256: z.string()
}).meta({ id: 'StagedFile', description: 'A file sealed into the store and not sent yet; dropped if no message names it within a day' })

export const AttachmentRequest = z.object({
  file: z.string().min(1).max(128).meta({ description: 'A staged file (POST /files)' }),
  preview: z.string().min(1).max(128).optional().meta({ description: 'A staged image (JPEG, PNG or WebP, at most 64 KiB) shown until the file is fetched' }),
  width: z.number().int().min(1).max(65_535).optional(),
  height: z.number().int().min(1).max(65_535).optional()
}).strict().meta({ id: 'AttachmentRequest' })

export const FilesUsage = z.object({
  limitBytes: z.number().int().min(0).meta({ description: 'The per-profile limit (settings `fileLimitBytes`; default 5 GiB)' }),
  mineBytes: z.number().int().min(0).meta({ description: 'Files this user sent or received' }),
  carriedBytes: z.number().int().min(0).meta({ description: 'Files held for absent colleagues: evicted first when room is needed' }),
  mineFiles: z.number().int().min(0).meta({ description: 'How many files this user sent or received (and staged): an image\'s preview is part of its image, its bytes in mineBytes, not counted apart' }),
  carriedFiles: z.number().int().min(0).meta({ description: 'How many encrypted files are held for absent colleagues: a carrier sees ids only, so an image and its preview are two' })
}).meta({ id: 'FilesUsage' })

export const DownloadTicket = z.object({
  url: z.string().meta({ description: 'A path on this server (GET, no token): the file as a download, once, within `expires`' }),
  expires: z.number().int().meta({ description: 'Unix ms after which the link is refused' })
}).meta({ id: 'DownloadTicket', description: 'A single-use link to save an attachment through the browser\'s own download manager' })
export const AttachmentAction = z.object({}).strict().meta({ id: 'AttachmentAction' })

const Amended = {
  edited: z.literal(true).optional().meta({ description: 'Its author edited it: `text` is the latest version' }),
  versions: z.array(MessageVersion).optional().meta({ description: 'When edited: every version, oldest (the original) first' }),
  deleted: z.literal(true).optional().meta({ description: 'Its author deleted it: `text` is empty, the versions gone (the journal keeps them)' }),
  quote: Quote.optional(),
  reactions: z.array(Reaction).optional().meta({ description: 'Reactions in force, in the order they first came' }),
  attachments: z.array(AttachmentView).optional().meta({ description: 'The files and images it carries, in the order sent' })
}

export const MessageView = z.object({
  id: z.string(),
  conversation: z.string(),
  direction: z.enum(['in', 'out']),
  author: z.string().meta({ description: 'PeerId of the author' }),
  authorName: z.string(),
  authorTag: NameTag,
  peer: z.string().meta({ description: 'PeerId of the other side of the 1:1 conversation' }),
  text: z.string(),
  time: z.number().int().meta({ description: "The author's clock when it signed the message (Unix ms): shown, never used to order, and wrong when the author's clock is" }),
  arrived: Arrived,
  seq: z.number().int().min(1).meta({ description: "The author's sequence number in this conversation (signed)" }),
  state: MessageState,
  stateTime: z.number().int(),
  stateTimes: z.object({ queued: z.number().int(), sent: z.number().int(), delivered: z.number().int(), read: z.number().int(), failed: z.number().int() }).partial()
    .meta({ description: 'When the message reached each state it went through (Unix ms)' }),
  stateReason: z.string().optional(),
  urgent: UrgentReason.optional(),
  verified: z.boolean().meta({ description: 'The author signature was checked against the pinned device key' }),
  silent: Silent.optional(),
  ...Amended
}).meta({ id: 'Message' })

export const ConversationView = z.object({
  id: z.string(),
  peer: z.string(),
  name: z.string(),
  nameTag: NameTag,
  lastMessage: MessageView.nullable(),
  unread: z.number().int()
}).meta({ id: 'Conversation' })

export const Role = z.enum(['admin', 'member'])
  .meta({ id: 'Role', description: 'admin: may invite, remove and change roles; member: may connect and send' })

export const WorkspaceMember = z.object({
  peerId: z.string(),
  name: z.string().meta({ description: 'The name the device joined with (signed in the membership log)' }),
  nameTag: NameTag,
  role: Role,
  self: z.boolean().meta({ description: 'This node' })
}).meta({ id: 'WorkspaceMember' })

export const WorkspaceSummary = z.object({
  id: z.string().meta({ description: 'base64url SHA-256 of the genesis entry' }),
  name: z.string(),
  role: z.enum(['admin', 'member', 'removed']).meta({ description: "This node's role; removed: it was removed and is cut off" })
}).meta({ id: 'WorkspaceSummary' })

export const WorkspaceFork = z.object({
  seq: z.number().int().meta({ description: 'Position in the membership log where the two branches part' }),
  kept: z.string().meta({ description: 'base64 SHA-256 of the first entry of the branch every node keeps' }),
  dropped: z.string().meta({ description: 'base64 SHA-256 of the first entry of the branch dropped (its author signs its changes again on the kept one)' }),
  switched: z.boolean().meta({ description: 'This node had the dropped branch and left it' }),
  time: z.number().int().meta({ description: 'When this node met the fork (ms since 1970, its clock)' })
}).meta({ id: 'WorkspaceFork' })

export const WorkspaceView = WorkspaceSummary.extend({
  members: z.array(WorkspaceMember).meta({ description: 'Admitted devices that were not removed, admins first' }),
  forks: z.array(WorkspaceFork).optional().meta({ description: 'To an admin only: the forks of the membership log this node met and resolved, oldest first' })
}).meta({ id: 'Workspace' })

export const WorkspaceCreate = z.object({
  name: z.string().trim().min(1).max(64)
}).strict().meta({ id: 'WorkspaceCreate' })

export const WorkspaceJoin = z.object({
  code: z.string().trim().min(1).max(4096).meta({ description: 'An invite code from an admin (40 characters such as 7KQ2M-…), or the link that carries it' })
}).strict().meta({ id: 'WorkspaceJoin' })

export const PersonRef = z.object({
  peerId: z.string(),
  name: z.string().meta({ description: 'The name the device joined with, as the membership log has it' })
}).meta({ id: 'PersonRef' })

export const InvitePreview = z.object({
  workspace: z.object({ id: z.string(), name: z.string() }),
  inviter: PersonRef.meta({ description: 'The admin who made the invite: the node that answered and proved it knows the code' }),
  role: Role,
  expiresAt: z.number().int()
}).meta({ id: 'InvitePreview' })

export const InviteRequest = z.object({
  role: Role.default('member'),
  expiresMs: z.number().int().positive().default(24 * 3600 * 1000)
    .meta({ description: 'Lifetime of the code in milliseconds (at most 30 days); default 24 h' }),
  address: z.string().trim().min(1).max(21).optional()
    .meta({ description: "The IPv4 address (and port) the joiner dials, when this node's first non-loopback IPv4 address is not the one its network can reach: 10.1.2.3 or 10.1.2.3:7420" })
}).strict().meta({ id: 'InviteRequest' })

export const InviteView = z.object({
  id: z.string().meta({ description: 'The invite key in hex: what `causette invite revoke` takes (its first 6 or more characters suffice)' }),
  code: z.string().meta({ description: 'The single-use code, 40 characters in groups of 5: `causette workspace join <code>` on the new device' }),
  link: z.string().meta({ description: "The code in a link that opens the new device's own app on its join screen (http://127.0.0.1:7421/#/join/<code>)" }),
  role: Role,
  expiresAt: z.number().int().meta({ description: 'Unix ms after which the code is refused' })
}).meta({ id: 'Invite' })

export const InviteListItem = z.object({
  id: z.string().meta({ description: 'The invite key in hex' }),
  inviter: PersonRef,
  issuedAt: z.number().int().meta({ description: 'When it was made (the invite entry\'s time, by the inviter\'s clock)' }),
  expiresAt: z.number().int(),
  role: Role,
  status: z.enum(['open', 'used', 'revoked', 'expired']).meta({ description: 'revoked: by an admin, or because its inviter is no longer an admin' }),
  usedBy: PersonRef.optional().meta({ description: 'The device that joined with it' }),
  revokedBy: PersonRef.optional(),
  revokedAt: z.number().int().optional()
}).meta({ id: 'InviteListItem' })

export const InviteList = z.object({
  invites: z.array(InviteListItem).meta({ description: 'Every invite of the membership log, newest first' })
}).meta({ id: 'InviteList' })
// Admitting a desk over the network with a 6-digit code compared aloud (core/workspace/join-requests.ts).
const AdmissionCode = z.string().regex(/^[0-9]{6}$/).meta({ description: 'The 6 digits shown on both screens' })

export const JoinRequestView = z.object({
  peerId: z.string().meta({ description: 'The desk that wants to join' }),
  name: z.string().meta({ description: 'The display name it chose' }),
  address: z.string().meta({ description: 'The network address it connected from, as this node saw it' }),
  since: z.number().int().meta({ description: 'When this node first asked it (Unix ms)' }),
  state: z.enum(['waiting', 'comparing']).meta({ description: 'comparing: Admit was clicked and `code` is shown on both screens' }),
  code: AdmissionCode.optional(),
  confirmedByAdmin: z.boolean(),
  confirmedByNewcomer: z.boolean(),
  notice: z.string().optional().meta({ description: 'How the last attempt ended (the codes did not match, it expired)' })
}).meta({ id: 'JoinRequest' })

export const JoinOfferView = z.object({
  peerId: z.string().meta({ description: 'The admin who can admit this desk' }),
  admin: z.string().meta({ description: "The admin's display name" }),
  workspace: z.string().meta({ description: "The workspace's name" }),
  state: z.enum(['asked', 'comparing']).meta({ description: 'comparing: the admin clicked Admit and `code` must match the admin\'s screen' }),
  code: AdmissionCode.optional(),
  confirmed: z.boolean().meta({ description: 'This desk said the codes match' }),
  notice: z.string().optional()
}).meta({ id: 'JoinOffer' })

export const AdmissionView = z.object({
  requests: z.array(JoinRequestView).meta({ description: 'To an admin: the desks connected now that want to join' }),
  offers: z.array(JoinOfferView).meta({ description: 'To a desk in no workspace: the admins that can admit it' })
}).meta({ id: 'Admission' })

export const AdmissionConfirm = z.object({
  code: AdmissionCode.optional().meta({ description: 'The code as read on this screen (the CLI types it); refused if it is not the one shown' })
}).strict().meta({ id: 'AdmissionConfirm' })

export const AdmissionStep = z.object({}).strict().meta({ id: 'AdmissionStep' })

export const ConnectionView = z.object({
  id: z.string().meta({ description: "libp2p's connection id: a closed connection's id never comes back" }),
  peerId: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  opened: z.number().int().meta({ description: 'Unix ms' })
}).meta({ id: 'Connection' })

export const MemberRemoval = z.object({
  reason: z.string().min(1).max(200).optional().meta({ description: 'Written into the signed removal entry' })
}).strict().meta({ id: 'MemberRemoval' })

export const MemberRoleChange = z.object({
  role: Role
}).strict().meta({ id: 'MemberRoleChange' })

export const StorageStatus = z.object({
  state: z.enum(['ok', 'unwritable']).meta({ description: 'unwritable: after a storage fault (a full disk, no file handles) nothing is accepted until writes succeed again' }),
  message: z.string().optional().meta({ description: 'What is wrong, in plain words' }),
  since: z.number().int().optional(),
  damage: z.array(z.string()).meta({ description: "What LevelDB dropped from a damaged file when the database was opened (from db/LOG); run 'causette doctor'" })
}).meta({ id: 'StorageStatus' })

export const ClockView = z.object({
  offsetMs: z.number().int().nullable().meta({ description: "Our clock minus our colleagues' (the median of their clocks and ours, as their presence arrives): positive when ours is ahead; null before any colleague was heard" }),
  peers: z.number().int().meta({ description: 'Colleagues whose clock was heard' }),
  wrong: z.boolean().meta({ description: 'Our clock is more than 5 minutes from our colleagues\': the app shows it, the user should fix it in the system settings' })
}).meta({ id: 'Clock' })

export const AutostartView = z.object({
  enabled: z.boolean().meta({ description: 'The node starts when this user logs in (`causette install`)' }),
  how: z.enum(['systemd', 'launch-agent', 'run-key', 'none']).meta({ description: "A systemd user unit (Linux), a LaunchAgent (macOS), the user's Run key (Windows); none on other systems" }),
  where: z.string().nullable().meta({ description: 'The unit file, the plist or the registry value; null with how: none' }),
  program: z.string().nullable().meta({ description: 'The release executable this node runs from (the file a person downloaded, or the installed copy): what PUT /autostart installs, and `causette install` in a terminal is this path then `install`; null from a source checkout, which cannot install itself' }),
  menu: z.string().nullable().meta({ description: "The menu entry that opens the app, written by install: the applications menu's .desktop file (Linux), the Start menu shortcut (Windows), the app bundle in ~/Applications (macOS); null when there is none" })
}).meta({ id: 'Autostart' })

export const AutostartUpdate = z.object({
  enabled: z.boolean().meta({ description: 'true: `causette install` from the program this node runs from (the node running now is left running); false: no longer start at login (the program and its menu entry stay; `causette uninstall` removes them)' })
}).strict().meta({ id: 'AutostartUpdate' })

export const NodeStatus = z.object({
  peerId: z.string(),
  name: z.string(),
  nameChosen: z.boolean().meta({ description: 'The user chose the name; false while it is only the suggestion from the OS account (the app then asks for a name first)' }),
  journalKey: z.string().meta({ description: "This node's journal verifier key, to give an auditor: `causette log verify --key` checks an export with it" }),
  photo: z.boolean().meta({ description: 'The user has a photo (GET /profile/photo); colleagues fetch it from this node and show it' }),
  passphrase: z.boolean().meta({ description: 'The profile is protected by a passphrase (`causette passphrase set|remove` on the stopped node)' }),
  color: z.string(),
  addresses: z.array(z.string()),
  mdns: z.boolean(),
  discoveryProblems: z.array(z.object({ code: z.string(), message: z.string() }))
    .meta({ description: 'Why colleagues may not be found from this machine (no LAN interface, no multicast route, nothing configured)' }),
  peers: z.object({ known: z.number().int(), connected: z.number().int() }),
  queued: z.number().int().meta({ description: 'Messages in the outbox' }),
  journal: z.object({
    size: z.number().int(),
    key: z.string().meta({ description: 'The journal verifier key (name+keyid+base64): what an auditor pins to check an export (causette log verify --key)' })
  }),
  storage: StorageStatus,
  workspace: WorkspaceSummary.nullable().meta({ description: 'The workspace this node belongs to, null if none yet' }),
  clock: ClockView,
  autostart: AutostartView,
  version: z.string()
}).meta({ id: 'Status' })

/** What a locked node answers on GET /status: it waits for its profile's passphrase (POST /unlock). */
export const LockedStatus = z.object({
  locked: z.literal(true),
  profile: z.string().meta({ description: 'The profile directory the node waits to open' }),
  name: z.string().nullable().meta({ description: "The display name saved in the profile's settings, null when it has none" }),
  version: z.string()
}).meta({ id: 'LockedStatus' })

/** GET /status: the started node's status, or the locked node's. */
export const StatusAnswer = z.union([NodeStatus, LockedStatus])

export const UnlockRequest = z.object({
  passphrase: z.string().min(1).max(1024).meta({ description: 'The passphrase of the profile (`causette passphrase set`); only Argon2id reads it, nothing keeps it' })
}).strict().meta({ id: 'UnlockRequest' })

export const UnlockResult = z.object({ locked: z.literal(false) }).meta({ id: 'UnlockResult' })

/** Updates (core/update): what runs where, the release held, its download and the workspace's pause. */
export const DeskVersion = z.object({
  peerId: z.string(),
  name: z.string(),
  version: z.string().nullable().meta({ description: 'What this desk runs, as it last announced; null if not heard from since this node started' }),
  self: z.boolean()
}).meta({ id: 'DeskVersion' })

export const UpdateDownload = z.object({
  target: z.string(),
  bytes: z.number().int(),
  size: z.number().int(),
  state: z.enum(['waiting', 'fetching', 'verified', 'handed-over', 'failed', 'paused']).meta({ description: 'waiting: no colleague holds it yet; verified: whole and checked; handed-over: given to the installer; failed: the installer refused it (see error)' }),
  source: z.string().optional().meta({ description: 'The colleague it comes from now' }),
  error: z.string().optional()
}).meta({ id: 'UpdateDownload' })

export const UpdateStatus = z.object({
  running: z.string().meta({ description: "This node's version" }),
  target: z.string().meta({ description: "This node's platform: linux-x64, win-x64, darwin-arm64..." }),
  releaseKey: z.string().meta({ description: 'The release key this node trusts (a note verifier key)' }),
  installer: z.string().meta({ description: 'What this node does with a verified release' }),
  paused: z.object({ by: z.string(), name: z.string(), at: z.number().int() }).nullable().meta({ description: "The admin's signed decision that pauses updates for the workspace; null when not paused" }),
  release: z.object({ version: z.string(), targets: z.array(z.string()), held: z.array(z.string()) }).nullable()
    .meta({ description: 'The newest signed release this node holds (newer than it runs, or the one it runs): its targets and those whose files it holds whole' }),
  download: UpdateDownload.nullable().meta({ description: "This node's own file of that release" }),
  newest: z.string().meta({ description: 'The newest version among the desks and the release held' }),
  onNewest: z.number().int().meta({ description: 'Desks running it: "7 of 9 desks on 0.3.0"' }),
  desks: z.array(DeskVersion)
}).meta({ id: 'UpdateStatus' })

export const UpdatePause = z.object({ paused: z.boolean() }).strict().meta({ id: 'UpdatePause' })

const MessageIdField = z.string().min(1).max(64)

/** A sendId's form: 16 to 64 of A-Z a-z 0-9 _ - (a UUID fits); the CLI checks it before it uploads anything. */
export const SEND_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/

/** The client's id of one send, so that a retry sends nothing again (core/messaging/send-once.ts). */
const SendIdField = z.string().min(16).max(64).regex(SEND_ID_PATTERN).meta({
  description: 'The client\'s id of this send (16 to 64 of A-Z a-z 0-9 _ -, e.g. a random UUID): a retry with the same sendId answers the message already stored, sending nothing; ' +
    'a sendId that sent another message (another conversation, text, quote, urgency or files) is refused, 409 SEND_ID_REUSED. Files staged again for the retry are the same files when their content is (the new staged copies are dropped). ' +
    'Make one per message, and keep it for its retries: the node keeps a sendId for a week'
})

/** A message carries at most this many files: the body's rule (core/files/body-attachment.ts); the CLI and the app check it too. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10

export const SendRequest = z.object({
  to: z.string().min(1).meta({ description: 'PeerId or display name' }),
  text: z.string().max(65536).default('').meta({ description: 'May be empty when `attachments` holds a file' }),
  attachments: z.array(AttachmentRequest).min(1).max(MAX_ATTACHMENTS_PER_MESSAGE).optional().meta({ description: 'Files staged with POST /files, sent with the text' }),
  urgent: UrgentReason.optional(),
  quote: MessageIdField.optional().meta({ description: 'Reply with quote: the message this one answers, shown quoted above it' }),
  sendId: SendIdField.optional()
}).strict().meta({ id: 'SendRequest' })

export const EditRequest = z.object({ text: z.string().min(1).max(60_000) }).strict().meta({ id: 'EditRequest', description: 'The new text of one of your messages' })
export const ReactRequest = z.object({ emoji: z.string().min(1).max(32) }).strict().meta({ id: 'ReactRequest' })

export const ProfileUpdate = z.object({
  name: z.string().min(1).max(64)
}).strict().meta({ id: 'ProfileUpdate' })

export const MessagesQuery = z.object({
  with: z.string().optional(),
  conversation: z.string().optional(),
  q: z.string().optional().meta({ description: 'Case-insensitive text search within one conversation (across all: GET /search)' }),
  before: z.coerce.number().int().optional().meta({ description: 'Only messages that arrived here before this time (Unix ms, `arrived`): older pages. A page holds whole milliseconds (more than `limit` to finish its oldest), so the next page\'s `before` is the oldest `arrived` it holds' }),
  after: z.coerce.number().int().min(0).optional().meta({ description: 'Only messages that arrived here after this time (Unix ms, `arrived`), the oldest first: newer pages after a jump. Whole milliseconds, so the next page\'s `after` is the newest `arrived` it holds' }),
  around: z.string().min(1).max(64).optional().meta({ description: 'A page centred on this message id (a search result): about `limit / 2` messages up to it and as many after; 404 if it is not in the conversation' }),
  limit: z.coerce.number().int().min(1).max(1000).default(200)
}).meta({ id: 'MessagesQuery' })

export const ReadRequest = z.object({
  conversation: z.string()
}).strict().meta({ id: 'ReadRequest' })

export const PresenceView = z.object({
  status: PresenceStatus.meta({ description: 'In force now: a choice whose until passed is available again; available turns away after idle time' }),
  chosen: PresenceStatus.meta({ description: 'What the user chose' }),
  auto: z.boolean().meta({ description: 'Away because of idle time, not by choice' }),
  text: z.string(),
  until: z.number().int().nullable(),
  exceptions: z.array(PresenceException.extend({ name: z.string() }))
    .meta({ description: 'Conversations with a status of their own ("available for X, focus for everything else"); shown to their members only' }),
  muted: z.array(z.object({ conversation: z.string(), name: z.string(), until: z.number().int().nullable() }))
    .meta({ description: 'Conversations whose notifications wait for a digest, as in focus; never shown to anyone' }),
  held: z.number().int().meta({ description: 'Notifications held for the next digest' })
}).meta({ id: 'Presence' })

const Until = {
  until: z.number().int().positive().nullable().optional().meta({ description: 'Unix ms when it ends; null or absent for no end' }),
  forMinutes: z.number().int().min(1).max(7 * 24 * 60).optional().meta({ description: 'Or: ends this many minutes from now' })
}

export const PresenceUpdate = z.object({
  status: PresenceStatus,
  text: PresenceText.default(''),
  ...Until,
  exceptions: z.array(z.object({
    with: z.string().min(1).max(200).meta({ description: 'A PeerId, a display name or a conversation id' }),
    status: PresenceStatus
  }).strict()).max(32).default([])
}).strict().meta({ id: 'PresenceUpdate' })

export const MuteRequest = z.object({
  with: z.string().min(1).max(200).meta({ description: 'A PeerId, a display name or a conversation id' }),
  muted: z.boolean(),
  ...Until
}).strict().meta({ id: 'MuteRequest' })

export const ActivityReport = z.object({}).strict().meta({ id: 'ActivityReport' })

export const DismissDigest = z.object({}).strict().meta({ id: 'DismissDigest' })

/** The user's photo: a small square image the app made, base64 (core/profile/photo.ts bounds it). */
export const ProfilePhoto = z.object({
  type: z.enum(['image/jpeg', 'image/webp']),
  data: z.string().max(100_000).meta({ description: 'The image, base64 (at most 64 KiB decoded)' })
}).meta({ id: 'ProfilePhoto' })

/** The same, as a request body (its own id: a body's schema is read as input, a response's as output). */
export const PhotoUpload = ProfilePhoto.strict().meta({ id: 'PhotoUpload' })

export const SettingsView = z.object({
  readReceipts: z.boolean().meta({ description: 'Tell senders when you have read their messages (default true)' }),
  notificationSound: z.boolean().meta({ description: 'A short sound with a notification that interrupts (default true); focus, mute and urgent decide what interrupts' }),
  fileLimitBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).meta({ description: 'Disk the profile\'s files may take (default 5 GiB): carried copies for colleagues go first when room is needed' })
}).meta({ id: 'Settings' })

export const SettingsUpdate = SettingsView.partial().strict().meta({ id: 'SettingsUpdate' })

export const DigestView = z.object({
  id: z.string().meta({ description: 'Names the digest for dismissing it' }),
  time: z.number().int().meta({ description: 'When the hold ended and the digest was made (Unix ms)' }),
  total: z.number().int(),
  since: z.number().int().meta({ description: 'When the first held message arrived (Unix ms)' }),
  from: z.array(z.object({
    peer: z.string(),
    name: z.string(),
    nameTag: NameTag,
    conversation: z.string(),
    count: z.number().int(),
    messages: z.array(z.string()).meta({ description: 'Message ids, oldest first' })
  }))
}).meta({ id: 'Digest', description: 'What arrived while notifications were held (focus or mute), by author; kept by the node until dismissed (or its conversations read)' })

export const ApiError = z.object({
  error: z.object({ code: z.string(), message: z.string() })
}).meta({ id: 'Error' })

// Channels (docs/channels.md): a named group conversation of some members of the workspace.
export const ChannelMemberView = z.object({
  peerId: z.string(),
  name: z.string(),
  nameTag: NameTag,
  owner: z.boolean().meta({ description: 'The member of longest standing: removes members and archives' }),
  invitedBy: z.string().meta({ description: 'PeerId of the member who invited them (the creator names itself)' })
}).meta({ id: 'ChannelMember' })

export const ChannelMemberChange = z.object({
  id: z.string().meta({ description: 'base64url SHA-256 of the channel log entry' }),
  kind: z.enum(['create', 'invite', 'join', 'leave', 'remove']).meta({ description: '"Alice added Bruno" (invite), "Chloé joined" (join; create is the creator joining), "Chloé left" (leave), "Alice removed Chloé" (remove)' }),
  peerId: z.string().meta({ description: 'The member who joined, was added, left or was removed' }),
  name: z.string(),
  by: z.string().meta({ description: 'PeerId of the member who signed the change' }),
  byName: z.string(),
  time: z.number().int().meta({ description: 'Unix ms, by the signer\'s clock: where the line stands among the messages' })
}).meta({ id: 'ChannelMemberChange' })

export const ChannelView = z.object({
  id: z.string().meta({ description: 'The channel id: base64url SHA-256 of its signed create entry' }),
  conversation: z.string().meta({ description: 'The conversation id its messages name (presence exceptions and mutes take it)' }),
  name: z.string(),
  topic: z.string(),
  archived: z.boolean(),
  open: z.boolean().meta({ description: 'Open to the workspace: every member sees it and may join it; otherwise invite-only, and only its members (and those who left it) know it' }),
  member: z.boolean().meta({ description: 'Whether you are a member (false once you left or were removed, or for an open channel you have not joined)' }),
  owner: z.string().nullable().meta({ description: 'PeerId of the owner' }),
  members: z.array(ChannelMemberView).meta({ description: 'Longest standing first' }),
  changes: z.array(ChannelMemberChange).meta({ description: 'Every accepted join, invite, leave and removal, in log order' }),
  unread: z.number().int(),
  lastTime: z.number().int(),
  mutedUntil: z.number().int().nullable().optional().meta({ description: 'Muted until (Unix ms), or for good (null); absent when not muted' })
}).meta({ id: 'Channel' })

export const MemberDeliveryState = z.enum(['sent', 'delivered', 'read', 'failed'])
  .meta({ id: 'MemberDeliveryState', description: 'sent: queued for the member, or carried by a colleague while they are away; delivered: stored by them; read: seen by them (if they share read receipts); failed: refused (see reason)' })

export const ChannelDelivery = z.object({
  members: z.number().int().meta({ description: 'Members the message was sent to (the readers; the author excluded)' }),
  delivered: z.number().int().meta({ description: 'Of them, those who have it (delivered or read)' }),
  read: z.number().int().meta({ description: 'Of them, those who read it (only members sharing read receipts tell)' }),
  silent: z.number().int().meta({ description: 'Of the delivered, those who got it silently (in focus)' }),
  failed: z.number().int(),
  states: z.array(z.object({
    peerId: z.string(),
    name: z.string(),
    state: MemberDeliveryState,
    time: z.number().int().meta({ description: 'When the member reached that state (Unix ms)' }),
    silentUntil: z.number().int().nullable().optional().meta({ description: 'Delivered in focus: until when (null: no end)' }),
    reason: z.string().optional()
  })).meta({ description: 'One per member, by name' })
}).meta({ id: 'ChannelDelivery' })

export const ChannelMessageView = z.object({
  id: z.string(),
  channel: z.string(),
  author: z.string().meta({ description: 'PeerId of the author' }),
  authorName: z.string(),
  authorTag: NameTag,
  direction: z.enum(['in', 'out']),
  text: z.string().meta({ description: 'Its current text (empty once deleted)' }),
  replyTo: z.string().optional().meta({ description: 'The message this one answers in a thread' }),
  replyToHeld: z.boolean().optional().meta({ description: 'With replyTo, in pages and events: whether this node holds the message it answers (a reply in a thread begun before this member joined may come without it)' }),
  ...Amended,
  time: z.number().int().meta({ description: "The author's clock when it signed the message (Unix ms): shown, never used to order" }),
  arrived: Arrived,
  seq: z.number().int(),
  urgent: z.string().optional(),
  delivery: ChannelDelivery.optional().meta({ description: 'Our own messages only: where each member it was sent to stands' })
}).meta({ id: 'ChannelMessage' })

const ChannelName = z.string().min(1).max(64).regex(/^[^\p{Cc}\u2028\u2029]*$/u)
const ChannelTopic = z.string().max(256).regex(/^[^\p{Cc}\u2028\u2029]*$/u)

export const ChannelCreate = z.object({
  name: ChannelName,
  topic: ChannelTopic.default(''),
  open: z.boolean().default(false).meta({ description: 'Open to the workspace (every member sees it and may join), or invite-only (the default); chosen for good at creation' })
}).strict().meta({ id: 'ChannelCreate' })
export const ChannelUpdate = z.object({
  topic: ChannelTopic.optional(),
  archived: z.literal(true).optional().meta({ description: 'Archive the channel (owner only; for good)' })
}).strict().meta({ id: 'ChannelUpdate' })
export const ChannelInvite = z.object({ peers: z.array(z.string().min(1).max(200)).min(1).max(256).meta({ description: 'PeerIds or display names of workspace members' }) }).strict().meta({ id: 'ChannelInvite' })
export const ChannelSend = z.object({
  text: z.string().max(60_000).default('').meta({ description: 'May be empty when `attachments` holds a file' }),
  attachments: z.array(AttachmentRequest).min(1).max(MAX_ATTACHMENTS_PER_MESSAGE).optional().meta({ description: 'Files staged with POST /files, sent with the text' }),
  replyTo: z.string().min(1).max(64).optional().meta({ description: 'Reply in the thread of this message' }),
  quote: z.string().min(1).max(64).optional().meta({ description: 'Reply with quote: the message this one answers, shown quoted above it' }),
  urgent: UrgentReason.optional(),
  sendId: SendIdField.optional()
}).strict().meta({ id: 'ChannelSend' })
export const ChannelLeave = z.object({}).strict().meta({ id: 'ChannelLeave' })
export const ChannelJoin = z.object({}).strict().meta({ id: 'ChannelJoin' })
export const ChannelRead = z.object({}).strict().meta({ id: 'ChannelRead' })
export const ChannelMute = z.object({ muted: z.boolean(), ...Until }).strict().meta({ id: 'ChannelMute' })
export const ChannelMessagesQuery = z.object({
  since: z.coerce.number().int().min(0).optional().meta({ description: 'Only messages that arrived here after this time (Unix ms, `arrived`)' }),
  before: z.coerce.number().int().min(0).optional().meta({ description: 'Only messages that arrived here before this time (Unix ms, `arrived`): older pages. A page holds whole milliseconds (more than `limit` to finish its oldest), so the next page\'s `before` is the oldest `arrived` it holds' }),
  thread: z.string().min(1).max(64).optional().meta({ description: 'Only this message and the replies and reactions to it' }),
  after: z.coerce.number().int().min(0).optional().meta({ description: 'Only messages that arrived here after this time (Unix ms, `arrived`), the oldest first: newer pages after a jump. Whole milliseconds, so the next page\'s `after` is the newest `arrived` it holds' }),
  around: z.string().min(1).max(64).optional().meta({ description: 'A page centred on this message id (a search result): about `limit / 2` messages up to it and as many after; 404 if it is not in the conversation' }),
  limit: z.coerce.number().int().min(1).max(1000).default(200)
}).strict()

export const SearchQuery = z.object({
  q: z.string().max(256).meta({ description: 'Words to find (at most 8), each as a word or the start of one, accents and case aside: "signe" finds "Signé", "sign" finds "signature"' }),
  limit: z.coerce.number().int().min(1).max(100).default(50)
}).strict().meta({ id: 'SearchQuery' })

export const SearchHit = z.object({
  id: z.string().meta({ description: 'The message id' }),
  kind: z.enum(['direct', 'channel']),
  conversation: z.string().meta({ description: 'Where to open it: the peer (PeerId) of a 1:1 conversation, or the channel id' }),
  where: z.string().meta({ description: "The conversation's name: the colleague's, or the channel's" }),
  whereTag: NameTag,
  author: z.string().meta({ description: 'PeerId of the author' }),
  authorName: z.string(),
  authorTag: NameTag,
  direction: z.enum(['in', 'out']),
  time: z.number().int().meta({ description: "The author's clock when it signed the message (Unix ms)" }),
  arrived: Arrived,
  excerpt: z.string().meta({ description: 'The part of the text around the first match, "…" where cut' }),
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])).meta({ description: 'The matching words in `excerpt`: [start, end) UTF-16 offsets' }),
  matched: z.number().int().meta({ description: 'How many query words the message holds (results with all of them come first)' }),
  whole: z.number().int().meta({ description: 'How many of them as whole words (then those come first; then the newest)' })
}).meta({ id: 'SearchHit' })

export const SearchResults = z.object({
  words: z.array(z.string()).meta({ description: 'The query words as searched: normalised (no accents, lower case). Empty for a query with none (only punctuation)' }),
  results: z.array(SearchHit),
  indexing: z.boolean().meta({ description: 'The index is still being built from the stored messages (once, after an upgrade): older ones may be missing' }),
  cut: z.boolean().meta({ description: 'The search stopped at its work bound: older matches may exist' })
}).meta({ id: 'SearchResults' })

/** Events on the WebSocket stream; ids increase within one daemon run (`epoch`). */
export const NodeEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), message: MessageView }),
  z.object({ type: z.literal('attachment'), attachment: AttachmentView }).meta({ description: 'An attachment changed state or made progress (at most a few times a second while fetching): update every message that carries it' }),
  z.object({ type: z.literal('message-updated'), message: MessageView }).meta({ description: 'A message was edited, deleted, reacted to (or its quote became known): its text, versions, flags, quote and reactions as shown now; its delivery state may be older than the last `message-state`' }),
  z.object({
    type: z.literal('message-taken-out'),
    id: z.string(),
    author: z.string().meta({ description: 'PeerId of the colleague whose message copied the id' }),
    conversation: z.string().meta({ description: 'The conversation id the copy was in' }),
    peer: z.string().optional().meta({ description: 'A 1:1 copy: the other side of its conversation (the copier)' }),
    channel: z.string().optional().meta({ description: 'A channel copy: its channel id' })
  }).meta({ description: 'A colleague\'s message that copied another\'s message id was taken out: the message of that id by its true author takes it over and follows (`message` or `channel-message`, same id). Drop the message of this id by `author` from its conversation' }),
  z.object({ type: z.literal('message-state'), id: z.string(), conversation: z.string(), state: MessageState, stateTime: z.number().int(), stateTimes: MessageView.shape.stateTimes, stateReason: z.string().optional(), silent: Silent.optional() }),
  z.object({ type: z.literal('conversation'), conversation: ConversationView }),
  z.object({ type: z.literal('peer'), peer: PeerView }),
  z.object({ type: z.literal('status'), status: NodeStatus }),
  z.object({ type: z.literal('presence'), presence: PresenceView }),
  z.object({ type: z.literal('notification'), message: MessageView }),
  z.object({ type: z.literal('channel-notification'), message: ChannelMessageView }),
  z.object({ type: z.literal('digest'), digest: DigestView }),
  z.object({ type: z.literal('channel'), channel: ChannelView }),
  z.object({ type: z.literal('channel-message'), message: ChannelMessageView }),
  z.object({ type: z.literal('channel-message-updated'), message: ChannelMessageView }).meta({ description: 'As `message-updated`, for a channel message' }),
  z.object({ type: z.literal('channel-message-state'), id: z.string(), channel: z.string(), delivery: ChannelDelivery }),
  z.object({ type: z.literal('update'), update: UpdateStatus }),
  z.object({ type: z.literal('join-reach'), address: z.string().meta({ description: 'The address the invite code names, as 10.1.2.3:7420' }) })
    .meta({ description: 'A join or invite preview under way (POST /workspace/join, /workspace/join/preview): the inviting computer accepted the connection, so it is there; the node now waits for its answer (it may be busy admitting other desks, up to two minutes)' }),
  z.object({ type: z.literal('admission'), admission: AdmissionView }).meta({ description: 'The desks asking to join (to an admin) or the admins admitting this desk changed: both lists as `GET /workspace/admission` gives them' })
])

export const EventFrame = z.object({
  id: z.number().int(),
  epoch: z.string(),
  event: NodeEvent
}).meta({ id: 'Event' })

export type MessageState = z.infer<typeof MessageState>
export type ClockView = z.infer<typeof ClockView>
export type PeerView = z.infer<typeof PeerView>
export type MessageView = z.infer<typeof MessageView>
export type EditRequest = z.infer<typeof EditRequest>
export type ReactRequest = z.infer<typeof ReactRequest>
export type ReactionView = z.infer<typeof Reaction>
export type QuoteView = z.infer<typeof Quote>
export type SafetyNumberView = z.infer<typeof SafetyNumberView>
export type TrustView = z.infer<typeof TrustView>
export type ConversationView = z.infer<typeof ConversationView>
export type NodeStatus = z.infer<typeof NodeStatus>
export type LockedStatus = z.infer<typeof LockedStatus>
export type StatusAnswer = z.infer<typeof StatusAnswer>
export type UnlockRequest = z.infer<typeof UnlockRequest>
export type UnlockResult = z.infer<typeof UnlockResult>
export type AutostartView = z.infer<typeof AutostartView>
export type AutostartUpdate = z.infer<typeof AutostartUpdate>
export type NodeProof = z.infer<typeof NodeProof>
export type Role = z.infer<typeof Role>
export type WorkspaceMember = z.infer<typeof WorkspaceMember>
export type WorkspaceSummary = z.infer<typeof WorkspaceSummary>
export type WorkspaceView = z.infer<typeof WorkspaceView>
export type WorkspaceJoin = z.infer<typeof WorkspaceJoin>
export type InviteRequest = z.infer<typeof InviteRequest>
export type InviteView = z.infer<typeof InviteView>
export type InvitePreview = z.infer<typeof InvitePreview>
export type PersonRef = z.infer<typeof PersonRef>
export type InviteListItem = z.infer<typeof InviteListItem>
export type InviteList = z.infer<typeof InviteList>
export type JoinRequestView = z.infer<typeof JoinRequestView>
export type JoinOfferView = z.infer<typeof JoinOfferView>
export type AdmissionView = z.infer<typeof AdmissionView>
export type ConnectionView = z.infer<typeof ConnectionView>
export type SendRequest = z.infer<typeof SendRequest>
export type MessagesQuery = z.infer<typeof MessagesQuery>
export type NodeEvent = z.infer<typeof NodeEvent>
export type EventFrame = z.infer<typeof EventFrame>
export type UpdateStatus = z.infer<typeof UpdateStatus>
export type DeskVersion = z.infer<typeof DeskVersion>
export type UpdateDownload = z.infer<typeof UpdateDownload>
export type PresenceStatus = z.infer<typeof PresenceStatus>
export type PeerPresence = z.infer<typeof PeerPresence>
export type PresenceView = z.infer<typeof PresenceView>
/** Input types: the node fills in the defaults for direct callers (CLI, tests) too. */
export type PresenceUpdate = z.input<typeof PresenceUpdate>
export type MuteRequest = z.input<typeof MuteRequest>
export type SettingsView = z.infer<typeof SettingsView>
export type ProfilePhoto = z.infer<typeof ProfilePhoto>
export type SettingsUpdate = z.infer<typeof SettingsUpdate>
export type DigestView = z.infer<typeof DigestView>
export type ChannelView = z.infer<typeof ChannelView>
export type ChannelMemberView = z.infer<typeof ChannelMemberView>
export type ChannelMemberChange = z.infer<typeof ChannelMemberChange>
export type ChannelMessageView = z.infer<typeof ChannelMessageView>
export type ChannelDelivery = z.infer<typeof ChannelDelivery>
export type SearchQuery = z.input<typeof SearchQuery>
export type SearchHit = z.infer<typeof SearchHit>
export type SearchResults = z.infer<typeof SearchResults>
export type ChannelMessagesQuery = z.input<typeof ChannelMessagesQuery>
export type ChannelMute = z.input<typeof ChannelMute>
export type AttachmentState = z.infer<typeof AttachmentState>
export type AttachmentView = z.infer<typeof AttachmentView>
export type StagedFileView = z.infer<typeof StagedFileView>
export type AttachmentRequest = z.infer<typeof AttachmentRequest>
export type FilesUsage = z.infer<typeof FilesUsage>
export type DownloadTicket = z.infer<typeof DownloadTicket>
