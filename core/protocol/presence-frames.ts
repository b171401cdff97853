// /causette/presence/1.0.0 on the wire: the dialer writes one PresenceFrame, the listener answers one
// PresenceAck (empty, or the code of its refusal). The codecs stay here; the presence logic
// (core/presence/protocol.ts) checks what the frames hold and sets the bounds.
import type { Connection, Stream } from '@libp2p/interface'
import { ask } from './ask.js'
import { framedStream } from './framed-stream.js'
import { PresenceAck, PresenceFrame } from './presence.js'
import { PRESENCE_PROTOCOL } from './protocol-ids.js'
import { readFrame } from './read-frame.js'

/** A presence as signed by its device: the statement's bytes and the signature. */
export interface SignedPresenceFrame { presence: Uint8Array, signature: Uint8Array }

/** The listener's answer: empty, or the code and words of its refusal. */
export interface PresenceAnswer { errorCode: string, errorMessage: string }

export interface PresenceBounds { timeoutMs: number, maxFrameBytes: number }

/** Dialer side: writes our presence, resolves with the peer's answer. */
export async function sendPresenceFrame (connection: Connection, frame: SignedPresenceFrame, bounds: PresenceBounds): Promise<PresenceAnswer> {
  return await ask(connection, PRESENCE_PROTOCOL, bounds, async (pb, signal) => {
    await pb.write({ presence: frame.presence, signature: frame.signature } as PresenceFrame, PresenceFrame, { signal })
    return await pb.read(PresenceAck, { signal })
  })
}

/**
 * Listener side: the one frame the dialer sends (out of bounds: FRAME_TOO_LARGE, undecodable:
 * BAD_FRAME, a failed stream as it failed), and our one answer.
 */
export function presenceFrames (stream: Stream, maxFrameBytes: number): { read: (signal: AbortSignal) => Promise<SignedPresenceFrame>, answer: (answer: PresenceAnswer, signal: AbortSignal) => Promise<void> } {
  const pb = framedStream(stream, maxFrameBytes)
  return {
    read: async signal => await readFrame(pb, PresenceFrame, 'presence frame', { signal }),
    answer: async (answer, signal) => { await pb.write(answer, PresenceAck, { signal }) }
  }
}
