// Reads a byte stream (an async iterable of pieces, as a file or an HTTP body gives them) piece by
// piece: exact lengths for headers, and bounded runs passed on as they come, so memory stays flat.
export class EndOfStreamError extends Error {
  override name = 'EndOfStreamError'
}

export class ByteReader {
  readonly #source: AsyncIterator<Uint8Array>
  #pending: Uint8Array = new Uint8Array(0)
  #done = false

  constructor (source: AsyncIterable<Uint8Array>) {
    this.#source = source[Symbol.asyncIterator]()
  }

  /** Exactly `length` bytes; EndOfStreamError if the stream ends first. For headers: small lengths. */
  async readExact (length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length)
    let filled = 0
    await this.pass(length, piece => { out.set(piece, filled); filled += piece.byteLength })
    return out
  }

  /** Bytes up to the next newline (not included), at most `max`; undefined if none within `max`. */
  async readLine (max: number): Promise<string | undefined> {
    const bytes: number[] = []
    while (bytes.length <= max) {
      const [byte] = await this.readExact(1)
      if (byte === 0x0a) return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes))
      bytes.push(byte!)
    }
    return undefined
  }

  /** Hands the next `length` bytes to `sink` as they arrive (awaiting it: backpressure). */
  async pass (length: number, sink: (piece: Uint8Array) => unknown): Promise<void> {
    let left = length
    while (left > 0) {
      if (this.#pending.byteLength === 0 && !await this.#pull()) throw new EndOfStreamError(`the stream ended ${left} bytes early`)
      const piece = this.#pending.subarray(0, Math.min(left, this.#pending.byteLength))
      this.#pending = this.#pending.subarray(piece.byteLength)
      left -= piece.byteLength
      await sink(piece)
    }
  }

  /** True when nothing follows. */
  async atEnd (): Promise<boolean> {
    return this.#pending.byteLength === 0 && !await this.#pull()
  }

  /** Lets go of the source (a refused upload is not read to its end). */
  async cancel (): Promise<void> {
    if (!this.#done) { this.#done = true; await this.#source.return?.() }
  }

  async #pull (): Promise<boolean> {
    while (!this.#done) {
      const next = await this.#source.next()
      if (next.done === true) { this.#done = true; return false }
      if (next.value.byteLength > 0) { this.#pending = next.value; return true }
    }
    return false
  }
}
