// Runs a task at most once at a time per key. A request made while the key's task runs is served by
// one more run right after it, shared by every request made meanwhile: each caller's promise settles
// with a run that started after its request, so that run saw the state of that moment or later.
//
// The replicator keys its members exchanges by peer: a peer accepts only two members streams per
// connection at once (MAX_MEMBERS_STREAMS_PER_CONNECTION), and a burst of changes pushed one stream
// per change, so that the exchange telling a removed device of its removal could be refused.
interface Slot { running: Promise<void>, queued?: Promise<void> }

const settled = async (promise: Promise<unknown>): Promise<void> => { await promise.catch(() => {}) }

export class OneAtATime {
  readonly #task: (key: string) => Promise<void>
  readonly #slots = new Map<string, Slot>()

  constructor (task: (key: string) => Promise<void>) {
    this.#task = task
  }

  /** Resolves or rejects as the run that serves this request does. */
  async request (key: string): Promise<void> {
    const slot = this.#slots.get(key)
    if (slot === undefined) return await this.#begin(key)
    slot.queued ??= settled(slot.running).then(async () => {
      slot.queued = undefined
      return await this.#begin(key)
    })
    return await slot.queued
  }

  #begin (key: string): Promise<void> {
    const running = this.#task(key)
    const slot = this.#slots.get(key)
    if (slot === undefined) this.#slots.set(key, { running })
    else slot.running = running
    void settled(running).then(() => {
      const now = this.#slots.get(key)
      if (now?.running === running && now.queued === undefined) this.#slots.delete(key)
    })
    return running
  }
}
