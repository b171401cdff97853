// Where an incoming message goes in its conversation: when it arrived here (our clock), never where
// its author's clock puts it. One that arrives after later messages of its author (catch-up, a
// carrier) goes just before them, so that an author's own order (seq) holds. Reading the
// conversation back costs a LevelDB iterator and decrypting values, so it is done once per
// conversation and author in a run; after that the highest seq stored is known here, and a message
// above it (the usual case) arrives now without reading anything.
import { arrivalOf, type Database } from './database.js'
import type { MessageRecord } from './records.js'

/** Records read back, at most, to place a message its author sent before others already here. */
const MAX_ORDER_SCAN = 1000
/** Conversation and author pairs whose highest seq is remembered; beyond, the oldest are read again. */
const MAX_REMEMBERED = 10_000

type Incoming = Pick<MessageRecord, 'conversation' | 'author' | 'seq'>

export class ArrivalOrder {
  readonly #highest = new Map<string, number>()

  constructor (private readonly db: Pick<Database, 'messages'>) {}

  /** The arrival time to store `incoming` under (the key of its conversation's order). */
  async arrivalFor (incoming: Incoming, now: number): Promise<number> {
    const key = `${incoming.conversation}!${incoming.author}`
    const highest = this.#highest.get(key)
    if (highest !== undefined && incoming.seq > highest) {
      this.#remember(key, incoming.seq)
      return now
    }
    const placed = await this.#readBack(incoming, now)
    this.#remember(key, Math.max(highest ?? 0, placed.highest, incoming.seq))
    return placed.arrived
  }

  #remember (key: string, seq: number): void {
    this.#highest.delete(key)
    this.#highest.set(key, seq)
    if (this.#highest.size > MAX_REMEMBERED) this.#highest.delete(this.#highest.keys().next().value!)
  }

  /**
   * Reads the conversation back to the author's previous message: just before the first later one,
   * not before the previous one (within one millisecond, `byConversationOrder` orders by seq).
   */
  async #readBack (incoming: Incoming, now: number): Promise<{ arrived: number, highest: number }> {
    let firstLater: number | undefined
    let previous: number | undefined
    let highest = 0
    let read = 0
    for await (const m of this.db.messages.values({ gte: `${incoming.conversation}!`, lt: `${incoming.conversation}!\uffff`, reverse: true })) {
      const arrived = arrivalOf(m)
      // Past the author's previous message, and past its millisecond (ties are in id order, not seq).
      if (++read > MAX_ORDER_SCAN || (previous !== undefined && arrived < previous)) break
      if (m.author !== incoming.author) continue
      highest = Math.max(highest, m.seq)
      if (m.seq < incoming.seq) previous ??= arrived
      else firstLater = arrived
    }
    const arrived = firstLater === undefined ? now : Math.max(previous ?? 0, Math.min(now, firstLater - 1))
    return { arrived, highest }
  }
}
