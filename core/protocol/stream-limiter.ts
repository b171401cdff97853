// Per-peer limits at the door of every causette protocol: `limitStreams` wraps a libp2p stream
// handler so that a stream opened beyond the peer's rate for that protocol (or during its
// cool-down) is aborted unread, counted, and counted against the peer (peer-limits.ts).
//
//   await host.handle(PROTOCOL, limitStreams(handler, { protocol: PROTOCOL, limits: host.services.limits }))
//
// Not libp2p's stream middleware (`libp2p.use`): in libp2p 3.3 the registrar hands out its stored
// middleware array and each inbound stream appends the handler to it, so handlers pile up.
import type { Stream, StreamHandler } from '@libp2p/interface'
import type { PeerLimits } from './peer-limits.js'

export interface LimitStreamsOptions {
  /** The protocol the handler serves: each has its own bucket per peer. */
  protocol: string
  limits: PeerLimits
}

/** Wraps a handler of `protocol` with the node's limits: how the node hands them to the services that register handlers. */
export type HandlerLimit = (protocol: string, handler: StreamHandler) => StreamHandler

export function limitStreams (handler: StreamHandler, options: LimitStreamsOptions): StreamHandler {
  return (stream, connection) => {
    const refusal = options.limits.admitStream(connection.remotePeer.toString(), options.protocol)
    if (refusal !== undefined) {
      stream.abort(refusal)
      return
    }
    return handler(stream, connection)
  }
}

/**
 * Stops reading `stream` until `wait` settles: libp2p stops granting the sender window, so it stops
 * sending (backpressure) instead of filling our buffers. Resolves or rejects as `wait` does.
 */
export async function pausedWhile<T> (stream: Stream, wait: Promise<T>): Promise<T> {
  if (stream.readStatus === 'readable') stream.pause()
  try {
    return await wait
  } finally {
    if (stream.readStatus === 'paused') stream.resume()
  }
}
