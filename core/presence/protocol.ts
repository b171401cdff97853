// /causette/presence/1.0.0 on the wire: the dialer writes one PresenceFrame, the listener checks it
// and answers one PresenceAck (empty, or the code of its refusal), then both close. Reads are
// bounded; the presence logic sees only a checked SignedPresence.
import type { Connection, Stream } from '@libp2p/interface'
import { equals } from '../../crypto/encoding.js'
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

function frameError (error: unknown): PresenceError {
  if (error instanceof PresenceError) return error
  const name = (error as Error).name
  const tooLarge = name === 'InvalidDataLengthError' || name === 'InvalidDataLengthLengthError'
  return new PresenceError('PRESENCE_BAD_FRAME', tooLarge ? `presence frame over ${MAX_PRESENCE_FRAME_BYTES} bytes` : `undecodable presence frame: ${(error as Error).message}`)
}

/** Checks a frame from `connection`'s peer: signed by that very device. */
function checkFrame (frame: SignedPresenceFrame, connection: Connection): SignedPresence {
  const presence = verifyPresence(frame.presence, frame.signature)
  const key = connection.remotePeer.publicKey?.raw
  if (key === undefined || !equals(presence.device, key)) throw new PresenceError('PRESENCE_WRONG_DEVICE', 'presence: signed by a device other than the sending peer')
  return presence
}

/** Listener side. Refusals are answered to the peer and reported to `refused`; the node carries on. */
export async function answerPresence (stream: Stream, connection: Connection, accept: AcceptPresence, refused: (peer: string, error: PresenceError) => void): Promise<void> {
  const signal = AbortSignal.timeout(PRESENCE_TIMEOUT_MS)
  const peer = connection.remotePeer.toString()
  const frames = presenceFrames(stream, MAX_PRESENCE_FRAME_BYTES)
  let ack: PresenceAnswer = { errorCode: '', errorMessage: '' }
  try {
    const frame = await frames.read(signal).catch(error => { throw frameError(error) })
    accept(peer, checkFrame(frame, connection), connection.id)
  } catch (error) {
    const refusal = frameError(error)
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
