// One protobuf frame read with its faults named: a frame over its bound is FRAME_TOO_LARGE and one
// that does not decode is BAD_FRAME, both the sender's doing (a strike, peer-limits.ts); a stream
// that fails (reset, closed, its deadline) throws as it failed, nobody's fault. Without this, a
// handler that maps every read error to BAD_FRAME would count a dropped connection against a peer.
import type { Stream } from '@libp2p/interface'
import type { ProtobufStream } from '@libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'
import { CausetteError } from '../errors.js'

/** A generated codec's decoder (wire.ts, photo.ts, presence.ts...). */
export interface FrameDecoder<T> { decode: (bytes: Uint8Array | Uint8ArrayList) => T }

/** Whether a length-prefixed read failed on a frame, or its prefix, longer than the bound. */
export function isOversizedFrame (error: unknown): boolean {
  const name = (error as Error).name
  return name === 'InvalidDataLengthError' || name === 'InvalidDataLengthLengthError'
}

/** Reads the next frame of `pb` as `codec`; `what` names it in the error ("photo answer"). */
export async function readFrame<T> (pb: ProtobufStream<Stream>, codec: FrameDecoder<T>, what: string, options: { signal: AbortSignal }): Promise<T> {
  const decoder = {
    decode: (bytes: Uint8Array | Uint8ArrayList): T => {
      try {
        return codec.decode(bytes)
      } catch {
        throw new CausetteError('BAD_FRAME', `an undecodable ${what}`)
      }
    }
  }
  try {
    return await pb.read(decoder, options)
  } catch (error) {
    if (isOversizedFrame(error)) throw new CausetteError('FRAME_TOO_LARGE', `a ${what} over its size bound`)
    throw error
  }
}
