// The app's state, wired together: the API client, the event stream, and the stores each event
// updates. Components read from here and call its methods; nothing else talks to the daemon.
import type { AttachmentView, LockedStatus, MessageView, NodeEvent, NodeStatus, PeerView, SearchHit, SettingsView } from '../../../core/api/schema.js'
import { ApiClient, type SendOptions } from '../api/client.js'
import { ApiRequestError } from '../api/request-error.js'
import { EventSocket } from '../api/event-socket.svelte.js'
import { Channels } from './channels.svelte.js'
import { Chat } from './chat.svelte.js'
import { Conversations } from './conversations.svelte.js'
import { Digests } from './digests.svelte.js'
import { Drafts } from './drafts.svelte.js'
import { AttachedFiles } from '../files/outgoing-files.svelte.js'
import { ReceivedFiles } from '../files/received-files.js'
import { Notifier } from './notifier.svelte.js'
import { OwnPhoto } from './photo.svelte.js'
import { PeerPhotos } from './peer-photos.svelte.js'
import { PermissionPrompt } from '../notifications/permission-prompt.svelte.js'
import { inviterAccepted } from '../join/join-reach.svelte.js'
import { People } from './people.svelte.js'
import { Presence } from './presence.svelte.js'
import type { Router } from './router.svelte.js'
import { foundMessageRoute, routeHref } from './routes.js'
import { Search } from './search.svelte.js'
import { Updates } from '../update/updates.svelte.js'
import { AdmissionState } from '../workspace/admission.svelte.js'

/** Marks, once, the moment the first data from the daemon is on screen (read by bench/ui.ts). */
function markInteractive (): void {
  if (performance.getEntriesByName(INTERACTIVE_MARK).length > 0) return
  requestAnimationFrame(() => { performance.mark(INTERACTIVE_MARK) })
}

export const INTERACTIVE_MARK = 'causette:interactive'
const READ_DELAY_MS = 300

export class AppState {
  readonly api: ApiClient
  readonly events: EventSocket
  readonly people = new People()
  readonly conversations = new Conversations()
  readonly drafts = new Drafts()
  /** The files attached to each draft, uploaded to the node as soon as attached. */
  readonly attachedFiles: AttachedFiles
  /** Received files and images: their pictures, cancel, retry and save. */
  readonly receivedFiles: ReceivedFiles
  readonly digests: Digests
  readonly presence: Presence
  readonly router: Router
  readonly notifier: Notifier
  readonly photo: OwnPhoto
  /** Colleagues' photos, loaded as they are shown. */
  readonly peerPhotos: PeerPhotos
  readonly notificationPrompt: PermissionPrompt
  readonly search: Search
  readonly channels: Channels
  readonly updates: Updates
  readonly admission: AdmissionState
  #me = $state<NodeStatus>()
  /** The node waits for its profile's passphrase (started with nobody at a terminal); its profile, once its status said it. */
  #locked = $state<{ profile: string | null, name: string | null }>()
  #settings = $state<SettingsView>({ readReceipts: true, notificationSound: true, fileLimitBytes: 5 * 1024 ** 3 })
  #chat = $state<Chat>()
  #loadError = $state<string>()
  #readTimer: ReturnType<typeof setTimeout> | undefined
  #stopWatching = (): void => {}

  constructor (token: string, router: Router, onUnauthorized: () => void) {
    this.router = router
    // A refused write means the storage turned unwritable: the status (and so the banner) says so at once.
    this.api = new ApiClient(token, onUnauthorized, () => { void this.refreshStatus().catch(() => {}) }, status => { this.#lock(status) })
    this.attachedFiles = new AttachedFiles(this.api)
    this.receivedFiles = new ReceivedFiles(this.api, view => { this.#showAttachment(view) })
    this.search = new Search(this.api)
    this.updates = new Updates(this.api)
    this.admission = new AdmissionState(this.api)
    this.digests = new Digests(this.api)
    this.photo = new OwnPhoto(this.api)
    this.peerPhotos = new PeerPhotos(this.api)
    this.presence = new Presence(this.api)
    this.notifier = new Notifier(peerId => { this.router.go({ page: 'chat', peerId }) }, id => { this.router.go({ page: 'channel', id }) }, () => this.#settings.notificationSound)
    this.notificationPrompt = new PermissionPrompt(this.notifier)
    this.channels = new Channels({ api: this.api, seen: conversation => { this.digests.seen(conversation) } })
    this.events = new EventSocket({
      token,
      proof: this.api.proof,
      onEvent: event => { this.#apply(event) },
      onEpochChange: () => { void this.refresh() },
      onOpen: again => { if (again || this.#loadError !== undefined) void this.refresh() },
      // A locked node refuses the stream: its status says so (ApiClient.status reports it to #lock).
      onRefused: () => { void this.api.status().catch(() => {}) }
    })
    document.addEventListener('visibilitychange', () => { void this.markRead(); void this.channels.markRead() })
  }

  get me (): NodeStatus | undefined { return this.#me }
  get locked (): { profile: string | null, name: string | null } | undefined { return this.#locked }
  get settings (): SettingsView { return this.#settings }
  get chat (): Chat | undefined { return this.#chat }

  /** The name a person goes by now: ours, or a colleague's as their last record said; undefined for a stranger. */
  nameNow (peerId: string): string | undefined {
    return peerId === this.#me?.peerId ? this.#me.name : this.people.get(peerId)?.name
  }
  get loadError (): string | undefined { return this.#loadError }

  start (): void {
    this.events.start()
    this.#stopWatching = this.presence.watchActivity()
    void this.refresh()
  }

  /** This app is closed (another token took its place): no more requests with its token. */
  stop (): void {
    this.events.stop()
    this.#stopWatching()
  }

  /** The node is locked: no event stream until it is unlocked; its status names the profile. */
  #lock (status?: LockedStatus): void {
    const known = this.#locked
    this.#locked = status !== undefined ? { profile: status.profile, name: status.name } : known ?? { profile: null, name: null }
    this.events.stop()
    if (status === undefined && known === undefined) void this.api.status().catch(() => {})
  }

  /** Types the passphrase: on success the node starts and this app carries on, in this tab. */
  async unlock (passphrase: string): Promise<void> {
    await this.api.unlock(passphrase)
    this.#locked = undefined
    this.events.start()
    await this.refresh()
  }

  async refresh (): Promise<void> {
    try {
      const [me, peers, conversations, settings] = await Promise.all([this.api.status(), this.api.peers(), this.api.conversations(), this.api.settings(), this.presence.load(), this.digests.load()])
      this.#me = me
      this.#settings = settings
      this.people.replaceAll(peers)
      this.conversations.replaceAll(conversations)
      this.#loadError = undefined
      await Promise.all([this.#chat?.reload(), this.channels.load(), this.#loadAdmission()])
      markInteractive()
    } catch (error) {
      this.#loadError = error instanceof ApiRequestError && error.code !== 'NODE_NOT_RUNNING' ? error.message : 'the node does not answer'
    }
  }

  /** Re-reads the status alone, after a change the event stream does not carry (a workspace created or joined). */
  async refreshStatus (): Promise<void> {
    this.#me = await this.api.status()
  }

  /**
   * Shows the conversation with `peerId` (or none), at `message` when the route names one (a search
   * result's address). Called when the route changes.
   */
  async open (peerId: string | undefined, message?: string): Promise<void> {
    if (peerId !== undefined && message !== undefined) {
      await this.#openAt(peerId, message)
      return
    }
    if (this.#chat?.peerId === peerId) return
    this.#chat = peerId === undefined ? undefined : new Chat(this.api, peerId)
    if (peerId !== undefined) this.digests.seen(this.conversations.byPeer(peerId)?.id)
    await this.#chat?.loadLatest()
    await this.markRead()
  }

  /** The conversation around `message`, scrolled to it and highlighted; the latest messages if it is not found. */
  async #openAt (peerId: string, message: string): Promise<void> {
    const chat = this.#chat?.peerId === peerId ? this.#chat : new Chat(this.api, peerId)
    this.#chat = chat
    this.digests.seen(this.conversations.byPeer(peerId)?.id)
    await chat.reveal(message)
    if (chat.found === undefined) await chat.loadLatest()
    await this.markRead()
  }

  /**
   * Opens a search result through its address (#/chat/<peer>/message/<id>, or a channel's), which
   * the route's change opens; the same result opened again is opened at once (no change of address).
   */
  async reveal (hit: SearchHit): Promise<void> {
    const route = foundMessageRoute(hit)
    // A found reply's address also names its open thread: the same result still.
    const current = this.router.route
    const shown = current.page === 'channel' ? { ...current, thread: undefined } : current
    if (routeHref(shown) !== routeHref(route)) {
      this.router.go(route)
      return
    }
    if (hit.kind === 'channel') await this.channels.reveal(hit.conversation, hit.id)
    else await this.#openAt(hit.conversation, hit.id)
  }

  async markRead (): Promise<void> {
    const chat = this.#chat
    if (chat === undefined || document.visibilityState !== 'visible') return
    const conversation = this.conversations.byPeer(chat.peerId)
    if (conversation === undefined || conversation.unread === 0) return
    this.conversations.markRead(conversation.id)
    await this.api.markRead(conversation.id)
  }

  /** `urgent`: the reason this message may break through the recipient's focus; `attachments`: files staged for it. */
  async send (peerId: string, text: string, options: SendOptions = {}): Promise<void> {
    const message = await this.api.send(peerId, text, options)
    this.#addMessage(message)
  }

  /** Edits one of our messages in the open conversation. */
  async editMessage (id: string, text: string): Promise<void> {
    this.#amend(await this.api.editMessage(id, text))
  }

  async deleteMessage (id: string): Promise<void> {
    this.#amend(await this.api.deleteMessage(id))
  }

  /** Reacts to a message of the open conversation, or takes our reaction back (`removed`). */
  async react (id: string, emoji: string, removed = false): Promise<void> {
    this.#amend(await this.api.react(id, emoji, removed))
  }

  #amend (message: MessageView): void {
    this.#chat?.amend(message)
    this.conversations.amend(message)
  }

  async updateSettings (update: Partial<SettingsView>): Promise<void> {
    // The user's choice holds at once: a notification arriving before the node answers follows it.
    const before = this.#settings
    this.#settings = { ...before, ...update }
    try {
      this.#settings = await this.api.updateSettings(update)
    } catch (error) {
      this.#settings = before
      throw error
    }
  }

  /** Throws the node's reason (DESK_FAILED: which step failed) for the page to show. */
  async setStartAtLogin (enabled: boolean): Promise<void> {
    const autostart = await this.api.setStartAtLogin(enabled)
    if (this.#me !== undefined) this.#me = { ...this.#me, autostart }
  }

  async rename (name: string): Promise<void> {
    await this.api.setName(name)
    if (this.#me !== undefined) this.#takeStatus({ ...this.#me, name, nameChosen: true })
  }

  /** Our status anew; a new name of ours shows in the channels' member lists at once, as a colleague's does. */
  #takeStatus (status: NodeStatus): void {
    const before = this.#me?.name
    this.#me = status
    if (before !== undefined && before !== status.name) this.channels.rename(status.peerId, status.name)
  }

  #apply (event: NodeEvent): void {
    switch (event.type) {
      case 'message':
        this.#addMessage(event.message)
        break
      case 'message-updated':
        this.#chat?.amend(event.message)
        this.conversations.amend(event.message)
        break
      case 'message-taken-out':
        // A copy of another's message id: dropped where it shows; the real message's own event follows.
        this.#chat?.takeOut(event)
        this.conversations.takeOut(event)
        this.channels.apply(event)
        break
      case 'message-state':
        this.#chat?.setState(event.id, { state: event.state, stateTime: event.stateTime, stateTimes: event.stateTimes, stateReason: event.stateReason, ...(event.silent !== undefined ? { silent: event.silent } : {}) })
        this.conversations.setState(event.conversation, event.id, event.state, event.stateReason)
        break
      case 'conversation':
        this.conversations.readElsewhere(event.conversation)
        break
      case 'peer':
        this.#peerChanged(event.peer)
        break
      case 'status':
        this.#takeStatus(event.status)
        break
      case 'presence':
        this.presence.apply(event.presence)
        break
      case 'notification':
        this.notifier.message(event.message, this.#chat?.peerId === event.message.peer)
        break
      case 'digest':
        this.digests.add(event.digest)
        this.notifier.digest(event.digest)
        break
      case 'channel-notification':
        this.notifier.channelMessage(event.message, this.channels.get(event.message.channel)?.name ?? 'a channel', this.channels.open?.id === event.message.channel)
        break
      case 'channel':
      case 'channel-message':
      case 'channel-message-updated':
      case 'channel-message-state':
        this.channels.apply(event)
        break
      case 'join-reach':
        inviterAccepted(event.address)
        break
      case 'update':
        this.updates.set(event.update)
        break
      case 'attachment':
        this.#showAttachment(event.attachment)
        break
      case 'admission':
        if (this.admission.set(event.admission)) void this.refreshStatus()
        break
    }
  }

  /** An attachment as the node now has it (an event, or the answer to cancel or retry), in every message on screen that carries it. */
  #showAttachment (view: AttachmentView): void {
    this.#chat?.setAttachment(view)
    this.channels.open?.setAttachment(view)
  }

  /** Joining over the network, read again after a reconnect (events may have been missed); never fails the refresh. */
  async #loadAdmission (): Promise<void> {
    if (await this.admission.load().catch(() => false)) await this.refreshStatus()
  }

  /** A colleague's view changed (presence, photo, name): a new name replaces the old wherever it shows, without a reload. */
  #peerChanged (peer: PeerView): void {
    const before = this.people.get(peer.peerId)?.name
    this.people.upsert(peer)
    this.conversations.rename(peer.peerId, peer.name)
    if (before === undefined || before === peer.name) return
    this.#chat?.rename(peer.peerId, peer.name)
    this.channels.rename(peer.peerId, peer.name)
  }

  #addMessage (message: MessageView): void {
    const onScreen = this.#chat?.peerId === message.peer
    this.#chat?.add(message)
    const name = this.people.get(message.peer)?.name ?? message.authorName
    this.conversations.addMessage(message, name, onScreen && document.visibilityState === 'visible')
    if (onScreen && message.direction === 'in') this.#markReadSoon(message.conversation)
  }

  /** One POST /read for a burst of messages arriving on screen. */
  #markReadSoon (conversation: string): void {
    this.#readTimer ??= setTimeout(() => {
      this.#readTimer = undefined
      if (document.visibilityState === 'visible') void this.api.markRead(conversation)
    }, READ_DELAY_MS)
  }
}
