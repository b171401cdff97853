// Presence as one service for the node: this user's presence (chosen, expiring, idle), the
// presence of peers (received, checked, kept in memory), the notification decision (notify, hold,
// digest, digests kept until dismissed). It signs what it sends, one presence per recipient:
// exceptions go only to members of the conversations they name. Delivery asks it whether a peer is
// in focus for a conversation (`focusUntil`) to mark our messages that arrived silently.
import type { ChannelMessageView, ClockView, DigestView, MessageView, MuteRequest, NodeEvent, PeerPresence, PresenceUpdate, PresenceView, SettingsUpdate, SettingsView } from '../api/schema.js'
import type { Signer } from '../../crypto/signing.js'
import { CausetteError } from '../errors.js'
import type { Settings } from '../profile/settings.js'
import type { PresenceError } from './errors.js'
import type { GateStore } from './gate-store.js'
import { CLOCK_JUMP_MS, CLOCK_SKEW_SHOWN_MS, MAX_PRESENCE_EXCEPTIONS, MAX_PRESENCE_TEXT_LENGTH } from './limits.js'
import { ClockSkew } from './clock-skew.js'
import type { ChannelDirectory } from './channel-directory.js'
import { LocalPresence, type PresenceChoice } from './local-presence.js'
import { NotificationGate, type IncomingMessage } from './notification-gate.js'
import { PeerPresences } from './peer-presences.js'
import { loadPresence, savePresence } from './presence-file.js'
import { isValidPresenceText, signPresence, type PhotoRef, type SignedPresence } from './signed-presence.js'
import type { SignedPresenceBytes } from './protocol.js'

/**
 * A timer counts the time this process ran: a desk asleep (a laptop's lid closed) or a clock set
 * forward does not bring it nearer. The clock is read again at least this often, so a focus, a mute
 * or an idle time whose end it passed ends within this.
 */
const LOOK_AGAIN_MS = 15_000

/** The conversations of this node, as presence needs them: 1:1 ones and channels. */
export interface PresenceConversations {
  /** A conversation id from a PeerId, a display name or a conversation id; throws UNKNOWN_PEER. */
  resolve: (target: string) => { conversation: string, name: string }
  name: (conversation: string) => string
  /** The conversations `peer` is a member of with us: who may see our exceptions for them. */
  sharedWith: (peer: string) => string[]
}

export interface PresenceServiceComponents {
  home: string
  /** Our PeerId: a message mentioning it notifies through a mute. */
  me: string
  deviceKey: Uint8Array
  sign: Signer
  now?: () => number
  idleMs: number
  conversations: PresenceConversations
  /** The node's channels, when it has any: their messages are gated too, and their own mutes hold. */
  channels?: ChannelDirectory
  /** Connected members to tell about a change, and the way to tell one. */
  connectedPeers: () => string[]
  isConnected: (peer: string) => boolean
  push: (peer: string, signed: SignedPresenceBytes) => Promise<void>
  emit: (event: NodeEvent) => void
  /** A peer's presence changed: show the peer again. */
  peerChanged: (peer: string) => void
  /** Our photo as `peer` is told of it (null: none, or a peer too old to read a photo line). */
  photo?: (peer: string) => PhotoRef | null
  /** A peer's checked presence named this photo (null: none): fetch it, or forget theirs. */
  photoAnnounced?: (peer: string, photo: PhotoRef | null) => void
  /** Our clock against our colleagues' changed noticeably (turned wrong or right, or moved): show the status again. */
  clockChanged?: () => void
  settings: { get: () => Settings, change: (update: Partial<Settings>) => Promise<void> }
  /** Where held notifications and undismissed digests are kept (the profile's database). */
  gateStore: GateStore
  log: (format: string, ...args: unknown[]) => void
}

export class PresenceService {
  readonly #local: LocalPresence
  readonly #peers: PeerPresences
  readonly #clock: ClockSkew
  #clockShown: ClockView
  readonly #gate: NotificationGate
  readonly #now: () => number
  #lastIssued = 0
  #shown: string
  #timer: NodeJS.Timeout | undefined
  #stopped = false
  /** The channels are known (their own mutes hold too): until then nothing held is released. */
  #resumed = false
  /** presence.json is behind what is in force (a save the disk refused). */
  #unsaved = false

  private constructor (private readonly components: PresenceServiceComponents, local: LocalPresence, gate: NotificationGate) {
    this.#now = components.now ?? Date.now
    this.#local = local
    this.#peers = new PeerPresences(this.#now)
    this.#clock = new ClockSkew(this.#now)
    this.#clockShown = this.#clock.view()
    this.#gate = gate
    this.#shown = this.#fingerprint()
    this.#schedule()
  }

  static async open (components: PresenceServiceComponents): Promise<PresenceService> {
    const now = components.now ?? Date.now
    const local = new LocalPresence({ now, idleMs: components.idleMs, ...(await loadPresence(components.home) ?? {}) })
    const gate = await NotificationGate.open({
      holds: conversation => local.holds(conversation) || components.channels?.isMuted(conversation) === true,
      focused: conversation => local.statusFor(conversation) === 'focus',
      me: components.me,
      digest: (digest: DigestView) => { components.emit({ type: 'digest', digest }) },
      store: components.gateStore,
      now
    })
    return new PresenceService(components, local, gate)
  }

  /**
   * The node's channels are known: from now on a hold that ended releases its digest, starting with
   * a focus or mute that ended while the daemon was stopped.
   */
  async resume (): Promise<void> {
    this.#resumed = true
    await this.#changed(false)
  }

  // --- the local API ---

  view (): PresenceView {
    const e = this.#local.effective()
    const name = this.components.conversations.name
    return {
      status: e.status,
      chosen: e.auto ? 'available' : e.status,
      auto: e.auto,
      text: e.text,
      until: e.until,
      exceptions: e.exceptions.map(x => ({ ...x, name: name(x.conversation) })),
      muted: this.#local.mutes().map(m => ({ ...m, name: name(m.conversation) })),
      held: this.#gate.held
    }
  }

  async set (update: PresenceUpdate): Promise<PresenceView> {
    const text = (update.text ?? '').trim()
    if (!isValidPresenceText(text)) throw new CausetteError('BAD_REQUEST', `a status text is one line of at most ${MAX_PRESENCE_TEXT_LENGTH} characters`)
    if ((update.exceptions ?? []).length > MAX_PRESENCE_EXCEPTIONS) throw new CausetteError('BAD_REQUEST', `at most ${MAX_PRESENCE_EXCEPTIONS} exceptions`)
    const exceptions = new Map<string, PresenceChoice['exceptions'][number]>()
    for (const e of update.exceptions ?? []) {
      const { conversation } = this.components.conversations.resolve(e.with)
      exceptions.set(conversation, { conversation, status: e.status })
    }
    this.#local.set({ status: update.status, text, until: this.#until(update), exceptions: [...exceptions.values()] })
    await this.#changed(true)
    return this.view()
  }

  async mute (request: MuteRequest): Promise<PresenceView> {
    const { conversation } = this.components.conversations.resolve(request.with)
    if (request.muted) this.#local.mute(conversation, this.#until(request))
    else this.#local.unmute(conversation)
    await this.#changed(true)
    return this.view()
  }

  /** The user is at the keyboard (the UI saw input, or they sent a message). */
  async activity (): Promise<void> {
    this.#local.activity()
    await this.#changed(false)
  }

  settings (): SettingsView {
    const { readReceipts, notificationSound, fileLimitBytes } = this.components.settings.get()
    return { readReceipts, notificationSound, fileLimitBytes }
  }

  async updateSettings (update: SettingsUpdate): Promise<SettingsView> {
    await this.components.settings.change(update)
    return this.settings()
  }

  /** The digests not dismissed yet, oldest first: what a client that was closed missed. */
  digests (): DigestView[] {
    return this.#gate.digests
  }

  dismissDigest (id: string): void {
    this.#gate.dismiss(id)
  }

  // --- peers ---

  /** How `peer` appears to us in `conversation` (our 1:1 conversation by default). */
  peerPresence (peer: string, conversation?: string): PeerPresence {
    return this.#peers.view(peer, this.components.isConnected(peer), conversation ?? this.components.conversations.sharedWith(peer)[0])
  }

  /**
   * Whether `peer` is in focus for `conversation` as we know it (their exception for it applies):
   * their focus's end (null: no end), or undefined when they are not in focus there. Delivery asks
   * when one of our messages reaches them: in focus, it arrived silently.
   */
  focusUntil (peer: string, conversation: string): number | null | undefined {
    const presence = this.#peers.view(peer, true, conversation)
    return presence.status === 'focus' ? presence.until : undefined
  }

  /**
   * A checked presence from the peer itself (the protocol verified the signature and the device),
   * arrived on `connection`: freshly signed, its issued time tells how far the peer's clock is from ours.
   */
  accept (peer: string, presence: SignedPresence, connection: string): void {
    this.#peers.accept(peer, presence, connection)
    this.#clock.record(peer, presence.issued)
    this.components.photoAnnounced?.(peer, presence.photo)
    this.components.peerChanged(peer)
    const clock = this.#clock.view()
    if (clockMoved(this.#clockShown, clock)) {
      this.#clockShown = clock
      this.components.clockChanged?.()
    }
  }

  /** Our clock against our colleagues' (status, API, the app's banner). */
  clock (): ClockView {
    return this.#clock.view()
  }

  /** How far `peer`'s clock is from our colleagues', when far enough to show (People); else undefined. */
  peerClockOffset (peer: string): number | undefined {
    return this.#clock.peerOffset(peer)
  }

  refused (peer: string, error: PresenceError): void {
    this.components.log('refused a presence from %s: %s %s', peer, error.code, error.message)
  }

  /**
   * Our presence for one recipient, freshly signed. Issued times never repeat and only grow, so that
   * a receiver can order them, unless our clock was set back by more than CLOCK_JUMP_MS: then the
   * truth (receivers accept it, seeing the clock go back).
   */
  signedFor (peer: string): SignedPresenceBytes {
    const e = this.#local.effective()
    const shared = new Set(this.components.conversations.sharedWith(peer))
    const now = this.#now()
    this.#lastIssued = now < this.#lastIssued - CLOCK_JUMP_MS ? now : Math.max(now, this.#lastIssued + 1)
    return signPresence(this.components.sign, {
      device: this.components.deviceKey,
      status: e.status,
      text: e.text,
      until: e.until,
      issued: this.#lastIssued,
      exceptions: e.exceptions.filter(x => shared.has(x.conversation)),
      photo: this.components.photo?.(peer) ?? null
    })
  }

  // --- what the node reports ---

  /** Every node event passes here: new messages, deliveries, channel changes. */
  observe (event: NodeEvent): void {
    if (event.type === 'message') this.#message(event.message)
    else if (event.type === 'channel-message') this.#channelMessage(event.message)
    else if (event.type === 'conversation' && event.conversation.unread === 0) this.#gate.seen(event.conversation.id)
    else if (event.type === 'channel') {
      if (event.channel.unread === 0) this.#gate.seen(event.channel.conversation)
      // Channel events come with every channel message: only a mute that changed may release a hold.
      if (this.components.channels?.update(event.channel) !== true) return
      void this.#changed(false).catch(error => { this.components.log('presence: %e', error) })
    }
  }

  /** Our photo changed (set, replaced or removed): every connected colleague hears of it now. */
  photoChanged (): void {
    if (!this.#stopped) this.#pushAll()
  }

  /** `peer` turned out to read photo lines (identify named the photo protocol): our presence again, with our photo. */
  tellPeer (peer: string): void {
    if (this.#stopped) return
    void this.components.push(peer, this.signedFor(peer)).catch(error => { this.components.log('could not tell %s our presence: %e', peer, error) })
  }

  stop (): void {
    this.#stopped = true
    clearTimeout(this.#timer)
  }

  #message (message: MessageView): void {
    if (message.direction === 'in') {
      this.#incoming(message, () => { this.components.emit({ type: 'notification', message }) })
      return
    }
    void this.activity().catch(error => { this.components.log('presence: %e', error) })
  }

  #channelMessage (message: ChannelMessageView): void {
    const conversation = this.components.channels?.conversationOf(message.channel)
    if (message.direction !== 'in' || conversation === undefined) {
      if (message.direction === 'out') void this.activity().catch(error => { this.components.log('presence: %e', error) })
      return
    }
    this.#incoming({ ...message, conversation }, () => { this.components.emit({ type: 'channel-notification', message }) })
  }

  #incoming (message: IncomingMessage, notify: () => void): void {
    // The held count is part of our presence view: the UI shows it at once.
    if (this.#gate.incoming(message, notify) === 'held') this.components.emit({ type: 'presence', presence: this.view() })
  }

  #until ({ until, forMinutes }: { until?: number | null | undefined, forMinutes?: number | undefined }): number | null {
    const now = this.#now()
    const end = forMinutes !== undefined ? now + forMinutes * 60_000 : until ?? null
    if (end !== null && end <= now) throw new CausetteError('BAD_REQUEST', 'until is in the past')
    return end
  }

  #fingerprint (): string {
    return JSON.stringify([this.#local.effective(), this.#local.mutes()])
  }

  /**
   * After a choice, activity or a timer: save, tell the UI and the peers, release what waits. A save
   * the disk refused stops none of the rest (a focus that ends still ends, a focus chosen is in force
   * until the node stops); it is logged and tried again with the next change.
   */
  async #changed (chosen: boolean): Promise<void> {
    if (this.#stopped) return
    const expired = this.#local.expire()
    if (chosen || expired) this.#unsaved = true
    const saveFailure = this.#unsaved ? await this.#save() : undefined
    const shown = this.#fingerprint()
    const differs = shown !== this.#shown
    this.#shown = shown
    if (this.#resumed) this.#gate.release()
    if (differs || chosen) {
      this.components.emit({ type: 'presence', presence: this.view() })
      this.#pushAll()
    }
    this.#schedule()
    if (saveFailure !== undefined) this.components.log('presence: not saved, in force until the node stops: %e', saveFailure)
  }

  /** Saves the presence in force; the error if the disk refused it (it stays to save). */
  async #save (): Promise<unknown> {
    try {
      await savePresence(this.components.home, { choice: this.#local.choice, mutes: this.#local.mutes() })
      this.#unsaved = false
      return undefined
    } catch (error) {
      return error
    }
  }

  #pushAll (): void {
    for (const peer of this.components.connectedPeers()) {
      void this.components.push(peer, this.signedFor(peer)).catch(error => { this.components.log('could not tell %s our presence: %e', peer, error) })
    }
  }

  #schedule (): void {
    clearTimeout(this.#timer)
    const next = [this.#local.nextChange(), this.components.channels?.nextUnmute()].reduce<number | undefined>((a, b) => a === undefined ? b : b === undefined ? a : Math.min(a, b), undefined)
    if (next === undefined || this.#stopped) return
    this.#timer = setTimeout(() => {
      void this.#changed(false).catch(error => { this.components.log('presence: %e', error) })
    }, Math.min(LOOK_AGAIN_MS, next - this.#now() + 1))
    this.#timer.unref()
  }
}


function clockMoved (shown: ClockView, now: ClockView): boolean {
  if (shown.wrong !== now.wrong || (shown.offsetMs === null) !== (now.offsetMs === null)) return true
  return Math.abs((now.offsetMs ?? 0) - (shown.offsetMs ?? 0)) > CLOCK_SKEW_SHOWN_MS
}
