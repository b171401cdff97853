// Where an incoming message goes in its conversation: when it arrived here (our clock), never where
// its author's clock puts it. One that arrives after later messages of its author (catch-up, a
// carrier) goes just before them, so that an author's own order (seq) holds.
//
// Placements are decided here, before the message's batch is written, and several arrive in one
// turn (a carrier's hand-over, a catch-up burst): so the placements of each conversation and author
// are decided one at a time and remembered, and the stored conversation is read back only once per
// conversation and author in a run, to learn where its earlier messages are.
import { arrivalOf, type Database } from './database.js'
import type { MessageRecord } from './records.js'

/** Records read back, at most, to learn where an author's earlier messages are. */
const MAX_ORDER_SCAN = 1000
/** Placements remembered per conversation and author (the newest seqs); older ones are rarely needed. */
const MAX_PLACEMENTS = 256
/**
 * How far past MAX_PLACEMENTS a list grows before its oldest are cut: cutting one a message moved the
 * whole list each time (9 µs a received message, once an author had written 256 in a conversation).
 */
const TRIM_SLACK = 64
/** Conversation and author pairs remembered; beyond, the least recently used is read again if needed. */
const MAX_REMEMBERED = 2_000

type Incoming = Pick<MessageRecord, 'conversation' | 'author' | 'seq'>
interface Placement { seq: number, arrived: number }

export class ArrivalOrder {
  /** Per conversation and author: placements sorted by seq. */
  readonly #placements = new Map<string, Placement[]>()
  /** Per conversation and author: the placement being decided, so that the next one waits for it. */
  readonly #deciding = new Map<string, Promise<unknown>>()

  constructor (private readonly db: Pick<Database, 'messages'>) {}

  /** The arrival time to store `incoming` under (the key of its conversation's order). */
  async arrivalFor (incoming: Incoming, now: number): Promise<number> {
    const key = `${incoming.conversation}!${incoming.author}`
    const before = this.#deciding.get(key) ?? Promise.resolve()
    const decided = before.then(async () => await this.#place(key, incoming, now))
    const settled = decided.catch(() => {})
    this.#deciding.set(key, settled)
    void settled.then(() => { if (this.#deciding.get(key) === settled) this.#deciding.delete(key) })
    return await decided
  }

  async #place (key: string, incoming: Incoming, now: number): Promise<number> {
    const placements = this.#placements.get(key) ?? await this.#readBack(incoming)
    const { previous, firstLater } = neighbours(placements, incoming.seq)
    // Never before the author's previous message, even if our own clock went back since.
    const arrived = firstLater === undefined
      ? Math.max(previous ?? 0, now)
      : Math.max(previous ?? 0, Math.min(now, firstLater - 1))
    this.#remember(key, placements, { seq: incoming.seq, arrived })
    return arrived
  }

  #remember (key: string, placements: Placement[], placement: Placement): void {
    // The usual case, the author's next message, is appended in place: no copy, no sort.
    const inOrder = placements.length === 0 || placements[placements.length - 1]!.seq < placement.seq
    const kept = inOrder ? placements : placements.filter(p => p.seq !== placement.seq) // a retried message is placed again
    kept.push(placement)
    if (!inOrder) kept.sort((a, b) => a.seq - b.seq)
    if (kept.length > MAX_PLACEMENTS + TRIM_SLACK) kept.splice(0, kept.length - MAX_PLACEMENTS)
    this.#placements.delete(key)
    this.#placements.set(key, kept)
    if (this.#placements.size > MAX_REMEMBERED) this.#placements.delete(this.#placements.keys().next().value!)
  }

  /** Where the author's stored messages of this conversation are, newest first read, sorted by seq. */
  async #readBack (incoming: Incoming): Promise<Placement[]> {
    const placements: Placement[] = []
    let read = 0
    for await (const m of this.db.messages.values({ gte: `${incoming.conversation}!`, lt: `${incoming.conversation}!\uffff`, reverse: true })) {
      if (++read > MAX_ORDER_SCAN || placements.length >= MAX_PLACEMENTS) break
      if (m.author === incoming.author) placements.push({ seq: m.seq, arrived: arrivalOf(m) })
    }
    return placements.sort((a, b) => a.seq - b.seq)
  }
}

/**
 * The arrivals of the author's message just before `seq` and of the first one after it, in
 * placements sorted by seq: a binary search, since every message of a busy conversation asks.
 */
function neighbours (placements: Placement[], seq: number): { previous: number | undefined, firstLater: number | undefined } {
  let low = 0
  let high = placements.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (placements[middle]!.seq < seq) low = middle + 1
    else high = middle
  }
  const later = placements[low]?.seq === seq ? low + 1 : low
  return { previous: placements[low - 1]?.arrived, firstLater: placements[later]?.arrived }
}
