// The channels presence needs to know about, kept from the node's channel views: their
// conversation ids (exceptions, mutes and holds are keyed by conversation), names, members (who may
// see our exceptions for them) and the channel's own mute. Fed by `channel` events and a load at start.

/** What presence reads of a channel (the API's ChannelView has it). */
export interface ChannelView {
  id: string
  conversation: string
  name: string
  /** Whether we are a member: only then are its members those who may see our exceptions for it. */
  member: boolean
  members: ReadonlyArray<{ peerId: string }>
  /** The channel's own mute: null for no end, undefined for none. */
  mutedUntil?: number | null | undefined
}

interface KnownChannel { id: string, conversation: string, name: string, members: Set<string>, mutedUntil: number | null | undefined }

export class ChannelDirectory {
  readonly #byConversation = new Map<string, KnownChannel>()
  readonly #conversationOf = new Map<string, string>()

  constructor (private readonly now: () => number) {}

  /** Keeps the channel as `view` shows it; returns whether its own mute changed (a hold may have ended). */
  update (view: ChannelView): boolean {
    const previous = this.#conversationOf.get(view.id)
    const muteChanged = (previous === undefined ? undefined : this.#byConversation.get(previous)?.mutedUntil) !== view.mutedUntil
    if (previous !== undefined) this.#byConversation.delete(previous)
    this.#conversationOf.set(view.id, view.conversation)
    const members = view.member ? new Set(view.members.map(m => m.peerId)) : new Set<string>()
    this.#byConversation.set(view.conversation, { id: view.id, conversation: view.conversation, name: view.name, members, mutedUntil: view.mutedUntil })
    return muteChanged
  }

  /** The conversation id of a channel id. */
  conversationOf (channel: string): string | undefined {
    return this.#conversationOf.get(channel)
  }

  /** A channel by its conversation id, its channel id, or "#name" (a bare name is a person's). */
  find (target: string): { conversation: string, name: string } | undefined {
    const conversation = this.#byConversation.has(target) ? target : this.#conversationOf.get(target)
    const found = conversation !== undefined
      ? this.#byConversation.get(conversation)
      : target.startsWith('#') ? [...this.#byConversation.values()].find(c => c.name === target.slice(1)) : undefined
    return found === undefined ? undefined : { conversation: found.conversation, name: `#${found.name}` }
  }

  sharedWith (peer: string): string[] {
    return [...this.#byConversation.values()].filter(c => c.members.has(peer)).map(c => c.conversation)
  }

  /** Muted from the channel's own setting (ChannelView.mutedUntil). */
  isMuted (conversation: string): boolean {
    const until = this.#byConversation.get(conversation)?.mutedUntil
    return until === null || (until !== undefined && until > this.now())
  }

  /** When a channel mute ends next, for the timer that releases what it held. */
  nextUnmute (): number | undefined {
    const now = this.now()
    const ends = [...this.#byConversation.values()].map(c => c.mutedUntil).filter((t): t is number => typeof t === 'number' && t > now)
    return ends.length === 0 ? undefined : Math.min(...ends)
  }
}
