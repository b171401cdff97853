// Desktop notifications, as the node decides them: one per `notification` event (held in focus or
// mute, urgent ones always), one summary per `digest` event. Nothing here decides who may
// interrupt. Nothing takes the focus either: no sound unless urgent, no requireInteraction, and
// the window is never raised; a click only opens the conversation.
import type { DigestView, MessageView } from '../../../core/api/schema.js'

export type Permission = NotificationPermission | 'unsupported'

export class Notifier {
  #permission = $state<Permission>(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission)
  #open: (peerId: string) => void

  constructor (open: (peerId: string) => void) {
    this.#open = open
  }

  get permission (): Permission { return this.#permission }

  async requestPermission (): Promise<void> {
    if (this.#permission === 'unsupported') return
    this.#permission = await Notification.requestPermission()
  }

  /** `onScreen`: the message arrived in the conversation the user is looking at (an urgent one still shows). */
  message (message: MessageView, onScreen: boolean): void {
    const urgent = message.urgent
    if (urgent === undefined && onScreen && document.visibilityState === 'visible') return
    if (urgent !== undefined) this.#show(`Urgent: ${message.authorName}`, `${urgent}\n${message.text}`, message.peer, true)
    else this.#show(message.authorName, message.text, message.peer, false)
  }

  digest (digest: DigestView): void {
    const authors = [...new Set(digest.from.map(f => f.name))].join(', ')
    const peers = new Set(digest.from.map(f => f.peer))
    this.#show(`${digest.total} message${digest.total === 1 ? '' : 's'} during focus`, `From ${authors}`, peers.size === 1 ? digest.from[0]?.peer : undefined, false)
  }

  #show (title: string, body: string, peerId: string | undefined, urgent: boolean): void {
    if (this.#permission !== 'granted') return
    const notification = new Notification(title, { body, tag: peerId ?? 'digest', silent: !urgent, requireInteraction: false })
    notification.onclick = () => { if (peerId !== undefined) this.#open(peerId) }
  }
}
