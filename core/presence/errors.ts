// Refusals of a presence received from a peer, with stable codes (see core/errors.ts for the
// convention). They travel back to the sender in the PresenceAck and never reach a local client.
import { CodedError } from '../../crypto/coded-error.js'

export const PRESENCE_ERROR_CODES = [
  'PRESENCE_BAD_FRAME', // undecodable protobuf, or a frame over MAX_PRESENCE_FRAME_BYTES
  'PRESENCE_MALFORMED', // the signed text does not follow the format
  'PRESENCE_BAD_SIGNATURE', // the signature is not the named device's
  'PRESENCE_WRONG_DEVICE', // signed by a device other than the peer at the other end
  'PRESENCE_STALE', // a replay: not newer than the one held from that device on the same connection
  'PRESENCE_FUTURE' // no longer sent: clocks need not agree (kept so that older peers' acks parse)
] as const

export type PresenceErrorCode = typeof PRESENCE_ERROR_CODES[number]

export class PresenceError extends CodedError<PresenceErrorCode> {
  override name = 'PresenceError'
}

export function isPresenceErrorCode (code: string): code is PresenceErrorCode {
  return (PRESENCE_ERROR_CODES as readonly string[]).includes(code)
}

/**
 * Whether a refusal is the sender's doing, so it counts against it (a strike, PeerLimits.strike):
 * all but a replay, which an honest sender makes when two of its pushes, on two streams, arrive in
 * the other order.
 */
export function isSendersFault (code: PresenceErrorCode): boolean {
  return code !== 'PRESENCE_STALE'
}
