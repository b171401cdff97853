// Inbound streams still negotiating their protocol (multistream-select, libp2p's `mss.handle`, before
// any handler of ours sees them), at most MAX_NEGOTIATING_STREAMS at once from one peer, over all its
// connections. What arrives on such a stream sits in the negotiation's reader, up to 4 MiB, uncounted
// by the unread budget (read-gate.ts), for as long as the negotiation lasts: a peer that never reads
// the answers stalls it until libp2p's timeout. A stream beyond the bound is aborted as it opens,
// before libp2p reads a byte of it, and the refusal is a strike against the peer: a burst of them
// cuts it off (peer-limits.ts). docs/SECURITY.md, "Stalled streams".
import type { Connection, Libp2p, Stream, StreamMuxer, StreamMuxerFactory } from '@libp2p/interface'
import { MAX_NEGOTIATING_STREAMS } from './limits.js'

export class TooManyNegotiatingStreamsError extends Error {
  override name = 'TooManyNegotiatingStreamsError'
}

/** What the bound did, for logs and tests. */
export interface NegotiationCounts {
  /** Inbound streams aborted as they opened, their peer at the bound. */
  refused: number
  /** The most inbound streams negotiating at once from one peer (or on one connection, before attach), a new one included. */
  mostAtOnce: number
}

/** What a refusal is charged to its peer as (a strike, peer-limits.ts). */
export const NEGOTIATION_REFUSED = 'TOO_MANY_NEGOTIATING'

/**
 * The bound and its counts. Attached to the host, it counts a peer's streams over all its
 * connections and charges each refusal to the peer; until then, or while a muxer's connection is not
 * yet the host's, a connection is counted alone.
 */
export class NegotiationBound {
  #host: Pick<Libp2p, 'getConnections'> | undefined
  /** A muxer's connection, found once among the host's by a stream it holds. */
  readonly #connections = new WeakMap<StreamMuxer, Connection>()

  constructor (
    readonly counts: NegotiationCounts,
    private readonly strike: (peer: string, code: string, message: string) => void = () => {},
    readonly max = MAX_NEGOTIATING_STREAMS
  ) {}

  attach (host: Pick<Libp2p, 'getConnections'>): void {
    this.#host = host
  }

  /** Admits a new inbound `stream` of `muxer`, or stops its event and aborts it. */
  admit (muxer: StreamMuxer, event: CustomEvent<Stream>): void {
    const stream = event.detail
    const connection = this.#connectionOf(muxer, stream)
    const streams = connection === undefined ? muxer.streams : this.#peerStreams(connection)
    const negotiating = negotiatingBesides(streams, stream)
    if (negotiating < this.max) {
      this.counts.mostAtOnce = Math.max(this.counts.mostAtOnce, negotiating + 1)
      return
    }
    this.counts.refused++
    event.stopImmediatePropagation()
    const error = new TooManyNegotiatingStreamsError(`more than ${this.max} inbound streams negotiating their protocol at once from one peer`)
    stream.abort(error)
    if (connection !== undefined) this.strike(connection.remotePeer.toString(), NEGOTIATION_REFUSED, error.message)
  }

  /** The streams of every connection to `connection`'s peer (the connection's own, should the host be gone). */
  #peerStreams (connection: Connection): Stream[] {
    const connections = this.#host?.getConnections(connection.remotePeer) ?? [connection]
    return connections.flatMap(open => open.streams)
  }

  #connectionOf (muxer: StreamMuxer, stream: Stream): Connection | undefined {
    let connection = this.#connections.get(muxer)
    if (connection === undefined) {
      // The muxer lists the new stream before it tells its listeners; libp2p's Connection lists the muxer's streams.
      connection = this.#host?.getConnections().find(open => open.streams.includes(stream))
      if (connection !== undefined) this.#connections.set(muxer, connection)
    }
    return connection
  }
}

/** Wraps a muxer (yamux) so that each connection's muxer lets `bound` admit or refuse every inbound stream first. */
export function limitNegotiations<Components> (
  muxer: (components: Components) => StreamMuxerFactory,
  bound: NegotiationBound
): (components: Components) => StreamMuxerFactory {
  return (components) => {
    const factory = muxer(components)
    return {
      protocol: factory.protocol,
      createStreamMuxer: (maConn) => {
        const made = factory.createStreamMuxer(maConn)
        listenFirst(made, (event) => { bound.admit(made, event) })
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

/** Inbound streams among `streams` other than `stream` whose protocol is not chosen yet (libp2p names it once negotiated). */
function negotiatingBesides (streams: Stream[], stream: Stream): number {
  let count = 0
  for (const other of streams) {
    if (other !== stream && other.direction === 'inbound' && other.protocol === '') count++
  }
  return count
}
