// The dialer side of our request/answer protocols: one long-lived stream per peer, requests
// pipelined, answers matched to requests in order. A failed stream rejects what it had in flight
// (the caller keeps those requests) and the next send opens a new one.
import type { Libp2p, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { pbStream, type ProtobufDecoder, type ProtobufEncoder, type ProtobufStream } from '@libp2p/utils'
import { CausetteError } from '../errors.js'
import { IDLE_STREAM_MS } from './limits.js'
import { frameOptions } from './length-prefix.js'

interface Waiter<Answer> { resolve: (answer: Answer) => void, reject: (error: Error) => void }

export interface PipelinedProtocol<Request, Answer> {
  protocol: string
  request: { encode: ProtobufEncoder<Request> }
  answer: { decode: ProtobufDecoder<Answer> }
  maxAnswerBytes: number
}

class PeerStream<Request, Answer> {
  private readonly waiting: Array<Waiter<Answer>> = []
  private readonly outgoing: Request[] = []
  private idleTimer: NodeJS.Timeout | undefined
  closed = false

  constructor (private readonly wire: PipelinedProtocol<Request, Answer>, private readonly stream: Stream, private readonly pb: ProtobufStream<Stream>, private readonly onClosed: () => void) {
    void this.readAnswers()
  }

  async send (request: Request): Promise<Answer> {
    clearTimeout(this.idleTimer)
    const answer = new Promise<Answer>((resolve, reject) => { this.waiting.push({ resolve, reject }) })
    // Requests sent in the same turn leave in one write: one Noise frame and one syscall for many.
    this.outgoing.push(request)
    if (this.outgoing.length === 1) queueMicrotask(() => { void this.writeOutgoing() })
    return await answer
  }

  private async writeOutgoing (): Promise<void> {
    const batch = this.outgoing.splice(0)
    try {
      await this.pb.writeV(batch, this.wire.request)
    } catch (error) {
      this.fail(error as Error)
    }
  }

  private async readAnswers (): Promise<void> {
    try {
      while (true) {
        const answer = await this.pb.read(this.wire.answer)
        const waiter = this.waiting.shift()
        if (waiter === undefined) throw new CausetteError('BAD_FRAME', 'an answer without a request')
        waiter.resolve(answer)
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

export class PipelinedSender<Request, Answer> {
  private readonly open = new Map<string, PeerStream<Request, Answer>>()
  private readonly opening = new Map<string, Promise<PeerStream<Request, Answer>>>()

  constructor (private readonly libp2p: Libp2p, private readonly wire: PipelinedProtocol<Request, Answer>) {}

  /**
   * Sends over an existing connection only; rejects when the peer is not connected. On an open
   * stream the request is queued synchronously, so the requests of one turn leave in one write.
   */
  async send (peer: string, request: Request): Promise<Answer> {
    const stream = this.open.get(peer) ?? await this.openStream(peer)
    return await stream.send(request)
  }

  private async openStream (peer: string): Promise<PeerStream<Request, Answer>> {
    let opening = this.opening.get(peer)
    if (opening === undefined) {
      opening = this.newStream(peer).finally(() => this.opening.delete(peer))
      this.opening.set(peer, opening)
    }
    return await opening
  }

  private async newStream (peer: string): Promise<PeerStream<Request, Answer>> {
    const connection = this.libp2p.getConnections(peerIdFromString(peer)).find(c => c.status === 'open')
    if (connection === undefined) throw new CausetteError('UNKNOWN_PEER', 'peer is not connected')
    const stream = await connection.newStream(this.wire.protocol)
    const session: PeerStream<Request, Answer> = new PeerStream(this.wire, stream, pbStream(stream, frameOptions(this.wire.maxAnswerBytes)), () => {
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
