// The node's public interface as the local API consumes it: what the API, the CLI and tests may use.
// The API layer talks to this, never to the store or to libp2p; core/node implements it.
import type { AdmissionView, AttachmentRequest, AutostartView, AttachmentView, FilesUsage, StagedFileView, ChannelMessagesQuery, ChannelMessageView, ChannelMute, ChannelView, ConnectionView, ConversationView, DigestView, EventFrame, InviteList, InviteListItem, InvitePreview, InviteRequest, InviteView, JoinOfferView, JoinRequestView, MessagesQuery, MessageView, MuteRequest, NodeStatus, PeerView, PresenceUpdate, PresenceView, ProfilePhoto, Role, SafetyNumberView, SearchQuery, SearchResults, SettingsUpdate, SettingsView, TrustView, UpdateStatus, WorkspaceView } from './schema.js'

/** What the user asks of one of the messages they see (core/messaging/amendments.ts acts on it). */
export type AmendRequest =
  | { kind: 'edit', text: string }
  | { kind: 'retract' }
  | { kind: 'reaction', emoji: string, removed: boolean }

/** Who listens: an app tab (a browser's event stream) or anything else (the CLI, a script). */
export interface EventClient { app: boolean }

export interface EventStream {
  /** Calls `listener` for every event after `since` (those still buffered first), then live ones. */
  subscribe: (since: number | undefined, listener: (frame: EventFrame) => void, client?: EventClient) => () => void
  readonly epoch: string
  readonly lastId: number
}

export interface JournalExportFilter {
  with?: string
  conversation?: string
  since?: number
  until?: number
  redact?: boolean
}

export interface SendOptions {
  /** Why the message may break through the recipient's focus (signed in the statement). */
  urgent?: string
  /** A reply with quote: the message it answers, quoted above it. */
  quote?: string
  /** Files staged with `stageFile`, sent with the text (which may then be empty). */
  attachments?: AttachmentRequest[]
  /** The client's id of this send: a retry with it answers the message it sent, sending nothing again. */
  sendId?: string
}

/** A file handed to the node to send: its bytes as they come (an upload, a file read). */
export interface FileUpload {
  name: string
  /** A media type; anything not `type/subtype` is sent as application/octet-stream. */
  type: string
  /** An image's preview (the upload says so): not counted as a file in the usage while it is staged. */
  preview?: boolean
  content: AsyncIterable<Uint8Array>
}

/** Files and images (core/files, docs/files.md). `id` is an attachment id (or a staged file's). */
export interface FileApi {
  /** Seals a file into the store, ready to send (FILE_STORE_FULL if it does not fit); dropped unsent after a day. */
  stageFile: (upload: FileUpload) => Promise<StagedFileView>
  /** Drops a staged file not sent (NOT_FOUND if it is not staged). */
  dropStagedFile: (id: string) => Promise<void>
  /** An attachment of a message we hold (NOT_FOUND otherwise). */
  attachment: (id: string) => Promise<AttachmentView>
  /** The plaintext of a held attachment, checked whole as it streams (FILE_NOT_HELD until it is held). */
  attachmentContent: (id: string) => Promise<{ attachment: AttachmentView, content: AsyncIterable<Uint8Array> }>
  /** Stops fetching an attachment: it keeps what it has (state `cancelled`). */
  cancelAttachment: (id: string) => Promise<AttachmentView>
  /** Fetches a cancelled, paused or waiting attachment again, from the last checked chunk. */
  retryAttachment: (id: string) => Promise<AttachmentView>
  /** What the profile's files take, and its limit. */
  filesUsage: () => Promise<FilesUsage>
}

/** Presence, focus and the user's settings (core/presence, docs/presence.md). */
export interface PresenceApi {
  /** This user's presence as in force now, with exceptions, mutes and the held notification count. */
  presence: () => Promise<PresenceView>
  /** Sets the whole presence; exceptions name a PeerId, a display name or a conversation id. */
  setPresence: (update: PresenceUpdate) => Promise<PresenceView>
  /** Mutes or unmutes one conversation: its notifications wait for a digest, as in focus. */
  mute: (request: MuteRequest) => Promise<PresenceView>
  /** The user is active (the UI saw input): idle time restarts, away-by-idle ends. */
  reportActivity: () => Promise<void>
  settings: () => Promise<SettingsView>
  updateSettings: (update: SettingsUpdate) => Promise<SettingsView>
  /** The digests of held notifications the user has not dismissed, oldest first. */
  digests: () => Promise<DigestView[]>
  /** Dismisses one digest (NOT_FOUND if it is not kept). */
  dismissDigest: (id: string) => Promise<void>
}

/** Channels (core/channels, docs/channels.md); `channel` is a channel id, or a name one channel has. */
export interface ChannelApi {
  channels: () => Promise<ChannelView[]>
  channel: (channel: string) => Promise<ChannelView>
  /** A new channel of the workspace with this device as its first member and owner. */
  createChannel: (name: string, topic?: string, options?: { open?: boolean }) => Promise<ChannelView>
  /** Joins an open channel by our own signed entry (a private one: CHANNEL_NOT_INVITED). */
  joinChannel: (channel: string) => Promise<ChannelView>
  /** Sets the topic (any member) or archives (the owner: CHANNEL_NOT_OWNER). */
  updateChannel: (channel: string, update: { topic?: string, archived?: true }) => Promise<ChannelView>
  /** Invites workspace members (PeerIds or display names); they read what is sent from then on. */
  inviteToChannel: (channel: string, peers: string[]) => Promise<ChannelView>
  /** Removes a member (the owner only); our next message goes with a new sender key it never gets. */
  removeFromChannel: (channel: string, peer: string) => Promise<ChannelView>
  leaveChannel: (channel: string) => Promise<ChannelView>
  channelMessages: (channel: string, query?: ChannelMessagesQuery) => Promise<ChannelMessageView[]>
  /** Resolves once the message is durably queued for every member; `sendId` as in `send`. */
  sendToChannel: (channel: string, text: string, options?: { replyTo?: string, quote?: string, urgent?: string, attachments?: AttachmentRequest[], sendId?: string }) => Promise<ChannelMessageView>
  /** Edits or deletes one of our messages, reacts to one or takes our reaction back: the message as now shown. */
  amendChannelMessage: (channel: string, messageId: string, request: AmendRequest) => Promise<ChannelMessageView>
  markChannelRead: (channel: string) => Promise<void>
  muteChannel: (channel: string, request: ChannelMute) => Promise<ChannelView>
}

/** Updates (core/update): signed releases and their distribution across the workspace. */
export interface UpdateApi {
  /** What runs where, the release held and its download, the workspace's pause. */
  updateStatus: () => Promise<UpdateStatus>
  /**
   * A release bundle handed over by an admin (WORKSPACE_NOT_ADMIN otherwise): checked (release key,
   * version, target, every file's SHA-256), kept and announced; a refusal (UPDATE_*) is journaled and
   * leaves nothing on disk.
   */
  applyUpdate: (bundle: AsyncIterable<Uint8Array>) => Promise<UpdateStatus>
  /** Pauses or resumes updates for the workspace: an admin's signed decision (WORKSPACE_NOT_ADMIN otherwise). */
  pauseUpdates: (paused: boolean) => Promise<UpdateStatus>
}

/** Admitting a desk over the network with a code compared aloud (core/workspace/join-requests.ts, join-offers.ts). */
export interface AdmissionApi {
  /** To an admin, the desks that want to join; to a desk in no workspace, the admins that can admit it. */
  admission: () => Promise<AdmissionView>
  /** The admin clicked Admit: returns the code to compare (ADMISSION_NO_REQUEST if the desk is gone). */
  admitDesk: (peerId: string) => Promise<JoinRequestView>
  /** The admin says the codes match (`code`, if given, must be the one shown: ADMISSION_CODE_MISMATCH). */
  confirmAdmission: (peerId: string, code?: string) => Promise<JoinRequestView>
  declineAdmission: (peerId: string) => Promise<JoinRequestView>
  /** The newcomer says the codes match: it sends its signed join request to that admin. */
  confirmJoinOffer: (peerId: string, code?: string) => Promise<JoinOfferView>
  declineJoinOffer: (peerId: string) => Promise<JoinOfferView>
  /** The open libp2p connections and their ids (a join must close none). */
  connections: () => Promise<ConnectionView[]>
}

/** A colleague's photo, checked: its type is the one its first bytes show. */
export interface PeerPhoto { type: 'image/jpeg' | 'image/webp', bytes: Uint8Array }

export interface NodeApi extends FileApi, PresenceApi, ChannelApi, UpdateApi, AdmissionApi {
  status: () => Promise<NodeStatus>
  peers: () => Promise<PeerView[]>
  conversations: () => Promise<ConversationView[]>
  messages: (query: MessagesQuery) => Promise<MessageView[]>
  /** Messages of every 1:1 conversation and channel that hold the query's words, best first (core/search/ranking.ts). */
  search: (query: SearchQuery) => Promise<SearchResults>
  /** `to` is a PeerId or a display name; resolves once the message is durably queued. */
  send: (to: string, text: string, options?: SendOptions) => Promise<MessageView>
  /** Edits or deletes one of our 1:1 messages, reacts to one or takes our reaction back: the message as now shown. */
  amendMessage: (id: string, request: AmendRequest) => Promise<MessageView>
  markRead: (conversation: string) => Promise<void>
  /** `peer` is a PeerId or a display name: the safety number of this device and the peer's, to compare. */
  safetyNumber: (peer: string) => Promise<SafetyNumberView>
  /** Marks the peer verified; if it presented a new identity key, accepts that key and unblocks it. */
  trust: (peer: string) => Promise<TrustView>
  setName: (name: string) => Promise<void>
  /** The user's photo, null if none (colleagues' nodes fetch it by the SHA-256 our presence names). */
  photo: () => Promise<ProfilePhoto | null>
  /** Stores a photo (checked: JPEG or WebP, at most 64 KiB) or removes it (null). */
  setPhoto: (photo: ProfilePhoto | null) => Promise<void>
  /** A colleague's photo as their node sent it and ours checked it (size, type, SHA-256); NOT_FOUND if we hold none. */
  peerPhoto: (peerId: string) => Promise<PeerPhoto>
  /**
   * Start at login on (`causette install` from the program this node runs from: DESK_NOT_PACKAGED
   * from a source checkout, DESK_NEWER_INSTALLED when a newer version is installed) or off (the autostart entry only); DESK_FAILED with the reason when a step fails.
   */
  setStartAtLogin: (enabled: boolean) => Promise<AutostartView>
  /** The journal as an export file, streamed line by line (docs/log-format.md). */
  exportJournal: (filter: JournalExportFilter) => AsyncIterable<string>
  /** The workspace this node belongs to, with its members; null if none yet. */
  workspaceView: () => Promise<WorkspaceView | null>
  /** Creates a workspace with this node as its root and first admin (WORKSPACE_EXISTS if in one). */
  createWorkspace: (name: string) => Promise<WorkspaceView>
  /**
   * Joins a workspace with an invite code while running (WORKSPACE_EXISTS if in one; INVITE_BAD_CODE; the inviting computer
   * out of reach: JOIN_NOT_RUNNING, JOIN_NO_ROUTE, JOIN_NO_ANSWER at once, JOIN_UNREACHABLE once busy too long; a refusal such
   * as MEMBERSHIP_INVITE_USED). `signal` aborted (the client went away): it stops trying.
   */
  joinWorkspace: (code: string, signal?: AbortSignal) => Promise<WorkspaceView>
  /** A single-use invite code (admins only: WORKSPACE_NOT_ADMIN). */
  createInvite: (request: InviteRequest) => Promise<InviteView>
  /** Every invite with its state (admins only). */
  listInvites: () => Promise<InviteList>
  /** Revokes an open invite by its id or a unique start of it (admins only; MEMBERSHIP_UNKNOWN_INVITE, _INVITE_USED...). */
  revokeInvite: (id: string) => Promise<InviteListItem>
  /** Which workspace and who invited, asked of the inviting node (INVITE_BAD_CODE, the errors of joinWorkspace when out of reach, a refusal). */
  previewInvite: (code: string, signal?: AbortSignal) => Promise<InvitePreview>
  /** Removes a member (admins only); every node then disconnects and refuses it. */
  removeMember: (peerId: string, reason?: string) => Promise<WorkspaceView>
  setMemberRole: (peerId: string, role: Role) => Promise<WorkspaceView>
  readonly events: EventStream
}
