// What a message's tools can do, in a conversation or a channel: the pane that lists the messages
// builds one of these and hands it to each message.
import type { MessageView } from '../../../core/api/schema.js'
import type { QuotedDraft } from '../state/amended.js'

export type { QuotedDraft }

export interface MessageActions {
  /** The message edited in place, if any. */
  readonly editing: string | undefined
  setEditing: (id: string | undefined) => void
  /** Quotes this message in the next one sent. */
  reply: (message: QuotedDraft) => void
  edit: (id: string, text: string) => Promise<void>
  remove: (id: string) => Promise<void>
  /** Reacts, or takes our reaction back (`removed`). */
  react: (id: string, emoji: string, removed: boolean) => Promise<void>
  /** Scrolls to a message and focuses it (the original of a quote). */
  show: (id: string) => void
  /** A message held on screen: a quote shows its original as it is now (edited or deleted since). */
  find: (id: string) => Pick<MessageView, 'text' | 'authorName' | 'authorTag' | 'deleted'> | undefined
  /** Whether the user may write here (a member of a channel that is not archived). */
  readonly canWrite: boolean
  /** Our PeerId: reactions say "you". */
  readonly self: string | undefined
}

/** Focuses a message on screen (after a scroll brought it there): its tools show, a screen reader reads it. */
export function focusMessage (id: string): void {
  requestAnimationFrame(() => {
    const element = document.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(id)}"]`)
    element?.focus()
    element?.scrollIntoView({ block: 'center' })
  })
}

/** Our latest message that can still be edited (Up arrow in an empty composer). */
export function lastEditable<T extends { id: string, direction: 'in' | 'out', deleted?: true }> (messages: T[]): T | undefined {
  return messages.findLast(m => m.direction === 'out' && m.deleted !== true)
}

/** Where a pane keeps the message edited in place and the one the next message quotes (Chat, OpenChannel). */
export interface ActionsHolder {
  editing: string | undefined
  replyingTo: QuotedDraft | undefined
}

export interface ActionsWiring {
  canWrite: () => boolean
  self: () => string | undefined
  edit: MessageActions['edit']
  remove: MessageActions['remove']
  react: MessageActions['react']
  show: MessageActions['show']
  find: MessageActions['find']
  /** A reply was started: the composer takes the focus. */
  replied: () => void
}

/** The actions of a pane's messages, kept in `holder`. */
export function bindActions (holder: ActionsHolder, wiring: ActionsWiring): MessageActions {
  return {
    get editing () { return holder.editing },
    setEditing: id => { holder.editing = id },
    reply: message => {
      holder.replyingTo = { id: message.id, authorName: message.authorName, ...(message.authorTag !== undefined ? { authorTag: message.authorTag } : {}), text: message.text }
      wiring.replied()
    },
    edit: wiring.edit,
    remove: wiring.remove,
    react: wiring.react,
    show: wiring.show,
    find: wiring.find,
    get canWrite () { return wiring.canWrite() },
    get self () { return wiring.self() }
  }
}
