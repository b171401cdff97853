// /causette/update/1.0.0 on the wire (members only): an announce exchange (each side says what it
// runs and holds, and the pause decision it knows), or the fetch of one release file from a chunk
// on, the listener streaming bounded Chunk frames. The protocol decodes and bounds; what a frame
// means (a signed manifest, a proof) is checked by core/update through the UpdateResponder.
import type { Connection, Stream } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import { codedError } from '../errors.js'
import { framedStream } from './framed-stream.js'
import { frameOptions } from './length-prefix.js'
import { MAX_UPDATE_CHUNK_FRAME_BYTES, MAX_UPDATE_PROOF_HASHES, MAX_UPDATE_REQUEST_BYTES, UPDATE_TIMEOUT_MS } from './limits.js'
import { UPDATE_PROTOCOL } from './protocol-ids.js'
import { Chunk, UpdateAnnounce, UpdateRequest, type ChunkRequest } from './update.js'
import { ask } from './ask.js'
import { readRequest } from './stream-limiter.js'

export type { Chunk, ChunkRequest, UpdateAnnounce }

/** A release has at most five targets. */
const MAX_TARGETS = 8

export interface UpdateResponder {
  /** The peer's announce: take note of it, and answer with ours. */
  announced: (peer: string, announce: UpdateAnnounce) => UpdateAnnounce
  /** The chunks the peer asks for, in order; throws a coded error (UPDATE_NOT_HELD) to refuse. */
  chunks: (peer: string, request: ChunkRequest) => AsyncIterable<Chunk>
}

function refusal (error: { code: string, message: string }): Chunk {
  return { index: 0, data: new Uint8Array(0), proof: [], errorCode: error.code, errorMessage: error.message }
}

export async function handleUpdateStream (stream: Stream, connection: Connection, responder: UpdateResponder): Promise<void> {
  const peer = connection.remotePeer.toString()
  const pb = framedStream(stream, MAX_UPDATE_REQUEST_BYTES)
  try {
    const read = await readRequest(stream, pb, UpdateRequest, 'update request', { signal: AbortSignal.timeout(UPDATE_TIMEOUT_MS), limits: { announce$: { targets: MAX_TARGETS } } })
    if ('fault' in read) {
      await pb.write(refusal(read.fault), Chunk)
      await stream.close()
      return
    }
    const { request } = read
    if (request.announce !== undefined) {
      await pb.write(responder.announced(peer, request.announce), UpdateAnnounce, { signal: AbortSignal.timeout(UPDATE_TIMEOUT_MS) })
    } else if (request.fetch !== undefined) {
      await sendChunks(pb, responder.chunks(peer, request.fetch))
    }
    await stream.close({ signal: AbortSignal.timeout(UPDATE_TIMEOUT_MS) })
  } catch (error) {
    stream.abort(error as Error)
  }
}

/** Writes the chunks as they come (each write waits for the stream to take it); a refusal ends the run. */
async function sendChunks (pb: ReturnType<typeof framedStream>, chunks: AsyncIterable<Chunk>): Promise<void> {
  try {
    for await (const chunk of chunks) await pb.write(chunk, Chunk, { signal: AbortSignal.timeout(UPDATE_TIMEOUT_MS) })
  } catch (error) {
    const coded = codedError(error)
    if (coded === undefined) throw error
    await pb.write(refusal(coded), Chunk)
  }
}

/** Dialer side: tells the peer ours, returns theirs. */
export async function exchangeAnnounce (connection: Connection, ours: UpdateAnnounce): Promise<UpdateAnnounce> {
  return await ask(connection, UPDATE_PROTOCOL, { timeoutMs: UPDATE_TIMEOUT_MS, maxFrameBytes: MAX_UPDATE_REQUEST_BYTES }, async (pb, signal) => {
    await pb.write({ announce: ours }, UpdateRequest, { signal })
    return await pb.read(UpdateAnnounce, { signal, limits: { targets: MAX_TARGETS } })
  })
}

/**
 * Dialer side: chunks `request.first` to `end` (exclusive) of one file, as the peer sends them, each
 * frame bounded and awaited at most UPDATE_TIMEOUT_MS. The caller checks each chunk; leaving the
 * loop early aborts the stream. A chunk with an error code is the peer's refusal, and the last.
 */
export async function * fetchChunks (connection: Connection, request: ChunkRequest, end: number): AsyncGenerator<Chunk> {
  const stream = await connection.newStream(UPDATE_PROTOCOL, { signal: AbortSignal.timeout(UPDATE_TIMEOUT_MS) })
  let finished = false
  try {
    const pb = pbStream(stream, frameOptions(MAX_UPDATE_CHUNK_FRAME_BYTES))
    await pb.write({ fetch: request }, UpdateRequest, { signal: AbortSignal.timeout(UPDATE_TIMEOUT_MS) })
    for (let index = request.first; index < end; index++) {
      const chunk = await pb.read(Chunk, { signal: AbortSignal.timeout(UPDATE_TIMEOUT_MS), limits: { proof: MAX_UPDATE_PROOF_HASHES } })
      yield chunk
      if (chunk.errorCode !== '') break
    }
    finished = true
  } finally {
    if (finished) await stream.close().catch(() => { stream.abort(new Error('update fetch: close failed')) })
    else stream.abort(new Error('update fetch ended early'))
  }
}
