// /causette/msg/1.0.0, listener side: decode and bound every frame, check the statement (signature,
// author = the peer at the other end of this Noise connection, we are a recipient, body matches its
// commitment), then hand a domain object to the messaging logic through `MessageReceiver`.
// Envelopes are pipelined: reading goes on while earlier ones are being stored, and acks leave in
// order, each only once its message is durably stored.
import type { Connection, Stream } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import { bodyCommitment, verifyStatement } from '../../crypto/statement-signature.js'
import { equals } from '../../crypto/encoding.js'
import type { Statement } from '../../crypto/statement.js'
import { CausetteError, isCausetteError, type ErrorCode } from '../errors.js'
import { MAX_BODY_BYTES, MAX_ENVELOPE_BYTES, MAX_IN_FLIGHT_PER_STREAM } from './limits.js'
import { Ack, Envelope } from './wire.js'

export interface InboundMessage {
  /** PeerId of the authenticated sender (the Noise connection's remote peer) */
  from: string
  statement: Statement
  statementBytes: Uint8Array
  signature: Uint8Array
  salt: Uint8Array
  text: string
}

/** What the messaging logic offers this protocol. */
export interface MessageReceiver {
  /** Resolves once the message is durably stored; rejects with a CausetteError to refuse it. */
  receive: (message: InboundMessage) => Promise<void>
  /** Called for every refused frame, for logs and tests. */
  refused?: (from: string, code: ErrorCode, message: string) => void
}

const textDecoder = new TextDecoder('utf-8', { fatal: true })

/** Checks one envelope; throws CausetteError naming what is wrong. */
export function checkEnvelope (envelope: Envelope, from: { peerId: string, publicKey: Uint8Array }, localKey: Uint8Array): InboundMessage {
  if (envelope.body.length > MAX_BODY_BYTES) throw new CausetteError('FRAME_TOO_LARGE', `body over ${MAX_BODY_BYTES} bytes`)
  let statement: Statement
  try {
    statement = verifyStatement(envelope.statement, envelope.signature)
  } catch (error) {
    throw new CausetteError('BAD_STATEMENT', (error as Error).message)
  }
  if (!equals(statement.author, from.publicKey)) throw new CausetteError('WRONG_AUTHOR', 'statement author is not the sending peer')
  if (!statement.recipients.some(r => equals(r, localKey))) throw new CausetteError('NOT_A_RECIPIENT', 'this node is not a recipient')
  if (!equals(bodyCommitment(envelope.salt, envelope.body), statement.bodyHash)) throw new CausetteError('BAD_STATEMENT', 'body does not match its commitment')
  let text: string
  try { text = textDecoder.decode(envelope.body) } catch { throw new CausetteError('BAD_FRAME', 'body is not UTF-8') }
  return { from: from.peerId, statement, statementBytes: envelope.statement, signature: envelope.signature, salt: envelope.salt, text }
}

function ackFor (id: string, error?: unknown): Ack {
  if (error === undefined) return { id, errorCode: '', errorMessage: '' }
  const code: ErrorCode = isCausetteError(error) ? error.code : 'BAD_FRAME'
  return { id, errorCode: code, errorMessage: isCausetteError(error) ? error.message : 'could not store the message' }
}

export async function handleMessageStream (stream: Stream, connection: Connection, receiver: MessageReceiver, localKey: Uint8Array): Promise<void> {
  const publicKey = connection.remotePeer.publicKey?.raw
  const from = connection.remotePeer.toString()
  if (publicKey === undefined) { stream.abort(new Error('peer without a public key')); return }
  const pb = pbStream(stream, { maxDataLength: MAX_ENVELOPE_BYTES })
  const pending: Array<Promise<Ack>> = []
  let writer = Promise.resolve()

  const refuse = (id: string, error: unknown): Ack => {
    const ack = ackFor(id, error)
    receiver.refused?.(from, ack.errorCode as ErrorCode, ack.errorMessage)
    return ack
  }
  // Acks leave in order; those ready together leave in one write.
  const flushAcks = (): void => {
    writer = writer.then(async () => {
      while (pending.length > 0) {
        const ready = [await pending.shift()!]
        while (pending.length > 0 && ready.length < MAX_IN_FLIGHT_PER_STREAM) {
          const next = await Promise.race([pending[0]!, Promise.resolve(undefined)])
          if (next === undefined) break
          pending.shift()
          ready.push(next)
        }
        await pb.writeV(ready, Ack)
      }
    })
  }

  try {
    while (true) {
      if (pending.length >= MAX_IN_FLIGHT_PER_STREAM) await writer
      let envelope: Envelope
      try {
        envelope = await pb.read(Envelope)
      } catch (error) {
        if ((error as Error).name === 'UnexpectedEOFError') break // the dialer finished sending
        const tooLarge = (error as Error).name === 'InvalidDataLengthError'
        const code = tooLarge ? 'FRAME_TOO_LARGE' : 'BAD_FRAME'
        pending.push(Promise.resolve(refuse('', new CausetteError(code, tooLarge ? `frame over ${MAX_ENVELOPE_BYTES} bytes` : 'undecodable frame'))))
        if (tooLarge) break // the rest of the frame is unread: the stream cannot be resynchronised
        flushAcks()
        continue
      }
      let message: InboundMessage
      try {
        message = checkEnvelope(envelope, { peerId: from, publicKey }, localKey)
      } catch (error) {
        pending.push(Promise.resolve(refuse('', error)))
        flushAcks()
        continue
      }
      const id = message.statement.id
      pending.push(receiver.receive(message).then(() => ackFor(id), error => refuse(id, error)))
      flushAcks()
    }
    flushAcks()
    await writer
    await stream.close()
  } catch (error) {
    stream.abort(error as Error)
  }
}
