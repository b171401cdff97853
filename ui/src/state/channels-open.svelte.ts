// The open channel: its latest messages, oldest first, kept current by `channel-message` events,
// and what the screens derive from them: the posts of the main timeline, the replies of each thread
// and the reactions of each message.
import type { ChannelMessageView } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'

/** The node serves a channel's newest messages (up to 1,000); threads are fetched on their own. */
export const LATEST = 500

export interface ReactionCount {
  emoji: string
  count: number
  /** Whether one of them is ours: the node has no way to take a reaction back. */
  mine: boolean
  /** Who reacted, for the chip's label. */
  names: string[]
}

export class OpenChannel {
  readonly id: string
  #api: ApiClient
  #messages = $state.raw<ChannelMessageView[]>([])
  #loading = $state(false)
  #error = $state<string>()
  #truncated = $state(false)

  /** Messages of the main timeline: neither a reply in a thread nor a reaction. */
  readonly posts = $derived(this.#messages.filter(m => m.replyTo === undefined && m.reaction === undefined))
  /** Replies in each thread, by the message they answer. */
  readonly replies = $derived(groupBy(this.#messages.filter(m => m.replyTo !== undefined && m.reaction === undefined), m => m.replyTo!))
  readonly reactions = $derived(countReactions(this.#messages))

  constructor (api: ApiClient, id: string) {
    this.#api = api
    this.id = id
  }

  get messages (): ChannelMessageView[] { return this.#messages }
  get loading (): boolean { return this.#loading }
  get error (): string | undefined { return this.#error }
  /** Older messages than these exist at the node: the API pages forwards only (`since`). */
  get truncated (): boolean { return this.#truncated }

  get (id: string): ChannelMessageView | undefined {
    return this.#messages.find(m => m.id === id)
  }

  async loadLatest (): Promise<void> {
    const count = await this.#load({ limit: LATEST })
    this.#truncated = count >= LATEST
  }

  /** A thread whose start is older than the latest messages is fetched whole. */
  async loadThread (parent: string): Promise<void> {
    await this.#load({ thread: parent, limit: 1000 })
  }

  /** A message sent or received: the event and the send's answer may both bring it. */
  add (message: ChannelMessageView): void {
    if (message.channel !== this.id) return
    this.#messages = mergeById(this.#messages, [message])
  }

  /** Returns how many messages the node sent. */
  async #load (query: { thread?: string, limit: number }): Promise<number> {
    this.#loading = true
    try {
      const page = await this.#api.channelMessages(this.id, query)
      this.#messages = mergeById(this.#messages, page)
      this.#error = undefined
      return page.length
    } catch (failure) {
      this.#error = failure instanceof Error ? failure.message : String(failure)
      return 0
    } finally {
      this.#loading = false
    }
  }
}

/** Union by id, in the node's order: time, then id by code units. */
function mergeById (current: ChannelMessageView[], incoming: ChannelMessageView[]): ChannelMessageView[] {
  const byId = new Map(current.map(m => [m.id, m]))
  for (const message of incoming) byId.set(message.id, message)
  return [...byId.values()].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

function groupBy<T> (items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [item])
    else group.push(item)
  }
  return groups
}

/** Per message, its reactions by emoji in the order they first appeared; one per author and emoji. */
function countReactions (messages: ChannelMessageView[]): Map<string, ReactionCount[]> {
  const result = new Map<string, ReactionCount[]>()
  for (const [target, reactions] of groupBy(messages.filter(m => m.reaction !== undefined && m.replyTo !== undefined), m => m.replyTo!)) {
    const byEmoji = new Map<string, { authors: Set<string>, count: ReactionCount }>()
    for (const reaction of reactions) {
      const emoji = reaction.reaction!
      let entry = byEmoji.get(emoji)
      if (entry === undefined) {
        entry = { authors: new Set(), count: { emoji, count: 0, mine: false, names: [] } }
        byEmoji.set(emoji, entry)
      }
      if (entry.authors.has(reaction.author)) continue
      entry.authors.add(reaction.author)
      entry.count.count++
      entry.count.mine ||= reaction.direction === 'out'
      entry.count.names.push(reaction.direction === 'out' ? 'you' : reaction.authorName)
    }
    result.set(target, [...byEmoji.values()].map(e => e.count))
  }
  return result
}
