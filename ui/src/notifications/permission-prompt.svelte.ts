// The first-run question about desktop notifications: asked once, in the app, and answered by a
// click (browsers allow Notification.requestPermission only on a user gesture). "Not now" is
// remembered in this browser, so the question does not come back at every start.
import type { Notifier } from '../state/notifier.svelte.js'

export const NOT_NOW_KEY = 'causette.notifications.not-now'

export class PermissionPrompt {
  #notNow = $state(readNotNow())

  constructor (private readonly notifier: Notifier) {}

  /** Only while the browser has not been asked yet, and the user did not say "not now". */
  get shown (): boolean { return this.notifier.permission === 'default' && !this.#notNow }

  async turnOn (): Promise<void> {
    await this.notifier.requestPermission()
  }

  notNow (): void {
    this.#notNow = true
    try { localStorage.setItem(NOT_NOW_KEY, '1') } catch { /* private mode: asked again next time */ }
  }
}

function readNotNow (): boolean {
  try { return localStorage.getItem(NOT_NOW_KEY) === '1' } catch { return false }
}
