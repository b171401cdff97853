// /causette/msg/1.0.0, dialer side: envelopes pipelined on one long-lived stream per peer, acks
// matched to envelopes in order (pipelined-sender.ts).
import type { Libp2p } from '@libp2p/interface'
import { MAX_ACK_BYTES } from './limits.js'
import { MESSAGE_PROTOCOL } from './protocol-ids.js'
import { PipelinedSender } from './pipelined-sender.js'
import { Ack, Envelope } from './wire.js'

export class MessageSender extends PipelinedSender<Envelope, Ack> {
  constructor (libp2p: Libp2p) {
    super(libp2p, { protocol: MESSAGE_PROTOCOL, request: Envelope, answer: Ack, maxAnswerBytes: MAX_ACK_BYTES })
  }
}
