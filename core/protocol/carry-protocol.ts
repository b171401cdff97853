// /causette/carry/1.0.0: a member deposits ciphertext for an absent member with a colleague's node
// (the carrier, core/messaging/carrier.ts). Listener side: each deposit is bounded, handed to the
// carrier, and answered in order once durably held or refused. Dialer side: a pipelined sender.
import type { Connection, Libp2p, Stream } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import { CARRY_PROTOCOL, MAX_CARRY_ACK_BYTES, MAX_CARRY_DEPOSIT_BYTES } from './limits.js'
import { PipelinedSender } from './pipelined-sender.js'
import { refusalOf } from './refusal.js'
import { CarryAck, CarryDeposit } from './wire.js'
import { frameOptions } from './length-prefix.js'

export interface CarryReceiver {
  /** Resolves once held (durably); rejects with a CausetteError to refuse. */
  deposit: (author: string, recipient: string, sealed: Uint8Array) => Promise<void>
}

/** A carrier that cannot write now answers so that the depositor keeps the item and tries again. */
function ackFor (error?: unknown): CarryAck {
  if (error === undefined) return { errorCode: '', errorMessage: '' }
  const { code, message } = refusalOf(error)
  return { errorCode: code, errorMessage: message }
}

export async function handleCarryStream (stream: Stream, connection: Connection, carrier: CarryReceiver): Promise<void> {
  const author = connection.remotePeer.toString()
  const pb = pbStream(stream, frameOptions(MAX_CARRY_DEPOSIT_BYTES))
  try {
    while (true) {
      let deposit: CarryDeposit
      try {
        deposit = await pb.read(CarryDeposit)
      } catch (error) {
        const name = (error as Error).name
        if (name === 'UnexpectedEOFError') break // the dialer finished
        await pb.write({ errorCode: name === 'InvalidDataLengthError' ? 'FRAME_TOO_LARGE' : 'BAD_FRAME', errorMessage: 'undecodable or oversized deposit' }, CarryAck)
        break // an unread or undecodable frame: the stream cannot be resynchronised
      }
      const ack = await carrier.deposit(author, deposit.recipient, deposit.sealed).then(() => ackFor(), ackFor)
      await pb.write(ack, CarryAck)
    }
    await stream.close()
  } catch (error) {
    stream.abort(error as Error)
  }
}

export class CarrySender extends PipelinedSender<CarryDeposit, CarryAck> {
  constructor (libp2p: Libp2p) {
    super(libp2p, { protocol: CARRY_PROTOCOL, request: CarryDeposit, answer: CarryAck, maxAnswerBytes: MAX_CARRY_ACK_BYTES })
  }
}
