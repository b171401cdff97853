// A channel message as it travels on /causette/msg/1.0.0: Envelope.sealed holds one marker byte and
// the ChannelMessage frame (the group message, the log heads its author held, the copy's recipient).
// A ratchet message starts with its version byte 1, so the two never mix up; outboxes, carriers and
// catch-up move either as opaque bytes.
import { CausetteError } from '../errors.js'
import { MAX_CHANNEL_HEADS } from './limits.js'
import { ChannelMessage } from './wire.js'

export const CHANNEL_FRAME_MARKER = 0xc7

/** A channel message's frame: its group message, the log heads its author held, the copy's recipient ('' for our own record). */
export interface ChannelFrame {
  group: Uint8Array
  heads: Uint8Array[]
  to: string
}

export function isChannelFrame (sealed: Uint8Array): boolean {
  return sealed[0] === CHANNEL_FRAME_MARKER
}

export function encodeChannelFrame (message: ChannelFrame): Uint8Array {
  const body = ChannelMessage.encode({ group: message.group as Uint8Array<ArrayBuffer>, heads: message.heads as Array<Uint8Array<ArrayBuffer>>, to: message.to })
  const frame = new Uint8Array(1 + body.length)
  frame[0] = CHANNEL_FRAME_MARKER
  frame.set(body, 1)
  return frame
}

export function decodeChannelFrame (sealed: Uint8Array): ChannelFrame {
  if (!isChannelFrame(sealed)) throw new CausetteError('BAD_FRAME', 'not a channel message')
  let message: ChannelMessage
  try {
    message = ChannelMessage.decode(sealed.subarray(1), { limits: { heads: MAX_CHANNEL_HEADS } })
  } catch {
    throw new CausetteError('BAD_FRAME', 'undecodable channel message')
  }
  if (message.group.length === 0 || message.heads.length === 0 || message.heads.some(h => h.length !== 32)) throw new CausetteError('BAD_FRAME', 'a channel message names its group message and the log heads it was sent under')
  return message
}
