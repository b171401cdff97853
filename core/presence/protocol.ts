// /causette/presence/1.0.0 on the wire: the dialer writes one PresenceFrame, the listener checks it
// and answers one PresenceAck (empty, or the code of its refusal), then both close. Reads are
// bounded; the presence logic sees only a checked SignedPresence.
import type { Connection, Stream } from '@libp2p/interface'
import { equals } from '../../crypto/encoding.js'
import { codedError } from '../errors.js'
import { presenceFrames, sendPresenceFrame, type PresenceAnswer, type SignedPresenceFrame } from '../protocol/presence-frames.js'
import { isPresenceErrorCode, PresenceError } from './errors.js'
import { MAX_PRESENCE_FRAME_BYTES, PRESENCE_TIMEOUT_MS } from './limits.js'
import { verifyPresence, type SignedPresence } from './signed-presence.js'

export interface SignedPresenceBytes { bytes: Uint8Array, signature: Uint8Array }

/**
 * What the listener does with a presence whose signature is the connected peer's, arrived on the
 * connection named `connection`; throws a PresenceError to refuse it.
 */
export type AcceptPresence = (peer: string, presence: SignedPresence, connection: string) => void

/**
 * The refusal `error` calls for: a presence refused, or a frame out of bounds or undecodable (as
 * presenceFrames reads it); undefined for anything else, a stream that failed (reset, closed, the
 * deadline) first: nobody's fault, and nobody to answer.
 */
function refusalOf (error: unknown): PresenceError | undefined {
  if (error instanceof PresenceError) return error
  const code = codedError(error)?.code
  if (code === 'FRAME_TOO_LARGE') return new PresenceError('PRESENCE_BAD_FRAME', `presence frame over ${MAX_PRESENCE_FRAME_BYTES} bytes`)
  if (code === 'BAD_FRAME') return new PresenceError('PRESENCE_BAD_FRAME', 'undecodable presence frame')
  return undefined
}

/** Checks a frame from `connection`'s peer: signed by that very device. */
function checkFrame (frame: SignedPresenceFrame, connection: Connection): SignedPresence {
  const presence = verifyPresence(frame.presence, frame.signature)
  const key = connection.remotePeer.publicKey?.raw
  if (key === undefined || !equals(presence.device, key)) throw new PresenceError('PRESENCE_WRONG_DEVICE', 'presence: signed by a device other than the sending peer')
  return presence
}

/**
 * Listener side. Refusals are answered to the peer and reported to `refused`; anything else (a
 * stream that failed first) aborts the stream; the node carries on.
 */
export async function answerPresence (stream: Stream, connection: Connection, accept: AcceptPresence, refused: (peer: string, error: PresenceError) => void): Promise<void> {
  const signal = AbortSignal.timeout(PRESENCE_TIMEOUT_MS)
  const peer = connection.remotePeer.toString()
  const frames = presenceFrames(stream, MAX_PRESENCE_FRAME_BYTES)
  let ack: PresenceAnswer = { errorCode: '', errorMessage: '' }
  try {
    const frame = await frames.read(signal)
    accept(peer, checkFrame(frame, connection), connection.id)
  } catch (error) {
    const refusal = refusalOf(error)
    if (refusal === undefined) { stream.abort(error as Error); return }
    refused(peer, refusal)
    ack = { errorCode: refusal.code, errorMessage: refusal.message }
  }
  try {
    await frames.answer(ack, signal)
    await stream.close({ signal })
  } catch (error) {
    stream.abort(error as Error)
  }
}

/** Dialer side, over an open connection; a refusal by the peer is thrown as its PresenceError. */
export async function pushPresence (connection: Connection, signed: SignedPresenceBytes): Promise<void> {
  const ack = await sendPresenceFrame(connection, { presence: signed.bytes, signature: signed.signature }, { timeoutMs: PRESENCE_TIMEOUT_MS, maxFrameBytes: MAX_PRESENCE_FRAME_BYTES })
  if (ack.errorCode !== '') {
    throw new PresenceError(isPresenceErrorCode(ack.errorCode) ? ack.errorCode : 'PRESENCE_BAD_FRAME', `the peer refused our presence: ${ack.errorMessage.slice(0, 200)}`)
  }
}
