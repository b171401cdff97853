// My presence as the node holds it (GET/PUT /presence, `presence` events): the node decides what
// is in force (until times, idle away) and what notifies; this store shows it and sends choices.
// It also tells the node the user is active, at most once a minute, so away-by-idle is right.
import type { ChannelView, MuteRequest, PeerPresence, PeerView, PresenceStatus, PresenceUpdate, PresenceView } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'

export const STATUSES = ['available', 'focus', 'away', 'offline'] as const satisfies readonly PresenceStatus[]

export const STATUS_LABELS: Record<PresenceStatus, string> = {
  available: 'Available',
  focus: 'Focus',
  away: 'Away',
  offline: 'Offline'
}

/** A colleague's status in one conversation (a channel's): their exception for it, else their general status. */
export function statusIn (presence: PeerPresence, conversation: string): PresenceStatus {
  return presence.exceptions?.find(e => e.conversation === conversation)?.status ?? presence.general ?? presence.status
}

/** A channel or a person an exception may name: `with` is what PresenceUpdate takes (a conversation id or a PeerId). */
export interface ExceptionTarget { with: string, name: string }
export interface ExceptionDraft extends ExceptionTarget { status: PresenceStatus }

/** The channels we are in (by "#name") and the people we know, as exception targets. */
export function exceptionTargets (channels: ChannelView[], people: PeerView[]): ExceptionTarget[] {
  return [
    ...channels.filter(c => c.member && !c.archived).map(c => ({ with: c.conversation, name: `#${c.name}` })),
    ...people.map(p => ({ with: p.peerId, name: p.name }))
  ]
}

/** The exceptions in force, as the picker edits them (their conversation ids name them). */
export function exceptionDrafts (view: PresenceView): ExceptionDraft[] {
  return view.exceptions.map(e => ({ with: e.conversation, name: e.name, status: e.status }))
}

const ACTIVITY_EVERY_MS = 60_000
const INITIAL: PresenceView = { status: 'available', chosen: 'available', auto: false, text: '', until: null, exceptions: [], muted: [], held: 0 }

export class Presence {
  #view = $state<PresenceView>(INITIAL)
  #api: ApiClient
  #lastReport = 0

  constructor (api: ApiClient) {
    this.#api = api
  }

  /** Reports the user's input to the node while the app runs; returns the way to stop. */
  watchActivity (): () => void {
    const onInput = (): void => { this.#active() }
    for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, onInput, { passive: true })
    return () => { for (const type of ['pointerdown', 'keydown']) document.removeEventListener(type, onInput) }
  }

  get view (): PresenceView { return this.#view }
  get status (): PresenceStatus { return this.#view.status }

  async load (): Promise<void> {
    this.#view = await this.#api.presence()
  }

  apply (view: PresenceView): void {
    this.#view = view
  }

  async set (update: PresenceUpdate): Promise<void> {
    this.#view = await this.#api.setPresence(update)
  }

  async mute (request: MuteRequest): Promise<void> {
    this.#view = await this.#api.mute(request)
  }

  isMuted (conversation: string | undefined): boolean {
    return conversation !== undefined && this.#view.muted.some(m => m.conversation === conversation)
  }

  #active (): void {
    const now = Date.now()
    if (now - this.#lastReport < ACTIVITY_EVERY_MS && !this.#view.auto) return
    this.#lastReport = now
    void this.#api.reportActivity().catch(() => {})
  }
}
