// Inbound streams still negotiating their protocol (multistream-select, libp2p's `mss.handle`, before
// any handler of ours sees them), at most MAX_NEGOTIATING_STREAMS at once on one connection. What
// arrives on such a stream sits in the negotiation's reader, up to 4 MiB, uncounted by the unread
// budget (read-gate.ts), for as long as the negotiation lasts: a peer that never reads the answers
// stalls it until libp2p's timeout. A stream beyond the bound is aborted as it opens, before libp2p
// reads a byte of it (docs/SECURITY.md, "Stalled streams").
import type { Stream, StreamMuxer, StreamMuxerFactory } from '@libp2p/interface'
import { MAX_NEGOTIATING_STREAMS } from './limits.js'

export class TooManyNegotiatingStreamsError extends Error {
  override name = 'TooManyNegotiatingStreamsError'
}

/** What the bound did, for logs and tests. */
export interface NegotiationCounts {
  /** Inbound streams aborted as they opened, their connection at the bound. */
  refused: number
  /** The most inbound streams negotiating at once on one connection, a new one included. */
  mostAtOnce: number
}

/** Wraps a muxer (yamux) so that each connection's muxer refuses inbound streams beyond `max` negotiating at once. */
export function limitNegotiations<Components> (
  muxer: (components: Components) => StreamMuxerFactory,
  counts: NegotiationCounts,
  max = MAX_NEGOTIATING_STREAMS
): (components: Components) => StreamMuxerFactory {
  return (components) => {
    const factory = muxer(components)
    return {
      protocol: factory.protocol,
      createStreamMuxer: (maConn) => {
        const made = factory.createStreamMuxer(maConn)
        listenFirst(made, (event) => { admitNegotiation(made, event, counts, max) })
        return made
      }
    }
  }
}

/**
 * Adds `listener` for new streams right before the first other one (libp2p's Connection, made
 * after the muxer), so that it runs first and a stream it aborts goes no further. Not when the muxer
 * is made: a muxer with a listener dispatches a new stream at once, so a stream that arrived before
 * the Connection listens would reach ours alone and never be negotiated; with none, the muxer keeps
 * it and hands it to the listeners when the first one comes.
 */
function listenFirst (muxer: StreamMuxer, listener: (event: CustomEvent<Stream>) => void): void {
  const addListener = muxer.addEventListener.bind(muxer)
  let listening = false
  const add: typeof muxer.addEventListener = (type, other, options) => {
    if (type === 'stream' && !listening) {
      listening = true
      addListener('stream', listener)
    }
    addListener(type, other, options)
  }
  muxer.addEventListener = add
}

function admitNegotiation (muxer: StreamMuxer, event: CustomEvent<Stream>, counts: NegotiationCounts, max: number): void {
  const stream = event.detail
  const negotiating = negotiatingBesides(muxer, stream)
  if (negotiating < max) {
    counts.mostAtOnce = Math.max(counts.mostAtOnce, negotiating + 1)
    return
  }
  counts.refused++
  event.stopImmediatePropagation()
  stream.abort(new TooManyNegotiatingStreamsError(`more than ${max} inbound streams negotiating their protocol on one connection`))
}

/** Inbound streams of `muxer` other than `stream` whose protocol is not chosen yet (libp2p names it once negotiated). */
function negotiatingBesides (muxer: StreamMuxer, stream: Stream): number {
  let count = 0
  for (const other of muxer.streams) {
    if (other !== stream && other.direction === 'inbound' && other.protocol === '') count++
  }
  return count
}
