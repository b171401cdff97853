// Our messages that were delivered silently (the recipient was in focus, as our node knew it), from
// `message-silent` events: the message list shows the mark beside "Delivered".
import { SvelteMap } from 'svelte/reactivity'

export class SilentMarks {
  readonly #until = new SvelteMap<string, number | null>()

  mark (id: string, until: number | null): void {
    this.#until.set(id, until)
  }

  /** undefined: not silent; null: silent, in focus with no end; else until when. */
  of (id: string): number | null | undefined {
    return this.#until.get(id)
  }
}
