// An in-memory NodeApi for testing the API layer alone: it keeps what it is told and emits the
// events a real node would. Integration tests use real nodes instead.
import type { AdmissionView, AttachmentView, FilesUsage, StagedFileView, ChannelMessageView, ChannelView, ConnectionView, ConversationView, DigestView, EventFrame, InviteList, InviteListItem, InvitePreview, InviteRequest, InviteView, JoinOfferView, JoinRequestView, MessageView, MuteRequest, NodeEvent, NodeStatus, PeerView, PresenceUpdate, PresenceView, ProfilePhoto, Role, SafetyNumberView, SearchResults, SettingsUpdate, SettingsView, TrustView, UpdateStatus, WorkspaceView } from '../../core/api/schema.js'
import { CausetteError, WorkspaceError } from '../../core/errors.js'
import type { EventStream, FileUpload, JournalExportFilter, NodeApi, PeerPhoto } from '../../core/api/node-api.js'

export class FakeEventStream implements EventStream {
  readonly epoch = 'fake-epoch'
  private readonly frames: EventFrame[] = []
  private readonly listeners = new Set<(frame: EventFrame) => void>()

  get lastId (): number { return this.frames.at(-1)?.id ?? 0 }

  emit (event: NodeEvent): EventFrame {
    const frame = { id: this.lastId + 1, epoch: this.epoch, event }
    this.frames.push(frame)
    for (const listener of this.listeners) listener(frame)
    return frame
  }

  subscribe (since: number | undefined, listener: (frame: EventFrame) => void): () => void {
    if (since !== undefined) for (const frame of this.frames) if (frame.id > since) listener(frame)
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }
}

const ALICE_PEER_ID = '12D3KooWAliceAliceAliceAliceAliceAliceAliceAlice'
/** The fake's invite codes: 40 characters in groups of 5, as the real ones. */
const FAKE_CODE = /^[0-9A-Z]{5}(-[0-9A-Z]{5}){7}$/

export const BOB: PeerView = {
  peerId: '12D3KooWBobBobBobBobBobBobBobBobBobBobBobBobBobBob',
  name: 'bob',
  color: '#3366ff',
  deviceKey: 'AAAA',
  addresses: ['/ip4/127.0.0.1/tcp/7420'],
  connected: true,
  lastSeen: 1_700_000_000_000,
  keyChanged: false,
  verified: false,
  presence: { status: 'available', text: '', until: null, updated: null },
  photo: null
}

export class FakeNode implements NodeApi {
  readonly events = new FakeEventStream()
  readonly sent: MessageView[] = []
  readonly read: string[] = []
  name = 'alice'

  async status (): Promise<NodeStatus> {
    return {
      peerId: ALICE_PEER_ID,
      name: this.name,
      nameChosen: true,
      journalKey: `causette/journal/v1/${ALICE_PEER_ID}+01234567+AQ==`,
      photo: this.storedPhoto !== null,
      passphrase: false,
      color: '#ff6633',
      addresses: ['/ip4/127.0.0.1/tcp/7420'],
      mdns: false,
      discoveryProblems: [],
      peers: { known: 1, connected: 1 },
      queued: 0,
      journal: { size: this.sent.length, key: 'causette/journal/v1/fake+00000000+AA==' },
      storage: { state: 'ok', damage: [] },
      workspace: this.workspace === null ? null : { id: this.workspace.id, name: this.workspace.name, role: this.workspace.role },
      clock: { offsetMs: null, peers: 0, wrong: false },
      autostart: { enabled: this.startAtLogin, how: 'systemd', where: '/home/alice/.config/systemd/user/causette.service', program: '/home/alice/Downloads/causette', menu: null },
      version: '0.0.0-test'
    }
  }

  async peers (): Promise<PeerView[]> { return [BOB] }

  startAtLogin = false
  async setStartAtLogin (enabled: boolean): Promise<NodeStatus['autostart']> {
    this.startAtLogin = enabled
    return (await this.status()).autostart
  }

  /** The bytes of the last bundle handed to applyUpdate. */
  appliedBytes = 0
  paused = false

  // Files: nothing staged or held (the API's file routes are tested against a real node).
  async stageFile (upload: FileUpload): Promise<StagedFileView> {
    let size = 0
    for await (const piece of upload.content) size += piece.length
    return { id: 'f'.repeat(64), name: upload.name, size, type: upload.type, sha256: '0'.repeat(64) }
  }

  async dropStagedFile (_id: string): Promise<void> { throw new CausetteError('NOT_FOUND', 'no such staged file') }
  async attachment (_id: string): Promise<AttachmentView> { throw new CausetteError('NOT_FOUND', 'no such attachment') }
  async attachmentContent (_id: string): Promise<{ attachment: AttachmentView, content: AsyncIterable<Uint8Array> }> { throw new CausetteError('NOT_FOUND', 'no such attachment') }
  async cancelAttachment (_id: string): Promise<AttachmentView> { throw new CausetteError('NOT_FOUND', 'no such attachment') }
  async retryAttachment (_id: string): Promise<AttachmentView> { throw new CausetteError('NOT_FOUND', 'no such attachment') }
  async filesUsage (): Promise<FilesUsage> { return { limitBytes: 5 * 1024 ** 3, mineBytes: 0, carriedBytes: 0, mineFiles: 0, carriedFiles: 0 } }

  async updateStatus (): Promise<UpdateStatus> {
    return {
      running: '0.0.0-test',
      target: 'linux-x64',
      releaseKey: 'test+00000000+AQ==',
      installer: 'none',
      paused: this.paused ? { by: ALICE_PEER_ID, name: this.name, at: 1 } : null,
      release: null,
      download: null,
      newest: '0.0.0-test',
      onNewest: 1,
      desks: [{ peerId: ALICE_PEER_ID, name: this.name, version: '0.0.0-test', self: true }]
    }
  }

  async applyUpdate (bundle: AsyncIterable<Uint8Array>): Promise<UpdateStatus> {
    for await (const piece of bundle) this.appliedBytes += piece.byteLength
    return await this.updateStatus()
  }

  async pauseUpdates (paused: boolean): Promise<UpdateStatus> {
    this.paused = paused
    return await this.updateStatus()
  }

  async conversations (): Promise<ConversationView[]> {
    return [{ id: 'conv-bob', peer: BOB.peerId, name: BOB.name, lastMessage: this.sent.at(-1) ?? null, unread: 0 }]
  }

  async messages (): Promise<MessageView[]> { return [...this.sent] }

  async search (): Promise<SearchResults> { return { words: [], results: [], indexing: false, cut: false } }
  async amendMessage (id: string): Promise<MessageView> { throw new CausetteError('NOT_FOUND', `no message ${id}`) }

  async send (to: string, text: string): Promise<MessageView> {
    if (to !== BOB.name && to !== BOB.peerId) throw new CausetteError('UNKNOWN_PEER', `no contact named ${to}`)
    const time = Date.now()
    const message: MessageView = {
      id: `m${this.sent.length + 1}`,
      conversation: 'conv-bob',
      direction: 'out',
      author: (await this.status()).peerId,
      authorName: this.name,
      peer: BOB.peerId,
      text,
      time,
      seq: this.sent.length + 1,
      state: 'queued',
      stateTime: time,
      stateTimes: { queued: time },
      verified: true
    }
    this.sent.push(message)
    this.events.emit({ type: 'message', message })
    return message
  }

  async markRead (conversation: string): Promise<void> { this.read.push(conversation) }

  async setName (name: string): Promise<void> { this.name = name }

  storedPhoto: ProfilePhoto | null = null
  async photo (): Promise<ProfilePhoto | null> { return this.storedPhoto }
  async setPhoto (photo: ProfilePhoto | null): Promise<void> { this.storedPhoto = photo }
  /** Colleagues' photos by PeerId, as the node would hold them. */
  peerPhotos = new Map<string, PeerPhoto>()
  async peerPhoto (peer: string): Promise<PeerPhoto> {
    const photo = this.peerPhotos.get(peer)
    if (photo === undefined) throw new CausetteError('NOT_FOUND', `no photo of ${peer}`)
    return photo
  }

  // Bob's safety number is made up; the real one is tested through real nodes (test/integration/safety-number.test.ts).
  bobVerified = false

  async safetyNumber (peer: string): Promise<SafetyNumberView> {
    this.#requireBob(peer)
    return { peerId: BOB.peerId, name: BOB.name, digits: Array.from({ length: 12 }, (_, i) => String(i).repeat(5)).join(' '), qr: 'Q1NO', verified: this.bobVerified, keyChanged: false }
  }

  async trust (peer: string): Promise<TrustView> {
    this.#requireBob(peer)
    this.bobVerified = true
    return { peer: { ...BOB, verified: true }, acceptedKeyChange: false }
  }

  #requireBob (peer: string): void {
    if (peer !== BOB.name && peer !== BOB.peerId) throw new CausetteError('UNKNOWN_PEER', `no contact named ${peer}`)
  }

  // A workspace kept in memory, for the API layer; the real rules are tested against real nodes
  // (test/unit/api-workspace.test.ts).
  workspace: WorkspaceView | null = null

  async workspaceView (): Promise<WorkspaceView | null> { return this.workspace }

  async createWorkspace (name: string): Promise<WorkspaceView> {
    if (this.workspace !== null) throw new WorkspaceError('WORKSPACE_EXISTS', 'this node already belongs to a workspace')
    this.workspace = { id: 'fake-workspace', name, role: 'admin', members: [{ peerId: ALICE_PEER_ID, name: this.name, role: 'admin', self: true }] }
    return this.workspace
  }

  // Admitting over the network needs two real nodes (test/integration/workspace-admission.test.ts):
  // here nobody is waiting, so every action is refused as a real node refuses it.
  async admission (): Promise<AdmissionView> { return { requests: [], offers: [] } }
  async admitDesk (peerId: string): Promise<JoinRequestView> { return noRequest(peerId) }
  async confirmAdmission (peerId: string): Promise<JoinRequestView> { return noRequest(peerId) }
  async declineAdmission (peerId: string): Promise<JoinRequestView> { return noRequest(peerId) }
  async confirmJoinOffer (peerId: string): Promise<JoinOfferView> { return noRequest(peerId) }
  async declineJoinOffer (peerId: string): Promise<JoinOfferView> { return noRequest(peerId) }
  async connections (): Promise<ConnectionView[]> { return [] }

  async joinWorkspace (code: string): Promise<WorkspaceView> {
    if (this.workspace !== null) throw new WorkspaceError('WORKSPACE_EXISTS', 'this node already belongs to a workspace')
    if (!FAKE_CODE.test(code)) throw new WorkspaceError('INVITE_BAD_CODE', 'invite code: mistyped')
    this.workspace = { id: 'fake-workspace', name: 'Fake', role: 'member', members: [{ peerId: ALICE_PEER_ID, name: this.name, role: 'member', self: true }] }
    return this.workspace
  }

  async createInvite ({ role, expiresMs }: InviteRequest): Promise<InviteView> {
    this.#requireWorkspace()
    const code = role === 'admin' ? 'ADMIN-00000-00000-00000-00000-00000-00000-00000' : 'MEMBR-00000-00000-00000-00000-00000-00000-00000'
    return { id: `fake-${role}`, code, link: `http://127.0.0.1:7421/#/join/${code}`, role, expiresAt: Date.now() + expiresMs }
  }

  async listInvites (): Promise<InviteList> {
    this.#requireWorkspace()
    return { invites: [] }
  }

  async revokeInvite (id: string): Promise<InviteListItem> {
    this.#requireWorkspace()
    throw new WorkspaceError('MEMBERSHIP_UNKNOWN_INVITE', `no invite ${id} in this workspace`)
  }

  async previewInvite (code: string): Promise<InvitePreview> {
    if (!FAKE_CODE.test(code)) throw new WorkspaceError('INVITE_BAD_CODE', 'invite code: mistyped')
    return { workspace: { id: 'fake-workspace', name: 'Fake' }, inviter: { peerId: ALICE_PEER_ID, name: 'Alice' }, role: 'member', expiresAt: Date.now() + 3_600_000 }
  }

  async removeMember (peerId: string): Promise<WorkspaceView> {
    const workspace = this.#requireMember(peerId)
    workspace.members = workspace.members.filter(m => m.peerId !== peerId)
    return workspace
  }

  async setMemberRole (peerId: string, role: Role): Promise<WorkspaceView> {
    const workspace = this.#requireMember(peerId)
    workspace.members = workspace.members.map(m => m.peerId === peerId ? { ...m, role } : m)
    return workspace
  }

  #requireWorkspace (): WorkspaceView {
    if (this.workspace === null) throw new WorkspaceError('WORKSPACE_NONE', 'this node belongs to no workspace yet')
    return this.workspace
  }

  #requireMember (peerId: string): WorkspaceView {
    const workspace = this.#requireWorkspace()
    if (!workspace.members.some(m => m.peerId === peerId)) throw new WorkspaceError('MEMBERSHIP_NOT_MEMBER', `no member ${peerId} in this workspace`)
    return workspace
  }

  presenceView: PresenceView = { status: 'available', chosen: 'available', auto: false, text: '', until: null, exceptions: [], muted: [], held: 0 }
  settingsView: SettingsView = { readReceipts: true, notificationSound: true, fileLimitBytes: 5 * 1024 ** 3 }

  async presence (): Promise<PresenceView> { return this.presenceView }

  async setPresence (update: PresenceUpdate): Promise<PresenceView> {
    this.presenceView = { ...this.presenceView, status: update.status, chosen: update.status, text: update.text ?? '', until: update.until ?? null }
    return this.presenceView
  }

  activity = 0

  async mute (request: MuteRequest): Promise<PresenceView> {
    this.presenceView = { ...this.presenceView, muted: request.muted ? [{ conversation: request.with, name: request.with, until: null }] : [] }
    return this.presenceView
  }

  async reportActivity (): Promise<void> { this.activity++ }
  async settings (): Promise<SettingsView> { return this.settingsView }

  digestViews: DigestView[] = []
  async digests (): Promise<DigestView[]> { return this.digestViews }
  async dismissDigest (id: string): Promise<void> {
    if (!this.digestViews.some(d => d.id === id)) throw new CausetteError('NOT_FOUND', 'no such digest')
    this.digestViews = this.digestViews.filter(d => d.id !== id)
  }

  async updateSettings (update: SettingsUpdate): Promise<SettingsView> {
    this.settingsView = { ...this.settingsView, ...update }
    return this.settingsView
  }

  // Channels are tested against real nodes (test/integration/channels.test.ts): this node has none.
  async channels (): Promise<ChannelView[]> { return [] }
  async channel (channel: string): Promise<ChannelView> { return this.#noChannel(channel) }
  async createChannel (name: string): Promise<ChannelView> { return this.#noChannel(name) }
  async updateChannel (channel: string): Promise<ChannelView> { return this.#noChannel(channel) }
  async inviteToChannel (channel: string): Promise<ChannelView> { return this.#noChannel(channel) }
  async removeFromChannel (channel: string): Promise<ChannelView> { return this.#noChannel(channel) }
  async leaveChannel (channel: string): Promise<ChannelView> { return this.#noChannel(channel) }
  async joinChannel (channel: string): Promise<ChannelView> { return this.#noChannel(channel) }
  async channelMessages (channel: string): Promise<ChannelMessageView[]> { return this.#noChannel(channel) }
  async sendToChannel (channel: string): Promise<ChannelMessageView> { return this.#noChannel(channel) }
  async amendChannelMessage (channel: string): Promise<ChannelMessageView> { return this.#noChannel(channel) }
  async markChannelRead (channel: string): Promise<void> { this.#noChannel(channel) }
  async muteChannel (channel: string): Promise<ChannelView> { return this.#noChannel(channel) }

  #noChannel (channel: string): never {
    throw new CausetteError('NOT_FOUND', `no channel ${channel}`)
  }

  async * exportJournal (filter: JournalExportFilter): AsyncIterable<string> {
    if (filter.with !== undefined && filter.with !== BOB.name) throw new CausetteError('UNKNOWN_PEER', `no contact named ${filter.with}`)
    yield 'causette journal export v1'
    for (const message of this.sent) yield JSON.stringify({ id: message.id, redacted: filter.redact === true })
  }
}

function noRequest (peerId: string): never {
  throw new WorkspaceError('ADMISSION_NO_REQUEST', `no desk ${peerId} is waiting to join`)
}
