// The open conversation with one person: its messages, oldest first, loaded a page at a time from
// the newest backwards, and kept current by `message` and `message-state` events.
import type { MessageState, MessageView } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'

export const PAGE_SIZE = 200
const BURST_MS = 30

export class Chat {
  readonly peerId: string
  #api: ApiClient
  #messages = $state.raw<MessageView[]>([])
  #loading = $state(false)
  #hasOlder = $state(true)
  #error = $state<string | undefined>()
  #pending: MessageView[] = []
  #flushTimer: ReturnType<typeof setTimeout> | undefined

  constructor (api: ApiClient, peerId: string) {
    this.#api = api
    this.peerId = peerId
  }

  get messages (): MessageView[] { return this.#messages }
  get loading (): boolean { return this.#loading }
  get hasOlder (): boolean { return this.#hasOlder }
  get error (): string | undefined { return this.#error }
  get conversationId (): string | undefined { return this.#messages[0]?.conversation }

  async loadLatest (): Promise<void> {
    const page = await this.#fetch(undefined)
    if (page !== undefined) this.#messages = merge(this.#messages, page)
  }

  async loadOlder (): Promise<void> {
    const oldest = this.#messages[0]
    if (this.#loading || !this.#hasOlder || oldest === undefined) return
    // `before` is a time, exclusive: asking for before oldest+1 ms also returns the messages that
    // share the oldest one's millisecond (known ones are merged away), so none is skipped.
    const page = await this.#fetch(oldest.time + 1)
    if (page === undefined) return
    const count = this.#messages.length
    this.#messages = merge(this.#messages, page)
    if (this.#messages.length === count) this.#hasOlder = false
  }

  /** Adds live messages; a burst (a catch-up after a reconnect) is merged once, not once per message. */
  add (message: MessageView): void {
    if (message.peer !== this.peerId) return
    this.#pending.push(message)
    this.#flushTimer ??= setTimeout(() => { this.#flush() }, BURST_MS)
  }

  setState (id: string, state: MessageState, stateTime: number, stateTimes: MessageView['stateTimes'], stateReason: string | undefined): void {
    this.#flush()
    const index = this.#messages.findLastIndex(message => message.id === id)
    if (index < 0) return
    const next = this.#messages.slice()
    next[index] = { ...next[index], state, stateTime, stateTimes, stateReason }
    this.#messages = next
  }

  #flush (): void {
    clearTimeout(this.#flushTimer)
    this.#flushTimer = undefined
    if (this.#pending.length === 0) return
    this.#messages = merge(this.#messages, this.#pending)
    this.#pending = []
  }

  async #fetch (before: number | undefined): Promise<MessageView[] | undefined> {
    this.#loading = true
    try {
      const page = await this.#api.messages({ with: this.peerId, before, limit: PAGE_SIZE })
      this.#hasOlder = page.length >= PAGE_SIZE
      this.#error = undefined
      return page
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error)
      return undefined
    } finally {
      this.#loading = false
    }
  }
}

/** Of two copies of one message, the one with the later state (a send's answer may arrive after its delivery event). */
export function fresher (a: MessageView, b: MessageView): MessageView {
  return b.stateTime > a.stateTime ? b : a
}

/** Union by id (the fresher copy wins), ordered by time. */
function merge (current: MessageView[], incoming: MessageView[]): MessageView[] {
  if (incoming.length === 0) return current
  const byId = new Map(current.map(message => [message.id, message]))
  const last = current.at(-1)
  const appendOnly = new Set(incoming.map(message => message.id)).size === incoming.length &&
    incoming.every(message => !byId.has(message.id) && (last === undefined || message.time >= last.time))
  if (appendOnly) return current.concat([...incoming].sort(byTime))
  for (const message of incoming) {
    const known = byId.get(message.id)
    byId.set(message.id, known === undefined ? message : fresher(known, message))
  }
  return [...byId.values()].sort(byTime)
}

/** The node's order: time, then id by code units (not localeCompare: ids are case-sensitive base64url). */
function byTime (a: MessageView, b: MessageView): number {
  return a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}
