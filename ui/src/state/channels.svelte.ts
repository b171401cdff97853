// The channels this node holds (GET /channels, `channel` events) with their unread counts, mutes and
// archived marks, and the channel on screen. Their desktop notifications are the Notifier's.
import type { ChannelView, NodeEvent } from '../../../core/api/schema.js'
import type { ApiClient, ChannelSendOptions } from '../api/client.js'
import type { OpenChannel } from './channels-open.svelte.js'
import { channelWithName } from './renamed.js'

export type ChannelEvent = Extract<NodeEvent, { type: 'channel' | 'channel-message' | 'channel-message-updated' | 'channel-message-state' | 'message-taken-out' }>

export interface ChannelsOptions {
  api: ApiClient
  /** A channel's conversation was opened: what the digest held of it has been seen. */
  seen: (conversation: string) => void
}

const READ_DELAY_MS = 300

export class Channels {
  #options: ChannelsOptions
  #byId = $state.raw(new Map<string, ChannelView>())
  #open = $state<OpenChannel>()
  #loadError = $state<string>()
  #loaded = $state(false)
  #readTimer: ReturnType<typeof setTimeout> | undefined
  /** The channel last asked for: a slower earlier request must not replace it. */
  #showing: string | undefined

  /** The sidebar's: the channels we are in (newest activity first), then the archived ones we were in. */
  readonly list = $derived([...this.#byId.values()].filter(c => c.member).sort((a, b) =>
    rank(a) - rank(b) || b.lastTime - a.lastTime || a.name.localeCompare(b.name)))

  /** The browser's: every channel this node knows (ours, open ones, those we left), by name. */
  readonly all = $derived([...this.#byId.values()].sort((a, b) => a.name.localeCompare(b.name)))

  readonly unreadTotal = $derived([...this.#byId.values()].reduce((sum, c) => sum + (c.mutedUntil === undefined ? c.unread : 0), 0))

  constructor (options: ChannelsOptions) {
    this.#options = options
  }

  get open (): OpenChannel | undefined { return this.#open }
  get loadError (): string | undefined { return this.#loadError }
  /** The list came from the node at least once: a channel missing from it is not here. */
  get loaded (): boolean { return this.#loaded }

  get (id: string): ChannelView | undefined {
    return this.#byId.get(id)
  }

  async load (): Promise<void> {
    try {
      const views = await this.#options.api.channels()
      this.#byId = new Map(views.map(view => [view.id, view]))
      this.#loadError = undefined
      this.#loaded = true
      await this.#open?.reload()
    } catch (failure) {
      this.#loadError = failure instanceof Error ? failure.message : String(failure)
    }
  }

  /** The view of a channel as an action answered it (the event follows; both say the same). */
  upsert (view: ChannelView): void {
    this.#byId = new Map(this.#byId).set(view.id, view)
  }

  /** A colleague took another name: the member lists, the lines of who joined, and the open channel's messages show it. */
  rename (peerId: string, name: string): void {
    this.#byId = new Map([...this.#byId].map(([id, view]) => [id, channelWithName(view, peerId, name)]))
    this.#open?.rename(peerId, name)
  }

  /** Shows the channel `id` (or none). Called when the route changes. */
  async show (id: string | undefined): Promise<void> {
    if (this.#open?.id === id) return
    this.#showing = id
    if (id === undefined) {
      this.#open = undefined
      return
    }
    // Loaded with the channel screens, not in the first load.
    const { OpenChannel } = await import('./channels-open.svelte.js')
    if (this.#showing !== id) return
    this.#open = new OpenChannel(this.#options.api, id)
    const view = this.#byId.get(id)
    if (view !== undefined) this.#options.seen(view.conversation)
    await this.#open.loadLatest()
    await this.markRead()
  }

  /** Shows channel `id` around one of its messages (a search result far back), else at its newest. */
  async reveal (id: string, messageId: string): Promise<void> {
    this.#showing = id
    const { OpenChannel } = await import('./channels-open.svelte.js')
    if (this.#showing !== id) return
    const open = this.#open?.id === id ? this.#open : new OpenChannel(this.#options.api, id)
    this.#open = open
    await open.reveal(messageId)
    if (open.found === undefined) await open.loadLatest()
    await this.markRead()
  }

  /** The open channel is on screen: its unread count goes to zero, here and at the node. */
  async markRead (): Promise<void> {
    const view = this.#open === undefined ? undefined : this.#byId.get(this.#open.id)
    if (view === undefined || view.unread === 0 || document.visibilityState !== 'visible') return
    this.upsert({ ...view, unread: 0 })
    await this.#options.api.markChannelRead(view.id)
  }

  async send (text: string, options: ChannelSendOptions): Promise<void> {
    const open = this.#open
    if (open === undefined) return
    open.add(await this.#options.api.sendToChannel(open.id, text, options))
  }

  /** Reacts to a message of the open channel, or takes our reaction back (`removed`). */
  async react (messageId: string, emoji: string, removed = false): Promise<void> {
    const open = this.#open
    if (open === undefined) return
    open.amend(await this.#options.api.reactInChannel(open.id, messageId, emoji, removed))
  }

  async edit (messageId: string, text: string): Promise<void> {
    const open = this.#open
    if (open === undefined) return
    open.amend(await this.#options.api.editChannelMessage(open.id, messageId, text))
  }

  async remove (messageId: string): Promise<void> {
    const open = this.#open
    if (open === undefined) return
    open.amend(await this.#options.api.deleteChannelMessage(open.id, messageId))
  }

  apply (event: ChannelEvent): void {
    switch (event.type) {
      case 'channel':
        this.upsert(event.channel)
        break
      case 'channel-message':
        this.#open?.add(event.message)
        if (this.#open?.id === event.message.channel && event.message.direction === 'in') this.#markReadSoon()
        break
      case 'channel-message-updated':
        this.#open?.amend(event.message)
        break
      case 'channel-message-state':
        if (this.#open?.id === event.channel) this.#open.setDelivery(event.id, event.delivery)
        break
      case 'message-taken-out':
        this.#open?.takeOut(event)
        break
    }
  }

  /** One POST /read for a burst of messages arriving on screen. */
  #markReadSoon (): void {
    this.#readTimer ??= setTimeout(() => {
      this.#readTimer = undefined
      void this.markRead()
    }, READ_DELAY_MS)
  }
}

function rank (channel: ChannelView): number {
  return channel.archived ? 2 : channel.member ? 0 : 1
}
