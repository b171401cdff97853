// The conversation list: last message and unread count per conversation, newest first.
import type { ConversationView, MessageState, MessageView } from '../../../core/api/schema.js'
import { withAmended } from './amended.js'
import { fresher } from './chat.svelte.js'
import { lastArrival, orderOf } from './conversation-order.js'

export class Conversations {
  #byId = $state.raw(new Map<string, ConversationView>())

  readonly list = $derived([...this.#byId.values()].sort((a, b) =>
    lastArrival(b) - lastArrival(a)))

  readonly unreadTotal = $derived([...this.#byId.values()].reduce((sum, c) => sum + c.unread, 0))

  byPeer (peerId: string): ConversationView | undefined {
    for (const conversation of this.#byId.values()) if (conversation.peer === peerId) return conversation
    return undefined
  }

  replaceAll (conversations: ConversationView[]): void {
    this.#byId = new Map(conversations.map(c => [c.id, c]))
  }

  /** A new message; `seen` when it arrived in the conversation on screen. */
  addMessage (message: MessageView, peerName: string, seen: boolean): void {
    const current = this.#byId.get(message.conversation)
    const last = current?.lastMessage ?? undefined
    const known = last?.id === message.id
    const unread = (current?.unread ?? 0) + (message.direction === 'in' && !seen && !known ? 1 : 0)
    const lastMessage = last === undefined ? message : known ? fresher(last, message) : orderOf(last) > orderOf(message) ? last : message
    this.#set({ id: message.conversation, peer: message.peer, name: current?.name ?? peerName, lastMessage, unread })
  }

  setState (conversationId: string, messageId: string, state: MessageState, stateReason: string | undefined): void {
    const current = this.#byId.get(conversationId)
    if (current?.lastMessage?.id !== messageId) return
    this.#set({ ...current, lastMessage: { ...current.lastMessage, state, stateReason } })
  }

  /** A copier's message taken out (`message-taken-out`): no longer the preview (the node names none then either). */
  takeOut (copy: { id: string, author: string, conversation: string }): void {
    const current = this.#byId.get(copy.conversation)
    if (current?.lastMessage?.id === copy.id && current.lastMessage.author === copy.author) this.#set({ ...current, lastMessage: null })
  }

  /** A message edited, deleted or reacted to: the preview follows when it is the last one. */
  amend (message: MessageView): void {
    const current = this.#byId.get(message.conversation)
    if (current?.lastMessage?.id !== message.id) return
    this.#set({ ...current, lastMessage: withAmended(current.lastMessage, message) })
  }

  markRead (conversationId: string): void {
    const current = this.#byId.get(conversationId)
    if (current !== undefined && current.unread > 0) this.#set({ ...current, unread: 0 })
  }

  /**
   * The node's count, from its `conversation` event: taken when lower (read in another tab, or by
   * another app of this desk). A higher one is this tab's to count, as it knows what is on screen.
   */
  readElsewhere (conversation: ConversationView): void {
    const current = this.#byId.get(conversation.id)
    if (current !== undefined && conversation.unread < current.unread) this.#set({ ...current, unread: conversation.unread })
  }

  rename (peerId: string, name: string): void {
    const current = this.byPeer(peerId)
    if (current !== undefined && current.name !== name) this.#set({ ...current, name })
  }

  #set (conversation: ConversationView): void {
    this.#byId = new Map(this.#byId).set(conversation.id, conversation)
  }
}
