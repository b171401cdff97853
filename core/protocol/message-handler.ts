// /causette/msg/1.0.0, listener side: decode and bound every frame, then hand the sealed message,
// with the PeerId and key that Noise authenticated, to the messaging logic through
// `MessageReceiver` (which decrypts and checks it). Envelopes are pipelined: reading goes on while
// earlier ones are being stored, and acks leave in order, each only once its message is durably
// stored. With `limits`, a peer's reader waits for its message rate and its pending bound
// (peer-limits.ts), the stream paused meanwhile, and undecodable frames count against the peer.
import type { Connection, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { CausetteError, type ErrorCode } from '../errors.js'
import { MAX_ENVELOPE_BYTES, MAX_IN_FLIGHT_PER_STREAM, MAX_UNREAD_BYTES_PER_STREAM } from './limits.js'
import type { PeerLimits } from './peer-limits.js'
import { decodeFrame, frameFault, namedReadError } from './read-frame.js'
import { refusalOf } from './refusal.js'
import { ReadGate, readGateOf } from './read-gate.js'
import { AckQueue } from './ack-queue.js'
import { Envelope, type Ack } from './wire.js'
import { frameOptions, prefixBytes } from './length-prefix.js'

export interface InboundMessage {
  /** PeerId of the authenticated sender (the Noise connection's remote peer) */
  from: string
  /** Its Ed25519 device key */
  fromKey: Uint8Array
  sealed: Uint8Array
  /** The author's PeerId when `from` hands over what it carried for us; absent when `from` wrote it. */
  author?: string
}

/** What the messaging logic offers this protocol. */
export interface MessageReceiver {
  /** Resolves with the message id once durably stored; rejects with a CausetteError to refuse it. */
  receive: (message: InboundMessage) => Promise<string>
  /** Called for every refused frame, for logs and tests. */
  refused?: (from: string, code: ErrorCode, message: string) => void
}

/** The per-peer abuse limits this protocol applies. */
export type MessageLimits = Pick<PeerLimits, 'messageTurn' | 'track' | 'strike'>

/** A receiver's own fault (it cannot write now) is answered with a code that says "try again later". */
function ackFor (id: string, error?: unknown): Ack {
  if (error === undefined) return { id, errorCode: '', errorMessage: '' }
  const { code, message } = refusalOf(error)
  return { id, errorCode: code, errorMessage: message }
}

export async function handleMessageStream (stream: Stream, connection: Connection, receiver: MessageReceiver, limits?: MessageLimits): Promise<void> {
  const publicKey = connection.remotePeer.publicKey?.raw
  const from = connection.remotePeer.toString()
  if (publicKey === undefined) { stream.abort(new Error('peer without a public key')); return }
  // The gate `limitStreams` put on the stream counts its unread bytes against the peer's share and the node's total.
  const gate = readGateOf(stream) ?? new ReadGate(stream, MAX_UNREAD_BYTES_PER_STREAM)
  const lp = lpStream(stream, frameOptions(MAX_ENVELOPE_BYTES))
  const acks = new AckQueue(async frames => await lp.writeV(frames), error => { stream.abort(error) })

  const refuse = (id: string, error: unknown): Ack => {
    const ack = ackFor(id, error)
    receiver.refused?.(from, ack.errorCode as ErrorCode, ack.errorMessage)
    return ack
  }
  // A frame we cannot take is answered, and counts against the peer.
  const refuseFrame = (fault: CausetteError): void => {
    acks.push(refuse('', fault))
    limits?.strike(from, fault.code, fault.message)
  }

  try {
    while (true) {
      // Aborted (a cut-off) or reset: what its buffer still holds may be a flood; read no more.
      if (stream.status === 'aborted' || stream.status === 'reset') return
      if (acks.size >= MAX_IN_FLIGHT_PER_STREAM) await gate.wait(acks.written)
      const turn = limits?.messageTurn(from)
      if (turn !== undefined) await gate.wait(turn)
      let frame
      try {
        frame = await lp.read()
      } catch (error) {
        if ((error as Error).name === 'UnexpectedEOFError') break // the dialer finished sending
        const fault = frameFault(namedReadError(error, `frame (at most ${MAX_ENVELOPE_BYTES} bytes)`))
        if (fault === undefined) throw error // reset or aborted: nobody to answer
        refuseFrame(fault)
        break // the rest of the frame is unread: the stream cannot be resynchronised
      }
      gate.consumed(frame.byteLength + prefixBytes(frame.byteLength))
      let envelope: Envelope
      try {
        envelope = decodeFrame(Envelope, frame, 'frame')
      } catch (error) {
        refuseFrame(error as CausetteError)
        continue
      }
      const message: InboundMessage = { from, fromKey: publicKey, sealed: envelope.sealed, ...(envelope.author !== '' && envelope.author !== from ? { author: envelope.author } : {}) }
      const stored = receiver.receive(message)
      limits?.track(from, stored)
      acks.push(stored.then(id => ackFor(id), error => refuse('', error)))
    }
    await acks.written
    await stream.close()
  } catch (error) {
    stream.abort(error as Error)
  }
}
