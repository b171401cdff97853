// Decides, on the node, what interrupts the user: each incoming message yields one notification,
// unless its conversation is held (focus for it, or muted); held messages are stored and journaled
// as always and summarised in one digest when the hold ends. A message marked urgent always
// notifies at once; one that mentions us notifies through a mute, not through focus. What is held, and the digests until the user dismisses them, are kept in the
// profile's database (gate-store.ts): a restart of the daemon forgets neither.
import { mentionedPeers } from '../mentions.js'
import { toBase64Url } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { CausetteError } from '../errors.js'
import type { DigestView, GateStore, HeldNotification } from './gate-store.js'
import { nameTagField } from '../names.js'
import { MAX_HELD_NOTIFICATIONS, MAX_PENDING_DIGESTS } from './limits.js'

/** What the gate needs of a new message, 1:1 or in a channel (its conversation id). */
export interface IncomingMessage {
  id: string
  conversation: string
  direction: 'in' | 'out'
  author: string
  authorName: string
  /** Beside the name when another colleague goes by it too (core/names.ts). */
  authorTag?: string | undefined
  /** Its text: a mention of us in it (core/mentions.ts) may break through a mute. */
  text: string
  time: number
  /** When it arrived here (our clock): what a digest's "since" counts from, never the author's clock. */
  arrived?: number | undefined
  urgent?: string | undefined
}

export interface NotificationGateComponents {
  holds: (conversation: string) => boolean
  /** Is the hold of this conversation focus (ours, or for it)? A mention of us does not break through focus. */
  focused: (conversation: string) => boolean
  /** Our PeerId: what a mention of us names. */
  me: string
  /** A hold ended: its digest, already kept until dismissed. */
  digest: (digest: DigestView) => void
  store: GateStore
  now: () => number
}

export class NotificationGate {
  #held: HeldNotification[]
  #digests: DigestView[]

  private constructor (private readonly components: NotificationGateComponents, stored: { held: HeldNotification[], digests: DigestView[] }) {
    this.#held = stored.held
    this.#digests = stored.digests
  }

  static async open (components: NotificationGateComponents): Promise<NotificationGate> {
    return new NotificationGate(components, await components.store.load())
  }

  get held (): number { return this.#held.length }

  /** The digests not dismissed yet, oldest first. */
  get digests (): DigestView[] { return [...this.#digests] }

  /** A message that has just been stored: notified, held for a digest, or ours (ignored). */
  incoming (message: IncomingMessage, notify: () => void): 'notified' | 'held' | 'ignored' {
    if (message.direction !== 'in') return 'ignored'
    if (message.urgent === undefined && this.components.holds(message.conversation) && !this.#mentionBreaksThrough(message)) {
      const held = { id: message.id, conversation: message.conversation, peer: message.author, name: message.authorName, ...nameTagField(message.authorTag), time: message.arrived ?? message.time }
      this.#held.push(held)
      this.components.store.hold(held, this.#held.length > MAX_HELD_NOTIFICATIONS ? this.#held.splice(0, this.#held.length - MAX_HELD_NOTIFICATIONS) : [])
      return 'held'
    }
    notify()
    return 'notified'
  }

  /** A mention of us notifies through a mute, but focus holds it (unless urgent, decided above). */
  #mentionBreaksThrough (message: IncomingMessage): boolean {
    return !this.components.focused(message.conversation) && mentionedPeers(message.text).has(this.components.me)
  }

  /** Called whenever a hold may have ended: what no longer waits goes out as one digest. */
  release (): void {
    const released = this.#held.filter(h => !this.components.holds(h.conversation))
    if (released.length === 0) return
    this.#held = this.#held.filter(h => this.components.holds(h.conversation))
    const digest = summarise(toBase64Url(randomBytes(12)), this.components.now(), released)
    this.#digests.push(digest)
    const forgotten = this.#digests.length > MAX_PENDING_DIGESTS ? this.#digests.splice(0, this.#digests.length - MAX_PENDING_DIGESTS) : []
    this.components.store.release(released, digest, forgotten)
    this.components.digest(digest)
  }

  /** The user dismissed a digest; throws NOT_FOUND for one that is not (or no longer) kept. */
  dismiss (id: string): void {
    const digest = this.#digests.find(d => d.id === id)
    if (digest === undefined) throw new CausetteError('NOT_FOUND', 'no such digest (dismissed already?)')
    this.#digests = this.#digests.filter(d => d !== digest)
    this.components.store.digestChanged(digest, true)
  }

  /** The user read a conversation: its lines leave the digests (a digest left empty goes). */
  seen (conversation: string): void {
    this.#digests = this.#digests.flatMap(digest => {
      const from = digest.from.filter(f => f.conversation !== conversation)
      if (from.length === digest.from.length) return [digest]
      const changed = { ...digest, from, total: from.reduce((sum, f) => sum + f.count, 0) }
      this.components.store.digestChanged(changed, from.length === 0)
      return from.length === 0 ? [] : [changed]
    })
  }
}

function summarise (id: string, time: number, held: HeldNotification[]): DigestView {
  const byAuthor = new Map<string, DigestView['from'][number]>()
  for (const h of held) {
    const key = `${h.peer} ${h.conversation}`
    const entry = byAuthor.get(key) ?? { peer: h.peer, name: h.name, ...nameTagField(h.nameTag), conversation: h.conversation, count: 0, messages: [] }
    entry.count++
    entry.messages.push(h.id)
    byAuthor.set(key, entry)
  }
  return { id, time, total: held.length, since: Math.min(...held.map(h => h.time)), from: [...byAuthor.values()] }
}
