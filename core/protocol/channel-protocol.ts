// /causette/channels/1.0.0: two members bring the logs of the channels they share level. The dialer
// sends its tips (the heads of each channel it holds that concerns the listener), the listener its
// own, then the entries the dialer lacks and a frame with `done`; then the dialer sends what the
// listener lacks, and `done`. A channel the other side did not name (an invitee holds nothing yet)
// is sent whole. The channel logic (core/channels/replicator.ts) decides what concerns whom and
// verifies every entry; this file bounds and moves the frames.
import type { Connection, Stream } from '@libp2p/interface'
import type { ProtobufStream } from '@libp2p/utils'
import { CausetteError, codedError } from '../errors.js'
import { CHANNEL_EXCHANGE_TIMEOUT_MS, MAX_CHANNEL_ENTRIES_PER_FRAME, MAX_CHANNEL_FRAME_BYTES, MAX_CHANNEL_FRAMES, MAX_CHANNEL_HEADS, MAX_CHANNEL_TIPS_BYTES, MAX_CHANNELS_PER_PEER } from './limits.js'
import { CHANNEL_PROTOCOL } from './protocol-ids.js'
import { framedStream } from './framed-stream.js'
import { ChannelEntries, ChannelHeads, type ChannelTip } from './wire.js'
import { ask } from './ask.js'
import { readFrame } from './read-frame.js'
import { strikeIfFrameFault } from './stream-limiter.js'

/** What the channel logic offers this protocol. */
export interface ChannelReplica {
  /** Our tips of the channels that concern `peer`. */
  tips: (peer: string) => ChannelTip[]
  /** Frames (without `done`) of the entries `peer` lacks, given its tips. */
  lacking: (peer: string, theirs: ChannelTip[]) => ChannelEntries[]
  /** Verifies and stores one frame's entries; rejects with a coded error to refuse them. */
  receive: (peer: string, frame: ChannelEntries) => Promise<unknown>
  /** Called for every refusal, for logs and tests. */
  refused?: (peer: string, code: string, message: string) => void
}

const DONE: ChannelEntries = { channel: '', entries: [], done: true, errorCode: '', errorMessage: '' }
const TIPS_LIMITS = { channels: MAX_CHANNELS_PER_PEER, channels$: { heads: MAX_CHANNEL_HEADS } }
const ENTRIES_LIMITS = { entries: MAX_CHANNEL_ENTRIES_PER_FRAME }

async function sendLacking (pb: ProtobufStream, peer: string, replica: ChannelReplica, theirs: ChannelTip[], signal: AbortSignal): Promise<number> {
  const frames = replica.lacking(peer, theirs).slice(0, MAX_CHANNEL_FRAMES)
  for (const frame of frames) await pb.write(frame, ChannelEntries, { signal })
  await pb.write(DONE, ChannelEntries, { signal })
  return frames.reduce((n, f) => n + f.entries.length, 0)
}

async function receiveAll (pb: ProtobufStream, peer: string, replica: ChannelReplica, signal: AbortSignal): Promise<number> {
  let received = 0
  for (let frames = 0; frames <= MAX_CHANNEL_FRAMES; frames++) {
    const frame = await readFrame(pb, ChannelEntries, 'channels frame', { signal, limits: ENTRIES_LIMITS })
    if (frame.done) return received
    if (frame.errorCode !== '') { replica.refused?.(peer, frame.errorCode, frame.errorMessage); continue }
    // One channel's refusal does not stop the others.
    await replica.receive(peer, frame).then(() => { received += frame.entries.length }, error => {
      replica.refused?.(peer, (error as CausetteError).code ?? 'BAD_FRAME', (error as Error).message)
    })
  }
  throw new CausetteError('BAD_FRAME', `over ${MAX_CHANNEL_FRAMES} channels frames`)
}

const MAX_FRAME_BYTES = Math.max(MAX_CHANNEL_FRAME_BYTES, MAX_CHANNEL_TIPS_BYTES)

/** Listener side. */
export async function handleChannelStream (stream: Stream, connection: Connection, replica: ChannelReplica): Promise<void> {
  const peer = connection.remotePeer.toString()
  const signal = AbortSignal.timeout(CHANNEL_EXCHANGE_TIMEOUT_MS)
  try {
    const pb = framedStream(stream, MAX_FRAME_BYTES)
    const theirs = await readFrame(pb, ChannelHeads, 'channels tips frame', { signal, limits: TIPS_LIMITS })
    await pb.write({ channels: replica.tips(peer) }, ChannelHeads, { signal })
    await sendLacking(pb, peer, replica, theirs.channels, signal)
    await receiveAll(pb, peer, replica, signal)
    await stream.close({ signal })
  } catch (error) {
    strikeIfFrameFault(stream, error)
    replica.refused?.(peer, codedError(error)?.code ?? (error as Error).name, (error as Error).message)
    stream.abort(error as Error)
  }
}

/** Dialer side; resolves with how many entries each side sent once both are done. */
export async function exchangeChannels (connection: Connection, replica: ChannelReplica): Promise<{ received: number, sent: number }> {
  const peer = connection.remotePeer.toString()
  return await ask(connection, CHANNEL_PROTOCOL, { timeoutMs: CHANNEL_EXCHANGE_TIMEOUT_MS, maxFrameBytes: MAX_FRAME_BYTES }, async (pb, signal) => {
    await pb.write({ channels: replica.tips(peer) }, ChannelHeads, { signal })
    const theirs = await readFrame(pb, ChannelHeads, 'channels tips frame', { signal, limits: TIPS_LIMITS })
    const received = await receiveAll(pb, peer, replica, signal)
    const sent = await sendLacking(pb, peer, replica, theirs.channels, signal)
    return { received, sent }
  })
}
