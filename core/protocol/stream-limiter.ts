// Per-peer limits at the door of every causette protocol: `limitStreams` wraps a libp2p stream
// handler so that a stream opened beyond the peer's rate for that protocol (or during its
// cool-down) is aborted unread, counted, and counted against the peer (peer-limits.ts). Every
// stream it lets in gets a `ReadGate` (read-gate.ts) when its handler starts reading: its unread
// bytes count against the peer's share and the node's total, the sender feels "stop reading" as
// backpressure, and the stream is ended when they sit untouched.
// A read of such a stream that fails on a bad frame counts against the peer (`strikeIfFrameFault`;
// `readRequest` reads a request/answer stream's one request so); one that fails with the stream
// (reset, closed early, a deadline) does not.
//
//   await host.handle(PROTOCOL, limitStreams(handler, { protocol: PROTOCOL, limits: host.services.limits }))
//
// Not libp2p's stream middleware (`libp2p.use`): in libp2p 3.3 the registrar hands out its stored
// middleware array and each inbound stream appends the handler to it, so handlers pile up.
import type { Stream, StreamHandler } from '@libp2p/interface'
import type { ProtobufStream } from '@libp2p/utils'
import type { CausetteError } from '../errors.js'
import { MAX_UNREAD_BYTES_PER_STREAM } from './limits.js'
import { frameFault, readFrame, type DecodeLimits, type FrameDecoder } from './read-frame.js'
import { gateWhenRead, ReadGate } from './read-gate.js'
import type { PeerLimits } from './peer-limits.js'

export interface LimitStreamsOptions {
  /** The protocol the handler serves: each has its own bucket per peer. */
  protocol: string
  limits: Pick<PeerLimits, 'admitStream'> & Partial<Pick<PeerLimits, 'unread' | 'strike'>>
}

/** Wraps a handler of `protocol` with the node's limits: how the node hands them to the services that register handlers. */
export type HandlerLimit = (protocol: string, handler: StreamHandler) => StreamHandler

/** Who a bad frame on a stream `limitStreams` let in counts against: its peer. */
const strikers = new WeakMap<Stream, (fault: CausetteError) => void>()

export function limitStreams (handler: StreamHandler, options: LimitStreamsOptions): StreamHandler {
  const { limits } = options
  return (stream, connection) => {
    const peer = connection.remotePeer.toString()
    const refusal = limits.admitStream(peer, options.protocol)
    if (refusal !== undefined) {
      stream.abort(refusal)
      return
    }
    gateWhenRead(stream, () => new ReadGate(stream, MAX_UNREAD_BYTES_PER_STREAM, limits.unread === undefined ? {} : { budget: { unread: limits.unread, peer } }))
    if (limits.strike !== undefined) strikers.set(stream, fault => { limits.strike?.(peer, fault.code, fault.message) })
    return handler(stream, connection)
  }
}

/**
 * After a read of `stream` failed: a frame's fault (read-frame.ts, `frameFault`) is struck against
 * the peer that sent it, if `limitStreams` let the stream in, and returned to be answered. A stream
 * that failed is nobody's fault: a debug line (DEBUG=libp2p:*), and undefined.
 */
export function strikeIfFrameFault (stream: Stream, error: unknown): CausetteError | undefined {
  const fault = frameFault(error)
  if (fault === undefined) stream.log('no strike, not a bad frame: %s', (error as Error | undefined)?.message ?? String(error))
  else strikers.get(stream)?.(fault)
  return fault
}

/** The one request of a request/answer stream, or the frame's fault that its listener answers. */
export type RequestRead<T> = { request: T } | { fault: CausetteError }

/**
 * Reads the one request of `stream` as `codec` (readFrame): a frame's fault is struck against the
 * peer (`strikeIfFrameFault`) and returned for the listener to answer with its code; a stream that
 * failed throws as it failed, with nobody to answer.
 */
export async function readRequest<T> (stream: Stream, pb: Pick<ProtobufStream, 'read'>, codec: FrameDecoder<T>, what: string, options: { signal: AbortSignal, limits?: DecodeLimits<T> }): Promise<RequestRead<T>> {
  try {
    return { request: await readFrame(pb, codec, what, options) }
  } catch (error) {
    const fault = strikeIfFrameFault(stream, error)
    if (fault === undefined) throw error
    return { fault }
  }
}
