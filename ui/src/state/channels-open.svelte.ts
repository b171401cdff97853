// The open channel: its history (oldest first, older pages as the user scrolls up), kept current by
// `channel-message` events (and `channel-message-updated` for edits, deletions and reactions), and
// what the screens derive from it: the posts of the main timeline and the replies of each thread. A
// reply whose thread's first message this node does not hold (sent before we joined) stands in the
// timeline, since no thread can show it.
import type { AttachmentView, ChannelDelivery, ChannelMessageView } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'
import { withAmended, type AmendedFields, type QuotedDraft } from './amended.js'
import { withAttachment } from './attachments.js'
import { History } from './history.svelte.js'
import { withAuthorName } from './renamed.js'

export type { ReactionCount } from './amended.js'

/** Posts that fill the channel's view on a tall screen, so that the user can scroll up for more. */
const SCREENFUL = 25
/** The node serves a thread (its message, replies and reactions) up to this many at once. */
const THREAD_LIMIT = 1000

export class OpenChannel {
  readonly id: string
  #api: ApiClient
  #history = new History<ChannelMessageView>({ page: async query => await this.#api.channelMessages(this.id, query), fresher })

  /** The message a search result opened: highlighted, in its thread if it is a reply there. */
  #found = $state<string>()
  get found (): string | undefined { return this.#found }
  /** The thread that shows the found message (it is a reply whose first message is held). */
  readonly foundThread = $derived.by(() => {
    const root = this.#found === undefined ? undefined : this.get(this.#found)?.replyTo
    return root !== undefined && this.#held.has(root) ? root : undefined
  })
  /** The timeline's row to scroll to for the found message: its thread's first message, or itself. */
  get foundPost (): string | undefined { return this.foundThread ?? this.#found }
  get hasNewer (): boolean { return this.#history.hasNewer }
  /** Counts live messages that add a row to the timeline (a hint shows them when the view is not at the newest). */
  #arrivals = $state(0)
  get arrivals (): number { return this.#arrivals }
  /** Thread starts the node said it does not hold (asked when a live reply names one not loaded). */
  #missingRoots = $state.raw(new Set<string>())

  /** Opens the history around message `id` (a search result) and marks it found. */
  async reveal (id: string): Promise<void> {
    this.#found = undefined
    if (await this.#history.jumpTo(id)) this.#found = id
  }

  async loadNewer (): Promise<boolean> { return await this.#history.loadNewer() }

  /** The ids of the messages held. */
  readonly #held = $derived(new Set(this.#history.messages.map(m => m.id)))
  /** Messages of the main timeline, from the oldest page loaded on: not a reply in a thread, unless its thread cannot be shown. */
  readonly posts = $derived(this.#history.messages.filter(m => (m.replyTo === undefined || this.isOrphan(m)) && this.#history.covers(m)))
  /** Replies in each thread, by the message they answer. */
  readonly replies = $derived(groupBy(this.#history.messages.filter(m => m.replyTo !== undefined), m => m.replyTo!))
  /** The message being edited in place, if any. */
  editing = $state<string>()
  /** The message the next one sent quotes (reply with quote), if any. */
  replyingTo = $state<QuotedDraft>()

  constructor (api: ApiClient, id: string) {
    this.#api = api
    this.id = id
  }

  get messages (): ChannelMessageView[] { return this.#history.messages }
  get loading (): boolean { return this.#history.loading }
  get error (): string | undefined { return this.#history.error }
  /** Older messages than those loaded may exist at the node. */
  get hasOlder (): boolean { return this.#history.hasOlder }

  get (id: string): ChannelMessageView | undefined {
    return this.#history.messages.find(m => m.id === id)
  }

  /**
   * A reply whose thread's first message this node does not hold: the node said so (in the page or
   * when asked for the thread), or the whole history is loaded without it. It may have been sent
   * before we joined the channel.
   */
  isOrphan (message: ChannelMessageView): boolean {
    const root = message.replyTo
    return root !== undefined && !this.#held.has(root) && (message.replyToHeld === false || !this.#history.hasOlder || this.#missingRoots.has(root))
  }

  /** The newest page, and older ones while the timeline would not fill a screen (a page may be mostly replies). */
  async loadLatest (): Promise<void> {
    await this.#history.loadLatest()
    while (this.posts.length < SCREENFUL && this.#history.hasOlder && await this.#history.loadOlder()) { /* the next page */ }
  }

  /** The history again from the node (the app connected again): at the message it was opened at, else the latest. */
  async reload (): Promise<void> {
    const at = this.#history.at
    await (at !== undefined ? this.reveal(at) : this.loadLatest())
  }

  /** Older pages, until one brings a post to the timeline (a page may hold only replies and reactions) or none is left; whether any came. */
  async loadOlder (): Promise<boolean> {
    const posts = this.posts.length
    let loaded = false
    while (await this.#history.loadOlder()) {
      loaded = true
      if (this.posts.length !== posts || !this.#history.hasOlder) break
    }
    return loaded
  }

  /** A thread whose start is older than the pages loaded is fetched whole. */
  async loadThread (parent: string): Promise<void> {
    await this.#history.include(async () => await this.#api.channelMessages(this.id, { thread: parent, limit: THREAD_LIMIT }))
  }

  /** A message sent or received: the event and the send's answer may both bring it. */
  add (message: ChannelMessageView): void {
    if (message.channel !== this.id) return
    const root = message.replyTo
    if (root === undefined) this.#arrivals++
    // Not asked when the first message came in the same burst (a catch-up): it is held in a moment.
    else if (!this.#held.has(root) && !this.#history.arrived(root)) void this.#askRoot(root)
    this.#history.add(message)
  }

  /** A live reply to a message not loaded: the node is asked for its thread; if it lacks the first message, the reply joins the timeline. */
  async #askRoot (root: string): Promise<void> {
    // The history is whole up to the present: not held means the node does not hold it.
    if (this.#missingRoots.has(root) || (!this.#history.hasOlder && !this.#history.hasNewer)) {
      this.#arrivals++
      return
    }
    await this.loadThread(root)
    if (this.#held.has(root) || this.#history.error !== undefined) return
    this.#missingRoots = new Set(this.#missingRoots).add(root)
    this.#arrivals++
  }

  /** A message edited, deleted or reacted to (`channel-message-updated`, or an edit's answer). */
  /** A copier's message taken out (`message-taken-out`): the message of that id by its true author follows. */
  takeOut (copy: { id: string, author: string, channel?: string | undefined }): void {
    if (copy.channel === this.id) this.#history.remove(message => message.id === copy.id && message.author === copy.author)
  }

  amend (message: AmendedFields & Pick<ChannelMessageView, 'id' | 'channel'>): void {
    if (message.channel === this.id) this.#history.update(message.id, known => withAmended(known, message))
  }

  /** An attachment changed state or made progress (`attachment`): every message carrying it shows it. */
  setAttachment (view: AttachmentView): void {
    this.#history.updateEach(message => withAttachment(message, view))
  }

  /** Where the members stand with one of our messages (`channel-message-state`). */
  /** A colleague took another name: their messages show it. */
  rename (peerId: string, name: string): void {
    this.#history.updateEach(message => withAuthorName(message, peerId, name))
  }

  setDelivery (id: string, delivery: ChannelDelivery): void {
    this.#history.update(id, message => fresher(message, { ...message, delivery }))
  }
}

/**
 * Of two copies of one message, the one further along with its members: the send's answer may
 * arrive after a member's receipt moved it. A member's state only moves forwards.
 */
function fresher (known: ChannelMessageView, next: ChannelMessageView): ChannelMessageView {
  return progress(next.delivery) >= progress(known.delivery) ? next : known
}

function progress (delivery: ChannelDelivery | undefined): number {
  return delivery === undefined ? -1 : delivery.delivered + delivery.read + delivery.failed
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
