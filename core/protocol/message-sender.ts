// /causette/msg/1.0.0, dialer side: one long-lived stream per peer, envelopes pipelined, acks
// matched to envelopes in order. A failed stream rejects what it had in flight (the outbox keeps
// those messages) and the next send opens a new one.
import type { Libp2p, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { pbStream, type ProtobufStream } from '@libp2p/utils'
import { CausetteError } from '../errors.js'
import { IDLE_STREAM_MS, MAX_ACK_BYTES, MESSAGE_PROTOCOL } from './limits.js'
import { Ack, Envelope } from './wire.js'

interface Waiter { resolve: (ack: Ack) => void, reject: (error: Error) => void }

class PeerStream {
  private readonly waiting: Waiter[] = []
  private readonly outgoing: Envelope[] = []
  private idleTimer: NodeJS.Timeout | undefined
  closed = false

  constructor (private readonly stream: Stream, private readonly pb: ProtobufStream<Stream>, private readonly onClosed: () => void) {
    void this.readAcks()
  }

  async send (envelope: Envelope): Promise<Ack> {
    clearTimeout(this.idleTimer)
    const ack = new Promise<Ack>((resolve, reject) => { this.waiting.push({ resolve, reject }) })
    // Envelopes sent in the same turn leave in one write: one Noise frame and one syscall for many.
    this.outgoing.push(envelope)
    if (this.outgoing.length === 1) queueMicrotask(() => { void this.writeOutgoing() })
    return await ack
  }

  private async writeOutgoing (): Promise<void> {
    const batch = this.outgoing.splice(0)
    try {
      await this.pb.writeV(batch, Envelope)
    } catch (error) {
      this.fail(error as Error)
    }
  }

  private async readAcks (): Promise<void> {
    try {
      while (true) {
        const ack = await this.pb.read(Ack)
        const waiter = this.waiting.shift()
        if (waiter === undefined) throw new CausetteError('BAD_FRAME', 'ack without a message')
        waiter.resolve(ack)
        if (this.waiting.length === 0) this.armIdleTimer()
      }
    } catch (error) {
      this.fail(error as Error)
    }
  }

  private armIdleTimer (): void {
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => { void this.stream.close().catch(() => {}); this.fail(new Error('idle')) }, IDLE_STREAM_MS)
    this.idleTimer.unref()
  }

  fail (error: Error): void {
    if (this.closed) return
    this.closed = true
    clearTimeout(this.idleTimer)
    if (this.stream.status === 'open') this.stream.abort(error)
    for (const waiter of this.waiting.splice(0)) waiter.reject(error)
    this.onClosed()
  }
}

export class MessageSender {
  private readonly open = new Map<string, PeerStream>()
  private readonly opening = new Map<string, Promise<PeerStream>>()

  constructor (private readonly libp2p: Libp2p) {}

  /**
   * Sends over an existing connection only; rejects when the peer is not connected. On an open
   * stream the envelope is queued synchronously, so the envelopes of one flush leave in one write.
   */
  async send (peer: string, envelope: Envelope): Promise<Ack> {
    const stream = this.open.get(peer) ?? await this.openStream(peer)
    return await stream.send(envelope)
  }

  private async openStream (peer: string): Promise<PeerStream> {
    let opening = this.opening.get(peer)
    if (opening === undefined) {
      opening = this.newStream(peer).finally(() => this.opening.delete(peer))
      this.opening.set(peer, opening)
    }
    return await opening
  }

  private async newStream (peer: string): Promise<PeerStream> {
    const connection = this.libp2p.getConnections(peerIdFromString(peer)).find(c => c.status === 'open')
    if (connection === undefined) throw new CausetteError('UNKNOWN_PEER', 'peer is not connected')
    const stream = await connection.newStream(MESSAGE_PROTOCOL)
    const session: PeerStream = new PeerStream(stream, pbStream(stream, { maxDataLength: MAX_ACK_BYTES }), () => {
      if (this.open.get(peer) === session) this.open.delete(peer)
    })
    this.open.set(peer, session)
    return session
  }

  stop (): void {
    for (const stream of this.open.values()) stream.fail(new Error('node stopping'))
    this.open.clear()
  }
}
