// /causette/carry/1.0.0: a member deposits ciphertext for an absent member with a colleague's node
// (the carrier, core/messaging/carrier.ts). Listener side: each deposit is bounded, handed to the
// carrier, and answered in order once durably held or refused. Dialer side: a pipelined sender.
import type { Connection, Libp2p, Stream } from '@libp2p/interface'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'
import { MAX_CARRY_ACK_BYTES, MAX_CARRY_DEPOSIT_BYTES, MAX_CARRY_FILES, MAX_UNREAD_BYTES_PER_STREAM } from './limits.js'
import { CARRY_PROTOCOL } from './protocol-ids.js'
import { PipelinedSender } from './pipelined-sender.js'
import { refusalOf } from './refusal.js'
import { decodeFrame, namedReadError } from './read-frame.js'
import { ReadGate, readGateOf, STALLED_STREAM_MS } from './read-gate.js'
import { strikeIfFrameFault } from './stream-limiter.js'
import { CarryAck, CarryDeposit } from './wire.js'
import { frameOptions, prefixBytes } from './length-prefix.js'

export interface CarryReceiver {
  /**
   * Resolves once held (durably); rejects with a CausetteError to refuse. `files`: the attachment
   * ids the deposit names (at most MAX_CARRY_FILES, not yet checked), to fetch from the author.
   */
  deposit: (author: string, recipient: string, sealed: Uint8Array, files: readonly string[]) => Promise<void>
}

/** A deposit frame as the carrier reads it: one naming more than MAX_CARRY_FILES attachment ids fails to decode (MaxLengthError). */
export function decodeDeposit (frame: Uint8Array | Uint8ArrayList): CarryDeposit {
  return CarryDeposit.decode(frame, { limits: { files: MAX_CARRY_FILES } })
}

/** A carrier that cannot write now answers so that the depositor keeps the item and tries again. */
function ackFor (error?: unknown): CarryAck {
  if (error === undefined) return { errorCode: '', errorMessage: '' }
  const { code, message } = refusalOf(error)
  return { errorCode: code, errorMessage: message }
}

/**
 * Reads deposits one at a time: the stream stays paused while a deposit is stored and its ack
 * written, so a sender that does not read its acks cannot make us buffer what it sends meanwhile;
 * the unread bytes count against the peer's share and the node's total (the gate `limitStreams` put
 * on the stream), and an ack the sender does not take within STALLED_STREAM_MS ends the stream.
 */
export async function handleCarryStream (stream: Stream, connection: Connection, carrier: CarryReceiver): Promise<void> {
  const author = connection.remotePeer.toString()
  const gate = readGateOf(stream) ?? new ReadGate(stream, MAX_UNREAD_BYTES_PER_STREAM)
  const lp = lpStream(stream, frameOptions(MAX_CARRY_DEPOSIT_BYTES))
  const answer = async (ack: CarryAck): Promise<void> => {
    await gate.wait(lp.write(CarryAck.encode(ack), { signal: AbortSignal.timeout(STALLED_STREAM_MS) }))
  }
  try {
    while (true) {
      let deposit: CarryDeposit | undefined
      try {
        deposit = await nextDeposit(lp, gate)
      } catch (error) {
        const fault = strikeIfFrameFault(stream, error)
        if (fault === undefined) throw error // reset, aborted or stalled: nobody to answer
        await answer(ackFor(fault))
        break // an unread or undecodable frame: the stream cannot be resynchronised
      }
      if (deposit === undefined) break // the dialer finished
      const { recipient, sealed, files } = deposit
      await answer(await gate.wait(carrier.deposit(author, recipient, sealed, files).then(() => ackFor(), ackFor)))
    }
    await stream.close()
  } catch (error) {
    stream.abort(error as Error)
  }
}

/**
 * The next deposit, or undefined once the dialer has closed its side (between frames, or in the
 * middle of one it gave up on); a frame out of bounds or undecodable is thrown coded (read-frame.ts),
 * a stream that failed as it failed.
 */
async function nextDeposit (lp: LengthPrefixedStream<Stream>, gate: ReadGate): Promise<CarryDeposit | undefined> {
  let frame: Uint8ArrayList
  try {
    frame = await lp.read()
  } catch (error) {
    if ((error as Error).name === 'UnexpectedEOFError') return undefined
    throw namedReadError(error, 'deposit')
  }
  gate.consumed(frame.byteLength + prefixBytes(frame.byteLength))
  return decodeFrame(CarryDeposit, frame, 'deposit', { files: MAX_CARRY_FILES })
}

export class CarrySender extends PipelinedSender<CarryDeposit, CarryAck> {
  constructor (libp2p: Libp2p) {
    super(libp2p, { protocol: CARRY_PROTOCOL, request: CarryDeposit, answer: CarryAck, maxAnswerBytes: MAX_CARRY_ACK_BYTES })
  }
}
