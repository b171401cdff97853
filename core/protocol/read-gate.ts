// Backpressure and accounting on the reading side of a stream that `limitStreams` let in
// (stream-limiter.ts): a `ReadGate` pauses the sender while too much sits unread, counts what is
// unread against the peer's share and the node's total (unread-budget.ts), and ends the stream when
// those bytes sit untouched. Handlers report what they read through `readGateOf` (framed-stream.ts
// does it for request/answer protocols).
//
// Bytes that reach a stream before its handler starts reading are counted only then, when the
// gate is made (see `gates`). Until then what bounds them is libp2p's, not ours: yamux grants a
// stream that is not paused more window as bytes arrive, read or not, so its window bounds nothing
// here; a stream whose buffer passes 4 MiB (4,194,304 bytes: its `maxReadBufferLength`, and the
// protocol negotiation's reader's `maxBufferSize` before it) is aborted; a connection has at most
// MAX_STREAMS_PER_CONNECTION (128) inbound streams; and a negotiation lasts 5 s at most
// (p2p-host.ts). Our handlers start reading as they are called, but a peer that stalls the
// negotiation holds what it sends in the negotiation's reader for those 5 s, uncounted: at most
// MAX_NEGOTIATING_STREAMS (32) such streams a connection (negotiation-limit.ts), 32 x 4 MiB
// (128 MiB), where 128 x 4 MiB (512 MiB) were possible before: docs/SECURITY.md, "Stalled streams".
import type { Stream } from '@libp2p/interface'
import { receiveWindowLeft } from './receive-window.js'
import type { BudgetedStream, UnreadBudget } from './unread-budget.js'

/**
 * The gates of the streams `limitStreams` let in (`gateWhenRead`), made when the handler starts reading. Not before:
 * a libp2p stream buffers what arrives only while nobody listens for 'message' and dispatches it to
 * the listeners it has, so a gate listening before the handler's reader (a handler that awaits
 * first, as `membersOnly` may) would take the first frame from it, and the handler would wait for
 * it for ever.
 */
const gates = new WeakMap<Stream, ReadGate | (() => ReadGate)>()

/** The stream's gate, attached now if it was not yet: call it right before the reader is made. */
export function readGateOf (stream: Stream): ReadGate | undefined {
  const gate = gates.get(stream)
  if (typeof gate !== 'function') return gate
  const made = gate()
  gates.set(stream, made)
  return made
}

/** Gives `stream` the gate `make` makes, once its handler starts reading (`readGateOf`). */
export function gateWhenRead (stream: Stream, make: () => ReadGate): void {
  gates.set(stream, make)
}

export interface ReadGateOptions {
  /** Counts this stream's unread bytes against its peer's share and the node's total (unread-budget.ts). */
  budget?: { unread: UnreadBudget, peer: string }
  /** Unread bytes that the reader has not touched for this long, while not waiting by our choice, abort the stream. */
  stallMs?: number
}

/** A sender that stops in the middle of a frame, or whose frames we hold unread, is let go after this. */
export const STALLED_STREAM_MS = 30_000

export class StalledStreamError extends Error {
  override name = 'StalledStreamError'
}

/**
 * Real backpressure on a stream read through libp2p's length-prefixed helpers, which take in all
 * that arrives: the stream is paused (yamux then grants the sender no more window, so it stops
 * sending) while more than `maxUnreadBytes` arrived unread, and while the reader waits its turn; it
 * resumes once the reader has caught up to half that. `maxUnreadBytes / 2` must exceed the largest
 * frame, or a reader waiting for the rest of a frame would never get it. Bytes that sit unread
 * while the reader is not waiting (a sender stalled mid-frame) abort the stream after `stallMs`.
 * While paused, libp2p keeps what arrives in the stream's buffer with no event: the budget is
 * charged at the pause with all the stream may hold before it resumes (receive-window.ts).
 */
export class ReadGate implements BudgetedStream {
  readonly #stream: Stream
  #maxUnread: number
  readonly #budget: ReadGateOptions['budget']
  readonly #stallMs: number
  #received = 0
  #consumed = 0
  /** Charged while paused: what the stream's buffer held at the pause and its sender may still send. */
  #reserved = 0
  #waiting = 0
  #scheduled = false
  #stallTimer: ReturnType<typeof setTimeout> | undefined

  constructor (stream: Stream, maxUnreadBytes: number, options: ReadGateOptions = {}) {
    this.#stream = stream
    this.#maxUnread = maxUnreadBytes
    this.#budget = options.budget
    this.#stallMs = options.stallMs ?? STALLED_STREAM_MS
    this.#budget?.unread.add(this.#budget.peer, this)
    stream.addEventListener('message', event => {
      this.#received += event.data.byteLength
      this.#budget?.unread.charged(this.#budget.peer, this, event.data.byteLength)
      this.#watchForStall(false)
      // Not from inside the dispatch: resume() dispatches the buffer first and un-pauses yamux after.
      if (!this.#scheduled) { this.#scheduled = true; queueMicrotask(() => { this.#scheduled = false; this.#update() }) }
    })
    stream.addEventListener('close', () => {
      clearTimeout(this.#stallTimer)
      this.#budget?.unread.remove(this.#budget.peer, this)
    })
  }

  /** Bytes received (dispatched to the reader) and not read yet. */
  get unread (): number { return this.#received - this.#consumed }

  get held (): number { return this.unread + this.#reserved }

  abort (error: Error): void {
    clearTimeout(this.#stallTimer)
    this.#stream.abort(error)
  }

  /** The reader reads frames of up to `bytes` (prefix included): the stream must not pause before one has arrived whole. */
  expectFrames (bytes: number): void {
    this.#maxUnread = Math.max(this.#maxUnread, 2 * bytes + 1)
    this.#update()
  }

  /** The reader took a frame of `bytes`, length prefix included. */
  consumed (bytes: number): void {
    this.#consumed += bytes
    this.#budget?.unread.released(this.#budget.peer, this, bytes)
    this.#watchForStall(true)
    this.#update()
  }

  /** Keeps the stream paused until `wait` settles; resolves or rejects as it does. */
  async wait<T> (wait: Promise<T>): Promise<T> {
    this.#waiting++
    this.#watchForStall(true)
    this.#update()
    try {
      return await wait
    } finally {
      this.#waiting--
      this.#watchForStall(true)
      this.#update()
    }
  }

  /** (Re)arms the stall timer while bytes sit unread and the reader is not waiting; `progress` restarts it. */
  #watchForStall (progress: boolean): void {
    const stalled = this.unread > 0 && this.#waiting === 0
    if (!stalled || progress) {
      clearTimeout(this.#stallTimer)
      this.#stallTimer = undefined
    }
    if (!stalled || this.#stallTimer !== undefined) return
    this.#stallTimer = setTimeout(() => {
      this.abort(new StalledStreamError(`${this.unread} bytes unread for ${this.#stallMs} ms: the sender stopped mid-frame`))
    }, this.#stallMs)
    this.#stallTimer.unref?.()
  }

  #update (): void {
    const unread = this.#received - this.#consumed
    const status = this.#stream.readStatus
    if (status === 'readable' && (this.#waiting > 0 || unread > this.#maxUnread)) this.#pause()
    else if (status === 'paused' && this.#waiting === 0 && unread <= this.#maxUnread / 2) this.#resume()
  }

  /** Pauses the stream and charges at once the most it may hold before it resumes: over the budget, it (or the largest holder) is dropped now. */
  #pause (): void {
    this.#stream.pause() // first: from now on yamux grants no window, so what is left of it is final
    this.#reserved = this.#stream.readBufferLength + receiveWindowLeft(this.#stream)
    this.#budget?.unread.charged(this.#budget.peer, this, this.#reserved)
  }

  /** Releases the reservation: resume() then dispatches what the buffer held, and it is charged as it is received. */
  #resume (): void {
    this.#budget?.unread.released(this.#budget.peer, this, this.#reserved)
    this.#reserved = 0
    this.#stream.resume()
  }
}
