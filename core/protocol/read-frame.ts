// One protobuf frame read with its faults named: a frame over its bound is FRAME_TOO_LARGE and one
// that does not decode (its length prefix or its bytes) is BAD_FRAME, both the sender's doing (a
// strike, peer-limits.ts); a stream that fails (reset, closed early, aborted, its deadline) throws as
// it failed, nobody's fault. Without this, a handler that maps every read error to BAD_FRAME would
// count a dropped connection (a laptop's lid closed, a Wi-Fi hand-over) against a colleague.
// `frameFault` is the one decision every protocol's reader takes; `strikeIfFrameFault`
// (stream-limiter.ts) acts on it.
import type { ProtobufStream } from '@libp2p/utils'
import type { DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'
import { CausetteError } from '../errors.js'

/** Bounds on a frame's repeated fields, as protons-runtime takes them (`{ conversations: 64 }`). */
export type DecodeLimits<T> = DecodeOptions<T>['limits']

/** A generated codec's decoder (wire.ts, photo.ts, presence.ts...). */
export interface FrameDecoder<T> { decode: (bytes: Uint8Array | Uint8ArrayList, options?: DecodeOptions<T>) => T }

/** Whether a length-prefixed read failed on a frame, or its prefix, longer than the bound. */
export function isOversizedFrame (error: unknown): boolean {
  const name = (error as Error | undefined)?.name
  return name === 'InvalidDataLengthError' || name === 'InvalidDataLengthLengthError'
}

/** Whether a length-prefixed read failed on a prefix that is no length (a negative one). */
function isMalformedPrefix (error: unknown): boolean {
  return (error as Error | undefined)?.name === 'InvalidMessageLengthError'
}

/** Decodes one frame's bytes as `codec`; bytes that do not decode (or break `limits`) are BAD_FRAME. */
export function decodeFrame<T> (codec: FrameDecoder<T>, bytes: Uint8Array | Uint8ArrayList, what: string, limits?: DecodeLimits<T>): T {
  try {
    return codec.decode(bytes, limits === undefined ? undefined : { limits })
  } catch {
    throw new CausetteError('BAD_FRAME', `an undecodable ${what}`)
  }
}

/** The fault a length-prefixed read of a `what` failed on, coded; any other error as it is. */
export function namedReadError (error: unknown, what: string): unknown {
  if (isOversizedFrame(error)) return new CausetteError('FRAME_TOO_LARGE', `a ${what} over its size bound`)
  if (isMalformedPrefix(error)) return new CausetteError('BAD_FRAME', `a ${what} whose length prefix does not decode`)
  return error
}

/** Reads the next frame of `pb` as `codec`; `what` names it in the error ("photo answer"). */
export async function readFrame<T> (pb: Pick<ProtobufStream, 'read'>, codec: FrameDecoder<T>, what: string, options: { signal: AbortSignal, limits?: DecodeLimits<T> }): Promise<T> {
  const decoder = { decode: (bytes: Uint8Array | Uint8ArrayList): T => decodeFrame(codec, bytes, what, options.limits) }
  try {
    return await pb.read(decoder, { signal: options.signal })
  } catch (error) {
    throw namedReadError(error, what)
  }
}

/**
 * The sender's fault a failed read names: a frame out of bounds or undecodable, as readFrame,
 * decodeFrame and namedReadError throw it (or a length-prefix error read without them). Undefined
 * for a stream that failed, which nobody is to blame for.
 */
export function frameFault (error: unknown): CausetteError | undefined {
  if (error instanceof CausetteError) return error.code === 'BAD_FRAME' || error.code === 'FRAME_TOO_LARGE' ? error : undefined
  const named = namedReadError(error, 'frame')
  return named instanceof CausetteError ? named : undefined
}
