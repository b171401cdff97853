// The quiet moment's view of a running node: the time of its last event (a message sent, received
// or changing state, a presence or status change: traffic or the user acting in the app).
import type { QuietSignals } from './quiet-moment.js'

export class ActivityClock implements QuietSignals {
  #last: number

  constructor (private readonly now: () => number = Date.now) {
    this.#last = now()
  }

  touch (): void {
    this.#last = this.now()
  }

  /** The node counts nothing in flight apart from its events; their time is what is watched. */
  busy (): boolean {
    return false
  }

  lastActivityAt (): number {
    return this.#last
  }
}
