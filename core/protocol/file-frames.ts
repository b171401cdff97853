// What both sides of /causette/file/1.0.0 agree on besides the generated frames: a refusal frame
// from an error, and the coded error a refusal frame stands for.
import { writer } from 'protons-runtime'
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
 * chunk's bytes referenced rather than copied: protons would copy every chunk into a new buffer.
 */
export function chunkFrame (index: number, data: Uint8Array): Uint8ArrayList {
  const chunkHead = writer().uint32(0x08).uint32(index).uint32(0x12).uint32(data.byteLength).finish() // index = 1, data = 2
  const chunkBytes = chunkHead.byteLength + data.byteLength
  const frameHead = writer().uint32(0x1a).uint32(chunkBytes).finish() // FileFrame.chunk = 3
  const prefix = writer().uint32(frameHead.byteLength + chunkBytes).finish()
  return new Uint8ArrayList(prefix, frameHead, chunkHead, data)
}
