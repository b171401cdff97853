// The dialer side of every request/answer protocol: open a stream on the connection, exchange frames
// under one deadline, close it; on any failure (a refusal, a timeout, a bad frame) abort it, so
// that neither side waits on a stream nobody reads.
import type { Connection, Stream } from '@libp2p/interface'
import { pbStream, type ProtobufStream } from '@libp2p/utils'
import { frameOptions } from './length-prefix.js'

export interface AskOptions {
  timeoutMs: number
  /** The largest frame either side may send. */
  maxFrameBytes: number
  /** After our close: wait for what the protocol needs (the listener's own close, for one). */
  afterClose?: (stream: Stream, signal: AbortSignal) => Promise<void>
}

/** Runs `exchange` over a new `protocol` stream on `connection`; resolves with its result once the stream is closed. */
export async function ask<T> (connection: Connection, protocol: string, options: AskOptions, exchange: (pb: ProtobufStream<Stream>, signal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(options.timeoutMs)
  const stream = await connection.newStream(protocol, { signal })
  try {
    const result = await exchange(pbStream(stream, frameOptions(options.maxFrameBytes)), signal)
    await stream.close({ signal })
    await options.afterClose?.(stream, signal)
    return result
  } catch (error) {
    stream.abort(error as Error)
    throw error
  }
}
