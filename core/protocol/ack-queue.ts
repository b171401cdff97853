// The acks of one message stream (message-handler.ts), in the order their envelopes came: each waits
// for its message to be stored, and those ready together leave in one write.
import { MAX_IN_FLIGHT_PER_STREAM } from './limits.js'
import { Ack } from './wire.js'

export class AckQueue {
  readonly #pending: Array<Promise<Ack>> = []
  #writer: Promise<void> = Promise.resolve()

  /**
   * `write` sends encoded acks as one write; `failed` hears why a write failed (the peer reset the
   * stream): the handler aborts the stream then, so that its reader stops too.
   */
  constructor (private readonly write: (acks: Uint8Array[]) => Promise<void>, private readonly failed: (error: Error) => void) {}

  /** Acks queued and not yet written. */
  get size (): number { return this.#pending.length }

  /** Resolves once every ack queued so far is written (or the writing failed). */
  get written (): Promise<void> { return this.#writer }

  /** Queues the ack of the next envelope, written once it and every ack before it are ready. */
  push (ack: Ack | Promise<Ack>): void {
    this.#pending.push(Promise.resolve(ack))
    this.#writer = this.#writer.then(async () => await this.#writeReady()).catch((error: Error) => { this.failed(error) })
  }

  async #writeReady (): Promise<void> {
    while (this.#pending.length > 0) {
      const ready = [await this.#pending.shift()!]
      while (this.#pending.length > 0 && ready.length < MAX_IN_FLIGHT_PER_STREAM) {
        const next = await Promise.race([this.#pending[0]!, Promise.resolve(undefined)])
        if (next === undefined) break
        this.#pending.shift()
        ready.push(next)
      }
      await this.write(ready.map(ack => Ack.encode(ack)))
    }
  }
}
