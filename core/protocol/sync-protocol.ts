// /causette/sync/1.0.0 (catch-up, core/messaging/catch-up.ts): the dialer sends what it holds of the
// listener's messages per shared conversation; the listener answers how many it sends again (on
// /causette/msg/1.0.0). One request and one answer per stream, both bounded.
import type { Connection, Stream } from '@libp2p/interface'
import type { ProtobufStream } from '@libp2p/utils'
import { MAX_SYNC_ANSWER_BYTES, MAX_SYNC_CONVERSATIONS, MAX_SYNC_REQUEST_BYTES, MAX_SYNC_SEQS_ABOVE, SYNC_TIMEOUT_MS } from './limits.js'
import { SYNC_PROTOCOL } from './protocol-ids.js'
import { SyncAnswer, SyncRequest, type ConversationHeads } from './wire.js'
import { framedStream } from './framed-stream.js'
import { ask } from './ask.js'
import { refusalOf } from './refusal.js'
import { readRequest } from './stream-limiter.js'

export interface SyncResponder {
  /** Sends again what the peer lacks; resolves with how many. */
  answer: (peer: string, request: ConversationHeads[]) => Promise<number>
}

const REQUEST_LIMITS = { conversations: MAX_SYNC_CONVERSATIONS, conversations$: { above: MAX_SYNC_SEQS_ABOVE } }

function refusal (error: unknown): SyncAnswer {
  const { code, message } = refusalOf(error)
  return { resent: 0, errorCode: code, errorMessage: message }
}

/** The answer to the one request of the stream; throws only when the stream failed before a request came. */
async function answerTo (stream: Stream, pb: ProtobufStream<Stream>, peer: string, responder: SyncResponder, signal: AbortSignal): Promise<SyncAnswer> {
  const read = await readRequest(stream, pb, SyncRequest, 'sync request', { signal, limits: REQUEST_LIMITS })
  if ('fault' in read) return refusal(read.fault)
  return await responder.answer(peer, read.request.conversations).then(resent => ({ resent, errorCode: '', errorMessage: '' }), refusal)
}

export async function handleSyncStream (stream: Stream, connection: Connection, responder: SyncResponder): Promise<void> {
  const pb = framedStream(stream, MAX_SYNC_REQUEST_BYTES)
  const signal = AbortSignal.timeout(SYNC_TIMEOUT_MS)
  try {
    await pb.write(await answerTo(stream, pb, connection.remotePeer.toString(), responder, signal), SyncAnswer, { signal })
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
