// A conversation's history as the screens hold it (1:1 or channel): messages oldest first, loaded a
// page at a time from the newest backwards, kept current by live messages (a burst, such as a
// catch-up after a reconnect, is merged once, not once per message).
import { byTime, orderOf, type Timed } from './conversation-order.js'

/**
 * The page a history asks its node for, oldest first, in whole milliseconds (more than `limit` to
 * finish the last one): the newest `limit` messages that arrived before `before` (Unix ms, exclusive;
 * none: the newest), a page centred on message `around` (a search result), or the oldest `limit`
 * after `after` (how a jump far back is followed towards the present).
 */
export type PageQuery = { limit: number } & ({ before?: number } | { around: string } | { after: number })

export interface HistoryOptions<T extends Timed> {
  page: (query: PageQuery) => Promise<T[]>
  /** Of two copies of one message, the one to keep (default: the later one to arrive). */
  fresher?: (known: T, next: T) => T
  pageSize?: number
}

export const PAGE_SIZE = 200
const BURST_MS = 30

export class History<T extends Timed> {
  #options: HistoryOptions<T>
  #pageSize: number
  #messages = $state.raw<T[]>([])
  /** The oldest message of the pages loaded: from it on the history is whole (a thread fetched alone may be older). */
  #oldest = $state.raw<T | undefined>()
  #loading = $state(false)
  #hasOlder = $state(true)
  /** After a jump to an old message: newer messages than those held exist at the node (live ones wait for them). */
  #hasNewer = $state(false)
  /** The newest page came once: later ones (after a reconnect) join it. */
  #loaded = false
  /** The message jumped to (a search result, an address naming it), until the pages reach the present again. */
  #at: string | undefined
  #error = $state<string | undefined>()
  #pending: T[] = []
  #waiting: T[] = []
  #flushTimer: ReturnType<typeof setTimeout> | undefined

  constructor (options: HistoryOptions<T>) {
    this.#options = options
    this.#pageSize = options.pageSize ?? PAGE_SIZE
  }

  get messages (): T[] { return this.#messages }
  get loading (): boolean { return this.#loading }
  /** Older messages than the loaded pages may exist at the node. */
  get hasOlder (): boolean { return this.#hasOlder }
  /** Newer messages than those held exist at the node (after a jump far back). */
  get hasNewer (): boolean { return this.#hasNewer }
  get error (): string | undefined { return this.#error }
  /** Where a reload shows the history (`at`): around the message jumped to, while the pages have not come back to the present. */
  get at (): string | undefined { return this.#at }

  /** Whether `message` lies in the whole part of the history (not before the oldest page loaded). */
  covers (message: T): boolean {
    return !this.#hasOlder || (this.#oldest !== undefined && byTime(message, this.#oldest) >= 0)
  }

  /** The newest page; again after a reconnect, when it may not reach what is held (a gap): then it starts over from it. */
  async loadLatest (): Promise<void> {
    const page = await this.#fetch(async () => await this.#options.page({ limit: this.#pageSize }))
    if (page === undefined) return
    this.#flush()
    const newest = this.#messages.at(-1)
    const gap = page.length >= this.#pageSize && newest !== undefined && byTime(page[0], newest) > 0
    if (!this.#loaded || gap || this.#hasNewer) {
      this.#messages = gap || this.#hasNewer ? page : merge(this.#messages, page, this.#options.fresher)
      this.#hasNewer = false
      this.#at = undefined
      this.#waiting = []
      this.#oldest = page[0]
      this.#hasOlder = page.length >= this.#pageSize
      this.#loaded = true
    } else {
      this.#messages = merge(this.#messages, page, this.#options.fresher)
    }
  }

  /** The page before the oldest loaded; returns whether it brought messages not held before. */
  async loadOlder (): Promise<boolean> {
    const oldest = this.#oldest
    if (this.#loading || !this.#hasOlder || oldest === undefined) return false
    // The node's pages hold whole milliseconds (core/store/conversation-page.ts): every message that
    // arrived in the oldest one's millisecond is held, so the next page starts just before it.
    const page = await this.#fetch(async () => await this.#options.page({ before: orderOf(oldest), limit: this.#pageSize }))
    if (page === undefined) return false
    this.#flush()
    const count = this.#messages.length
    this.#messages = merge(this.#messages, page, this.#options.fresher)
    if (page[0] !== undefined) this.#oldest = page[0]
    if (page.length < this.#pageSize) this.#hasOlder = false
    return this.#messages.length > count
  }

  /**
   * Shows the page around message `id` in place of what is held (a search result far back): the
   * history is then whole from it backwards as before, and followed towards the present by `loadNewer`.
   */
  async jumpTo (id: string): Promise<boolean> {
    // Set before the wait: a reload asked for meanwhile (the app connecting) shows the same place.
    this.#at = id
    const page = await this.#fetch(async () => await this.#options.page({ around: id, limit: this.#pageSize }))
    if (page === undefined || !page.some(message => message.id === id)) {
      if (this.#at === id) this.#at = undefined
      return false
    }
    this.#flush()
    this.#pending = []
    this.#waiting = []
    this.#messages = page
    this.#oldest = page[0]
    this.#hasOlder = true
    this.#hasNewer = true
    this.#loaded = true
    return true
  }

  /**
   * After a jump: the next page towards the present; once one comes short, the history reaches the
   * present again. Returns whether it moved (a page came), so that a view still short of a screen asks again.
   */
  async loadNewer (): Promise<boolean> {
    const newest = this.#messages.at(-1)
    if (this.#loading || !this.#hasNewer || newest === undefined) return false
    const page = await this.#fetch(async () => await this.#options.page({ after: orderOf(newest), limit: this.#pageSize }))
    if (page === undefined) return false
    this.#messages = merge(this.#messages, page, this.#options.fresher)
    if (page.length < this.#pageSize) {
      this.#hasNewer = false
      this.#at = undefined
      this.#messages = merge(this.#messages, this.#waiting, this.#options.fresher)
      this.#waiting = []
    }
    return true
  }

  /** Loads messages from outside the pages (a thread fetched whole): held, but not part of the whole history if older. */
  async include (load: () => Promise<T[]>): Promise<void> {
    const messages = await this.#fetch(load)
    if (messages === undefined) return
    this.#flush()
    this.#messages = merge(this.#messages, messages, this.#options.fresher)
  }

  /** A live message (an event, or a send's answer). */
  /** Whether message `id` came live and waits to be shown (a burst being gathered, or newer than a jump far back). */
  arrived (id: string): boolean {
    return this.#pending.some(message => message.id === id) || this.#waiting.some(message => message.id === id)
  }

  add (message: T): void {
    // After a jump, a live message waits until the pages reach the present (no gap shown before it).
    if (this.#hasNewer) this.#waiting.push(message)
    else this.#pending.push(message)
    this.#flushTimer ??= setTimeout(() => { this.#flush() }, BURST_MS)
  }

  /** Changes one held message (its delivery state moved). */
  update (id: string, change: (message: T) => T): void {
    this.#flush()
    const index = this.#messages.findLastIndex(message => message.id === id)
    if (index < 0) return
    const next = this.#messages.slice()
    next[index] = change(next[index])
    this.#messages = next
  }

  /** Drops the held messages `match` picks (a copier's message whose id its true author took over). */
  remove (match: (message: T) => boolean): void {
    this.#flush()
    this.#waiting = this.#waiting.filter(message => !match(message))
    if (this.#messages.some(match)) this.#messages = this.#messages.filter(message => !match(message))
  }

  /** Changes every held message that `change` gives anew (the same object: left as it is). */
  updateEach (change: (message: T) => T): void {
    this.#flush()
    let changed = false
    const next = this.#messages.map(message => {
      const after = change(message)
      changed ||= after !== message
      return after
    })
    if (changed) this.#messages = next
  }

  #flush (): void {
    clearTimeout(this.#flushTimer)
    this.#flushTimer = undefined
    if (this.#pending.length === 0) return
    this.#messages = merge(this.#messages, this.#pending, this.#options.fresher)
    this.#pending = []
  }

  async #fetch (load: () => Promise<T[]>): Promise<T[] | undefined> {
    this.#loading = true
    try {
      const page = await load()
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

/** Union by id (`fresher` picks between two copies), ordered by time; appending newer messages costs no sort. */
function merge<T extends Timed> (current: T[], incoming: T[], fresher: (known: T, next: T) => T = (_, next) => next): T[] {
  if (incoming.length === 0) return current
  const byId = new Map(current.map(message => [message.id, message]))
  const last = current.at(-1)
  const appendOnly = new Set(incoming.map(message => message.id)).size === incoming.length &&
    incoming.every(message => !byId.has(message.id) && (last === undefined || byTime(message, last) > 0))
  if (appendOnly) return current.concat([...incoming].sort(byTime))
  for (const message of incoming) {
    const known = byId.get(message.id)
    byId.set(message.id, known === undefined ? message : fresher(known, message))
  }
  return [...byId.values()].sort(byTime)
}
