// /causette/photo/1.0.0 on the wire (members only): the dialer asks for the photo a member's signed
// presence named, by its SHA-256; the listener answers the photo (type and bytes) or a refusal
// (NOT_FOUND: it holds no photo with that hash now; INTERNAL or STORAGE_UNAVAILABLE: it could not
// read it), then both close. Every frame is bounded (MAX_PHOTO_REQUEST_BYTES, MAX_PHOTO_FRAME_BYTES).
// The protocol only moves bytes: the requester checks them against the announcement
// (core/profile/peer-photos.ts), and `photoFault` says which failures were the listener's doing.
import type { Connection, Stream } from '@libp2p/interface'
import type { ProtobufStream } from '@libp2p/utils'
import { CausetteError, codedError, ERROR_CODES, type ErrorCode } from '../errors.js'
import { ask } from './ask.js'
import { framedStream } from './framed-stream.js'
import { MAX_PHOTO_FRAME_BYTES, MAX_PHOTO_REQUEST_BYTES, PHOTO_TIMEOUT_MS } from './limits.js'
import { PhotoAnswer, PhotoRequest } from './photo.js'
import { PHOTO_PROTOCOL } from './protocol-ids.js'
import { readFrame } from './read-frame.js'
import { readRequest } from './stream-limiter.js'
import { refusalOf, RETRY_LATER } from './refusal.js'

/** A photo as it travels: its declared type and its bytes, unchecked. */
export interface PhotoBytes { type: string, bytes: Uint8Array }

/** What the listener gives: our photo if its SHA-256 is `sha256`, else undefined. */
export type PhotoSource = (sha256: Uint8Array) => Promise<PhotoBytes | undefined>

const SHA256_BYTES = 32

/** Refusals an honest listener gives: its photo changed since it was announced, or it cannot read it now. */
const HONEST_REFUSALS: ReadonlySet<string> = new Set(['NOT_FOUND', ...RETRY_LATER])

function refusal (error: unknown): PhotoAnswer {
  const { code, message } = refusalOf(error)
  return { type: '', photo: new Uint8Array(0), errorCode: code, errorMessage: message }
}

async function answerFor (request: PhotoRequest, source: PhotoSource): Promise<PhotoAnswer> {
  if (request.sha256.length !== SHA256_BYTES) throw new CausetteError('BAD_FRAME', 'a photo request names a 32-byte SHA-256')
  const photo = await source(request.sha256)
  if (photo === undefined) throw new CausetteError('NOT_FOUND', 'no photo with that SHA-256 here (it changed since)')
  return { type: photo.type, photo: photo.bytes as Uint8Array<ArrayBuffer>, errorCode: '', errorMessage: '' }
}

/** The answer to the one request of `pb`: the photo or a refusal; throws only when the stream failed before a request came. */
async function answerTo (stream: Stream, pb: ProtobufStream<Stream>, source: PhotoSource, signal: AbortSignal): Promise<PhotoAnswer> {
  const read = await readRequest(stream, pb, PhotoRequest, 'photo request', { signal })
  if ('fault' in read) return refusal(read.fault)
  return await answerFor(read.request, source).catch(refusal)
}

/** Listener side: one request, one answer; anything malformed is answered with its code, and the node carries on. */
export async function handlePhotoStream (stream: Stream, source: PhotoSource): Promise<void> {
  const signal = AbortSignal.timeout(PHOTO_TIMEOUT_MS)
  const pb = framedStream(stream, MAX_PHOTO_REQUEST_BYTES)
  try {
    await pb.write(await answerTo(stream, pb, source, signal), PhotoAnswer, { signal })
    await stream.close({ signal })
  } catch (error) {
    stream.abort(error as Error)
  }
}

/**
 * Dialer side: the photo whose SHA-256 is `sha256`, as the peer sends it (unchecked: the caller
 * checks it); a refusal is thrown as a CausetteError with the peer's code, an oversized answer as
 * FRAME_TOO_LARGE, an undecodable one as BAD_FRAME; a failed stream as it failed.
 */
export async function fetchPhoto (connection: Connection, sha256: Uint8Array): Promise<PhotoBytes> {
  const answer = await ask(connection, PHOTO_PROTOCOL, { timeoutMs: PHOTO_TIMEOUT_MS, maxFrameBytes: MAX_PHOTO_FRAME_BYTES }, async (pb, signal) => {
    await pb.write({ sha256: sha256 as Uint8Array<ArrayBuffer> }, PhotoRequest, { signal })
    return await readFrame(pb, PhotoAnswer, 'photo answer', { signal })
  })
  if (answer.errorCode !== '') {
    const code: ErrorCode = (ERROR_CODES as readonly string[]).includes(answer.errorCode) ? answer.errorCode as ErrorCode : 'BAD_FRAME'
    throw new CausetteError(code, `the peer refused: ${answer.errorMessage.slice(0, 200)}`)
  }
  return { type: answer.type, bytes: answer.photo }
}

/**
 * What the listener is to blame for, when a fetch of the photo its presence announced failed, or
 * what it answered failed the requester's check (a CausetteError of checkPeerPhoto): an answer out
 * of bounds or undecodable, a photo that is not the announced one, a refusal of a right request.
 * Not the network (a reset, a closed connection, the deadline) nor an honest refusal: undefined.
 */
export function photoFault (error: unknown): { code: ErrorCode, message: string } | undefined {
  const coded = codedError(error)
  return coded === undefined || HONEST_REFUSALS.has(coded.code) ? undefined : coded
}
