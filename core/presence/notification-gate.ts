// Decides, on the node, what interrupts the user: each incoming message yields one notification,
// unless its conversation is held (focus for it, or muted); held messages are stored and journaled
// as always and summarised in one digest when the hold ends. A message marked urgent always
// notifies at once.
import type { DigestView } from '../api/schema.js'
import { MAX_HELD_NOTIFICATIONS } from './limits.js'

/** What the gate needs of a new message, 1:1 or in a channel (its conversation id). */
export interface IncomingMessage {
  id: string
  conversation: string
  direction: 'in' | 'out'
  author: string
  authorName: string
  time: number
  urgent?: string | undefined
}

interface Held { id: string, conversation: string, peer: string, name: string, time: number }

export interface NotificationGateComponents {
  holds: (conversation: string) => boolean
  digest: (digest: DigestView) => void
}

export class NotificationGate {
  #held: Held[] = []

  constructor (private readonly c: NotificationGateComponents) {}

  get held (): number { return this.#held.length }

  /** A message that has just been stored: notified, held for a digest, or ours (ignored). */
  incoming (message: IncomingMessage, notify: () => void): 'notified' | 'held' | 'ignored' {
    if (message.direction !== 'in') return 'ignored'
    if (message.urgent === undefined && this.c.holds(message.conversation)) {
      this.#held.push({ id: message.id, conversation: message.conversation, peer: message.author, name: message.authorName, time: message.time })
      if (this.#held.length > MAX_HELD_NOTIFICATIONS) this.#held.shift()
      return 'held'
    }
    notify()
    return 'notified'
  }

  /** Called whenever a hold may have ended: what no longer waits goes out as one digest. */
  release (): void {
    const released = this.#held.filter(h => !this.c.holds(h.conversation))
    if (released.length === 0) return
    this.#held = this.#held.filter(h => this.c.holds(h.conversation))
    this.c.digest(summarise(released))
  }
}

function summarise (held: Held[]): DigestView {
  const byAuthor = new Map<string, DigestView['from'][number]>()
  for (const h of held) {
    const key = `${h.peer} ${h.conversation}`
    const entry = byAuthor.get(key) ?? { peer: h.peer, name: h.name, conversation: h.conversation, count: 0, messages: [] }
    entry.count++
    entry.messages.push(h.id)
    byAuthor.set(key, entry)
  }
  return { total: held.length, since: Math.min(...held.map(h => h.time)), from: [...byAuthor.values()] }
}
