// Bytes that peers made us buffer and that our handlers have not read yet, per peer and in total
// (docs/SECURITY.md, "Stalled streams"). A paused stream still takes what its sender had in flight,
// and a new stream comes with a fresh yamux window, so pausing alone bounds one stream, never a peer
// with many streams or many identities. Hence a budget: a peer over its share has the stream that
// took it over aborted; a node over its total drops the streams of the peer that holds the most,
// until it is back under. A member that holds little is never the one dropped.

/** A stream whose unread bytes the budget counts: a ReadGate. */
export interface BudgetedStream {
  /** What it has been charged and not released: bytes unread, and while paused all it may still hold. */
  readonly held: number
  abort: (error: Error) => void
}

export interface UnreadBudgetInit {
  /** Unread bytes one peer may hold across its streams and connections. */
  perPeerBytes?: number
  /** Unread bytes all peers together may hold. */
  totalBytes?: number
}

/** What the budget counts, for logs and tests. */
export interface UnreadCounts {
  /** Unread bytes held now, all peers together. */
  bufferedBytes: number
  /** The most ever held at once. */
  peakBufferedBytes: number
  /** Streams aborted to stay within the budget. */
  streamsDropped: number
}

/**
 * A peer's share: a fast sender's four message streams (a connection's most), each paused at up to
 * 1.5 MiB unread with a 1 MiB window still granted, a carry stream the same, and room to spare. A
 * paused stream counts its window (receive-window.ts): at 8 MiB, a member flooding valid messages on
 * four streams was dropped (9.4 MB counted at its peak).
 */
export const UNREAD_BYTES_PER_PEER = 16 * 1024 * 1024
/** All peers together: a handful of flooding identities, then the largest holder goes first. */
export const UNREAD_BYTES_TOTAL = 32 * 1024 * 1024

export class UnreadBudgetError extends Error {
  override name = 'UnreadBudgetError'
}

interface PeerHold { bytes: number, streams: Set<BudgetedStream> }

export class UnreadBudget {
  readonly counts: UnreadCounts = { bufferedBytes: 0, peakBufferedBytes: 0, streamsDropped: 0 }
  readonly #perPeer: number
  readonly #total: number
  readonly #peers = new Map<string, PeerHold>()

  constructor (init: UnreadBudgetInit = {}) {
    this.#perPeer = init.perPeerBytes ?? UNREAD_BYTES_PER_PEER
    this.#total = init.totalBytes ?? UNREAD_BYTES_TOTAL
  }

  /** Starts counting `stream` of `peer`; its bytes are `charged` and `released` as they come and go. */
  add (peer: string, stream: BudgetedStream): void {
    const hold = this.#peers.get(peer) ?? { bytes: 0, streams: new Set() }
    hold.streams.add(stream)
    this.#peers.set(peer, hold)
  }

  /** Stops counting `stream` (it closed or was aborted): what it still held is released. */
  remove (peer: string, stream: BudgetedStream): void {
    const hold = this.#peers.get(peer)
    if (hold?.streams.delete(stream) !== true) return
    this.#adjust(hold, -stream.held)
    if (hold.streams.size === 0) this.#peers.delete(peer)
  }

  /** `bytes` arrived on `stream`; it, or the largest holder, is aborted if that breaks the budget. */
  charged (peer: string, stream: BudgetedStream, bytes: number): void {
    const hold = this.#peers.get(peer)
    if (hold === undefined || !hold.streams.has(stream)) return
    this.#adjust(hold, bytes)
    if (hold.bytes > this.#perPeer) this.#drop(peer, stream, `more than ${this.#perPeer} unread bytes from one peer`)
    while (this.counts.bufferedBytes > this.#total && this.#peers.size > 0) {
      const [largest, largestHold] = [...this.#peers].reduce((a, b) => b[1].bytes > a[1].bytes ? b : a)
      for (const held of [...largestHold.streams]) this.#drop(largest, held, `the node holds more than ${this.#total} unread bytes`)
    }
  }

  released (peer: string, stream: BudgetedStream, bytes: number): void {
    const hold = this.#peers.get(peer)
    if (hold !== undefined && hold.streams.has(stream)) this.#adjust(hold, -bytes)
  }

  #adjust (hold: PeerHold, bytes: number): void {
    hold.bytes += bytes
    this.counts.bufferedBytes += bytes
    this.counts.peakBufferedBytes = Math.max(this.counts.peakBufferedBytes, this.counts.bufferedBytes)
  }

  #drop (peer: string, stream: BudgetedStream, why: string): void {
    this.remove(peer, stream)
    this.counts.streamsDropped++
    stream.abort(new UnreadBudgetError(why))
  }
}
