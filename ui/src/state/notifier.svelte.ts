// Desktop notifications, as the node decides them: one per `notification` or `channel-notification`
// event (held in focus or mute, urgent ones always), one summary per `digest` event. Nothing here decides who may
// interrupt. Nothing takes the focus either: no requireInteraction, and the window is never raised;
// a click only opens the conversation. A shown notification plays the app's short sound when the
// user's setting says so (an urgent one keeps the system's own sound instead).
import type { ChannelMessageView, DigestView, MessageView } from '../../../core/api/schema.js'
import { digestAuthors, taggedName } from '../../../core/names.js'
import { playNotificationSound } from '../notifications/notification-sound.js'
import { messageLine } from '../files/attachment-words.js'
import { textReader } from '../chat/text/text-reader.svelte.js'

export type Permission = NotificationPermission | 'unsupported'

export class Notifier {
  #permission = $state<Permission>(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission)
  #openChat: (peerId: string) => void
  #openChannel: (id: string) => void
  #soundOn: () => boolean

  /** `soundOn`: the user's notificationSound setting, read at each notification. */
  constructor (openChat: (peerId: string) => void, openChannel: (id: string) => void, soundOn: () => boolean) {
    this.#openChat = openChat
    this.#openChannel = openChannel
    this.#soundOn = soundOn
  }

  get permission (): Permission { return this.#permission }

  async requestPermission (): Promise<void> {
    if (this.#permission === 'unsupported') return
    this.#permission = await Notification.requestPermission()
  }

  /** `onScreen`: the message arrived in the conversation the user is looking at (an urgent one still shows). */
  message (message: MessageView, onScreen: boolean): void {
    if (this.#hidden(message.urgent, onScreen)) return
    this.#show(taggedName(message.authorName, message.authorTag), messageLine(message, textReader()), message.urgent, message.peer, () => { this.#openChat(message.peer) })
  }

  /** `onScreen`: the message arrived in the channel the user is looking at. */
  channelMessage (message: ChannelMessageView, channelName: string, onScreen: boolean): void {
    if (this.#hidden(message.urgent, onScreen)) return
    this.#show(`${taggedName(message.authorName, message.authorTag)} in #${channelName}`, messageLine(message, textReader()), message.urgent, message.channel, () => { this.#openChannel(message.channel) })
  }

  digest (digest: DigestView): void {
    const peers = new Set(digest.from.map(f => f.peer))
    const peer = peers.size === 1 ? digest.from[0]?.peer : undefined
    this.#show(`${digest.total} message${digest.total === 1 ? '' : 's'} during focus`, `From ${digestAuthors(digest)}`, undefined, 'digest', () => { if (peer !== undefined) this.#openChat(peer) })
  }

  /** What the user is reading needs no notification, unless it is urgent. */
  #hidden (urgent: string | undefined, onScreen: boolean): boolean {
    return urgent === undefined && onScreen && document.visibilityState === 'visible'
  }

  #show (title: string, body: string, urgent: string | undefined, tag: string, onClick: () => void): void {
    if (this.#permission !== 'granted') return
    const notification = urgent === undefined
      ? new Notification(title, { body, tag, silent: true, requireInteraction: false })
      : new Notification(`Urgent: ${title}`, { body: `${urgent}\n${body}`, tag, silent: false, requireInteraction: false })
    notification.onclick = onClick
    if (urgent === undefined && this.#soundOn()) playNotificationSound()
  }
}
