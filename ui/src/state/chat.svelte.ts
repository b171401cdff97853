// The open conversation with one person: its history (oldest first, older pages on demand), kept
// current by `message` and `message-state` events, and `message-updated` (edits, deletions, reactions).
import type { AttachmentView, MessageView } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'
import { withAmended, type AmendedFields, type QuotedDraft } from './amended.js'
import { withAttachment } from './attachments.js'
import { History } from './history.svelte.js'
import { withAuthorName } from './renamed.js'

export class Chat {
  readonly peerId: string
  #history: History<MessageView>

  constructor (api: ApiClient, peerId: string) {
    this.peerId = peerId
    this.#history = new History({ page: async query => await api.messages({ with: peerId, ...query }), fresher })
  }

  /** The message a search result opened: scrolled to and highlighted. */
  #found = $state<string>()
  get found (): string | undefined { return this.#found }
  get hasNewer (): boolean { return this.#history.hasNewer }

  /** Opens the history around message `id` (a search result) and marks it found. */
  async reveal (id: string): Promise<void> {
    this.#found = undefined
    this.#found = await this.#history.jumpTo(id) ? id : undefined
  }

  async loadNewer (): Promise<boolean> { return await this.#history.loadNewer() }
  /** Counts live messages (a hint shows them when the view is not at the newest). */
  #arrivals = $state(0)
  get arrivals (): number { return this.#arrivals }

  get messages (): MessageView[] { return this.#history.messages }
  get loading (): boolean { return this.#history.loading }
  get hasOlder (): boolean { return this.#history.hasOlder }
  get error (): string | undefined { return this.#history.error }
  get conversationId (): string | undefined { return this.messages[0]?.conversation }

  async loadLatest (): Promise<void> { await this.#history.loadLatest() }

  /** The history again from the node (the app connected again): at the message it was opened at, else the latest. */
  async reload (): Promise<void> {
    const at = this.#history.at
    await (at !== undefined ? this.reveal(at) : this.loadLatest())
  }
  async loadOlder (): Promise<boolean> { return await this.#history.loadOlder() }

  add (message: MessageView): void {
    if (message.peer !== this.peerId) return
    this.#arrivals++
    this.#history.add(message)
  }

  /** The message being edited in place, if any. */
  editing = $state<string>()
  /** The message the next one sent quotes (reply with quote), if any. */
  replyingTo = $state<QuotedDraft>()

  /** A copier's message taken out (`message-taken-out`): the message of that id by its true author follows. */
  takeOut (copy: { id: string, author: string, peer?: string | undefined }): void {
    if (copy.peer === this.peerId) this.#history.remove(message => message.id === copy.id && message.author === copy.author)
  }

  /** A message edited, deleted or reacted to (`message-updated`, or an edit's answer). */
  amend (message: AmendedFields & Pick<MessageView, 'id' | 'peer'>): void {
    if (message.peer === this.peerId) this.#history.update(message.id, known => withAmended(known, message))
  }

  /** An attachment changed state or made progress (`attachment`): every message carrying it shows it. */
  setAttachment (view: AttachmentView): void {
    this.#history.updateEach(message => withAttachment(message, view))
  }

  /** A colleague took another name: their messages show it. */
  rename (peerId: string, name: string): void {
    this.#history.updateEach(message => withAuthorName(message, peerId, name))
  }

  setState (id: string, change: MessageStateChange): void {
    this.#history.update(id, message => ({ ...message, ...change }))
  }
}

/** What a `message-state` event changes in a message. */
export type MessageStateChange = Pick<MessageView, 'state' | 'stateTime' | 'stateTimes' | 'stateReason' | 'silent'>

/** Of two copies of one message, the one with the later state (a send's answer may arrive after its delivery event). */
export function fresher (a: MessageView, b: MessageView): MessageView {
  return b.stateTime > a.stateTime ? b : a
}
