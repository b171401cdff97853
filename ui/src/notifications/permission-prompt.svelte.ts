// The first-run question about desktop notifications: asked once, in the app, and answered by a
// click (browsers allow Notification.requestPermission only on a user gesture). "Not now" is
// remembered in this browser, so the question does not come back at every start. A refusal by the
// browser (its settings, or a headless one, refuse without asking) is said in the same place, with
// how to allow them, until the user has read it.
import type { Notifier } from '../state/notifier.svelte.js'

export const NOT_NOW_KEY = 'causette.notifications.not-now'

export class PermissionPrompt {
  #notNow = $state(readNotNow())
  #blocked = $state(false)

  constructor (private readonly notifier: Notifier) {}

  /** While the browser has not been asked yet and the user did not say "not now", or a refusal is to be read. */
  get shown (): boolean { return this.#blocked || (this.notifier.permission === 'default' && !this.#notNow) }

  /** "Turn on" was answered by the browser's refusal. */
  get blocked (): boolean { return this.#blocked }

  async turnOn (): Promise<void> {
    await this.notifier.requestPermission()
    this.#blocked = this.notifier.permission === 'denied'
  }

  /** The refusal was read. */
  dismissBlocked (): void {
    this.#blocked = false
  }

  notNow (): void {
    this.#notNow = true
    try { localStorage.setItem(NOT_NOW_KEY, '1') } catch { /* private mode: asked again next time */ }
  }
}

function readNotNow (): boolean {
  try { return localStorage.getItem(NOT_NOW_KEY) === '1' } catch { return false }
}
