// Desktop notifications for incoming messages, through the Notification API. They respect my
// status: in focus they are held and summarised in one notification when focus ends; away or
// available they show at once. A notification never raises or focuses the window by itself.
import type { MessageView } from '../../../core/api/schema.js'
import type { Presence } from './presence.svelte.js'

export type Permission = NotificationPermission | 'unsupported'

export class Notifier {
  #permission = $state<Permission>(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission)
  #held: MessageView[] = []
  #presence: Presence
  #open: (peerId: string) => void

  constructor (presence: Presence, open: (peerId: string) => void) {
    this.#presence = presence
    this.#open = open
    presence.onChange((previous) => { if (previous === 'focus') this.#releaseHeld() })
  }

  get permission (): Permission { return this.#permission }

  async requestPermission (): Promise<void> {
    if (this.#permission === 'unsupported') return
    this.#permission = await Notification.requestPermission()
  }

  /** `onScreen`: the message arrived in the conversation the user is looking at. */
  incoming (message: MessageView, onScreen: boolean): void {
    if (message.direction !== 'in' || (onScreen && document.visibilityState === 'visible')) return
    if (this.#presence.status === 'focus') {
      this.#held.push(message)
      return
    }
    this.#show(message.authorName, message.text, message.peer)
  }

  #releaseHeld (): void {
    const held = this.#held
    this.#held = []
    if (held.length === 0) return
    const authors = [...new Set(held.map(message => message.authorName))].join(', ')
    const peer = held.length === 1 || new Set(held.map(m => m.peer)).size === 1 ? held[0].peer : undefined
    this.#show(`${held.length} message${held.length === 1 ? '' : 's'} during focus`, `From ${authors}`, peer)
  }

  #show (title: string, body: string, peerId: string | undefined): void {
    if (this.#permission !== 'granted') return
    const notification = new Notification(title, { body, tag: peerId ?? 'digest', silent: false })
    notification.onclick = () => { if (peerId !== undefined) this.#open(peerId) }
  }
}
