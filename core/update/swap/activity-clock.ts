// The quiet moment's view of a running node: the time of its last event that is traffic or the
// user acting in the app (a message or channel message sent, received, changing state or read).
// Colleagues' presence and peer events are left out: they come and go all day on their own.
import type { QuietSignals } from './quiet-moment.js'

/** The node's event frames as far as this clock reads them (core/node/events.ts). */
export interface EventFrame { event: { type: string } }

const ACTIVE_EVENTS: ReadonlySet<string> = new Set(['message', 'message-state', 'conversation', 'channel', 'channel-message', 'channel-message-state', 'notification', 'channel-notification'])

export class ActivityClock implements QuietSignals {
  #last: number

  constructor (private readonly now: () => number = () => performance.now()) {
    this.#last = now()
  }

  /** Takes note of a node event (subscribe it to the node's event stream). */
  observe (frame: EventFrame): void {
    if (ACTIVE_EVENTS.has(frame.event.type)) this.#last = this.now()
  }

  /** The node counts nothing in flight apart from its events; their time is what is watched. */
  busy (): boolean {
    return false
  }

  lastActivityAt (): number {
    return this.#last
  }
}
