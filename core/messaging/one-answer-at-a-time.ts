// Serving catch-up answers (1:1, catch-up.ts; channels, core/channels/catch-up.ts): a peer asks every
// SYNC_INTERVAL_MS and an answer is up to MAX_RESENT_PER_SYNC messages. One that read slowly, or
// never, had each answer start on top of the last, the same messages sent again and again at once
// (session 30, red team). One answer per peer at a time now, a window of its items on their way at
// once; a request meanwhile is told so (undefined: the sync protocol answers SYNC_BUSY), and its
// asker asks again a little later (catch-up-request.ts).

export class OneAnswerAtATime {
  /** Peers an answer is being prepared or served to. */
  readonly #serving = new Set<string>()

  /** `window`: items of one answer on their way at once; 1 sends them in order, each after the last. */
  constructor (private readonly window: number) {}

  /**
   * Unless an answer to `peer` is under way (then undefined): `prepare` finds what it lacks, and each
   * item then goes through `send` in the background. Resolves with their number.
   */
  async answer<Item> (peer: string, prepare: () => Promise<Item[]>, send: (item: Item) => Promise<void>): Promise<number | undefined> {
    if (this.#serving.has(peer)) return undefined
    this.#serving.add(peer)
    let items: Item[]
    try {
      items = await prepare()
    } catch (error) {
      this.#serving.delete(peer)
      throw error
    }
    void this.#serve(items, send).finally(() => { this.#serving.delete(peer) })
    return items.length
  }

  /** Sends `items`, `window` on their way at once; settles once none is. */
  async #serve<Item> (items: Item[], send: (item: Item) => Promise<void>): Promise<void> {
    let next = 0
    const sendOn = async (): Promise<void> => {
      while (next < items.length) {
        // One that rejects (the peer is gone) ends the answer, rather than each of the rest failing
        // in turn while the peer's next request is told busy (its asker asks again).
        await send(items[next++]!).catch(() => { next = items.length })
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.window, items.length) }, sendOn))
  }
}
