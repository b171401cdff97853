// /causette/sync/1.0.0 (catch-up, core/messaging/catch-up.ts): the dialer sends what it holds of the
// listener's messages per shared conversation; the listener answers how many it sends again (on
// /causette/msg/1.0.0). One request and one answer per stream, both bounded.
import type { Connection, Stream } from '@libp2p/interface'
import { isCausetteError } from '../errors.js'
import { MAX_SYNC_ANSWER_BYTES, MAX_SYNC_CONVERSATIONS, MAX_SYNC_REQUEST_BYTES, MAX_SYNC_SEQS_ABOVE, SYNC_TIMEOUT_MS } from './limits.js'
import { SYNC_PROTOCOL } from './protocol-ids.js'
import { SyncAnswer, SyncRequest, type ConversationHeads } from './wire.js'
import { framedStream } from './framed-stream.js'
import { ask } from './ask.js'

export interface SyncResponder {
  /** Sends again what the peer lacks; resolves with how many. */
  answer: (peer: string, request: ConversationHeads[]) => Promise<number>
}

export async function handleSyncStream (stream: Stream, connection: Connection, responder: SyncResponder): Promise<void> {
  const pb = framedStream(stream, MAX_SYNC_REQUEST_BYTES)
  const signal = AbortSignal.timeout(SYNC_TIMEOUT_MS)
  try {
    let answer: SyncAnswer
    try {
      const request = await pb.read(SyncRequest, { signal, limits: { conversations: MAX_SYNC_CONVERSATIONS, conversations$: { above: MAX_SYNC_SEQS_ABOVE } } })
      answer = { resent: await responder.answer(connection.remotePeer.toString(), request.conversations), errorCode: '', errorMessage: '' }
    } catch (error) {
      answer = isCausetteError(error)
        ? { resent: 0, errorCode: error.code, errorMessage: error.message }
        : { resent: 0, errorCode: (error as Error).name === 'InvalidDataLengthError' ? 'FRAME_TOO_LARGE' : 'BAD_FRAME', errorMessage: 'undecodable or oversized sync request' }
    }
    await pb.write(answer, SyncAnswer, { signal })
    await stream.close({ signal })
  } catch (error) {
    stream.abort(error as Error)
  }
}

/** Asks the peer of `connection` for what we lack of its messages; resolves with how many it sends again. */
export async function requestSync (connection: Connection, heads: ConversationHeads[]): Promise<SyncAnswer> {
  return await ask(connection, SYNC_PROTOCOL, { timeoutMs: SYNC_TIMEOUT_MS, maxFrameBytes: MAX_SYNC_ANSWER_BYTES }, async (pb, signal) => {
    await pb.write({ conversations: heads }, SyncRequest, { signal })
    return await pb.read(SyncAnswer, { signal })
  })
}
