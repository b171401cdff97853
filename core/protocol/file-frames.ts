// What both sides of /causette/file/1.0.0 agree on besides the generated frames: a refusal frame
// from an error, and the coded error a refusal frame stands for.
import { reader, writer } from 'protons-runtime'
import { Uint8ArrayList } from 'uint8arraylist'
import { CausetteError, codedError, ERROR_CODES, type ErrorCode } from '../errors.js'
import type { FileFrame } from './file.js'

/** The codes a holder may refuse with; any other is taken as a bad frame. */
const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES)

/** The refusal frame that answers `error`: its own code, else a bad or oversized frame. */
export function refusalFrame (error: unknown): FileFrame {
  const coded = codedError(error)
  if (coded !== undefined) return { refusal: { code: coded.code, message: coded.message } }
  const name = (error as Error | undefined)?.name
  const tooLarge = name === 'InvalidDataLengthError' || name === 'InvalidDataLengthLengthError'
  return { refusal: { code: 'TRANSFER_BAD_FRAME', message: tooLarge ? 'a request frame over its size limit' : 'an undecodable request frame' } }
}

/** The error a holder's refusal stands for (its message cut short: it is the peer's text). */
export function refusalError (refusal: { code: string, message: string }): CausetteError {
  const code = KNOWN_CODES.has(refusal.code) ? refusal.code as ErrorCode : 'TRANSFER_BAD_FRAME'
  return new CausetteError(code, `the holder refused: ${refusal.message.slice(0, 200)}`)
}

export function transferError (code: ErrorCode, message: string): CausetteError {
  return new CausetteError(code, message)
}

/**
 * A chunk frame with its length prefix, as lpStream would write FileFrame.encode({ chunk }), with the
 * chunk's bytes referenced rather than copied: protons would copy every chunk into a new buffer. The
 * heads go in one buffer before it: below, each buffer of a message is a cipher update of its own and,
 * on a socket with nothing queued, a write system call of its own (@libp2p/tcp writes them one by one).
 */
export function chunkFrame (index: number, data: Uint8Array): Uint8ArrayList {
  const chunkHead = writer().uint32(0x08).uint32(index).uint32(0x12).uint32(data.byteLength).finish() // index = 1, data = 2
  const chunkBytes = chunkHead.byteLength + data.byteLength
  const frameHead = writer().uint32(0x1a).uint32(chunkBytes).finish() // FileFrame.chunk = 3
  const prefix = writer().uint32(frameHead.byteLength + chunkBytes).finish()
  const heads = new Uint8Array(prefix.byteLength + frameHead.byteLength + chunkHead.byteLength)
  heads.set(prefix)
  heads.set(frameHead, prefix.byteLength)
  heads.set(chunkHead, prefix.byteLength + frameHead.byteLength)
  return new Uint8ArrayList(heads, data)
}

/** Enough bytes for the heads of a chunk frame: three tags and three varints of at most 5 bytes. */
export const CHUNK_HEADS_BYTES = 18

/**
 * The chunk of a frame (its length prefix removed) encoded as chunkFrame writes it, the data a view
 * of the frame's own buffers: FileFrame.decode would first copy the whole frame into one buffer.
 * Undefined for any other frame, which FileFrame.decode reads (a refusal, or another encoding of a
 * chunk: the result is the same, a fuzz property checks it).
 */
export function chunkOfFrame (frame: Uint8ArrayList): { index: number, data: Uint8ArrayList } | undefined {
  const heads = reader(frame.subarray(0, Math.min(frame.byteLength, CHUNK_HEADS_BYTES)))
  try {
    if (heads.uint32() !== 0x1a) return undefined // FileFrame.chunk = 3, length-delimited
    if (heads.uint32() !== frame.byteLength - heads.pos) return undefined
    if (heads.uint32() !== 0x08) return undefined // FileChunk.index = 1
    const index = heads.uint32()
    if (heads.uint32() !== 0x12) return undefined // FileChunk.data = 2
    if (heads.uint32() !== frame.byteLength - heads.pos) return undefined
    return { index, data: frame.sublist(heads.pos) }
  } catch {
    return undefined // heads cut short: not a chunk frame of ours
  }
}
