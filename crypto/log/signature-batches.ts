// Signatures checked in batches through LogPrimitives.ed25519VerifyBatch, while the verifier
// reads on. A bounded number of batches is in flight, so memory stays bounded; a failure is reported
// only if no earlier line failed, so the error still names the first bad entry of the file.
import type { LogPrimitives, SignatureCheck } from './primitives.js'

const BATCH_SIZE = 256
const MAX_IN_FLIGHT = 8

export interface PlacedCheck extends SignatureCheck { line: number, entry: number }
export interface PlacedFailure { line: number, entry: number, reason?: string }

export class SignatureBatches {
  readonly #verify: NonNullable<LogPrimitives['ed25519VerifyBatch']>
  #batch: PlacedCheck[] = []
  readonly #inFlight: Array<Promise<void>> = []
  #firstFailure?: PlacedFailure

  constructor (verify: NonNullable<LogPrimitives['ed25519VerifyBatch']>) {
    this.#verify = verify
  }

  add (check: PlacedCheck): void {
    this.#batch.push(check)
    if (this.#batch.length >= BATCH_SIZE) this.#dispatch()
  }

  /** A promise to await before reading on when too many batches are in flight, else undefined. */
  backpressure (): Promise<void> | undefined {
    return this.#inFlight.length >= MAX_IN_FLIGHT ? this.#inFlight[0] : undefined
  }

  /** Waits for every check; returns the earliest failure, if any. */
  async settle (): Promise<PlacedFailure | undefined> {
    this.#dispatch()
    while (this.#inFlight.length > 0) await this.#inFlight[0]
    return this.#firstFailure
  }

  #dispatch (): void {
    if (this.#batch.length === 0) return
    const batch = this.#batch
    this.#batch = []
    const done: Promise<void> = this.#verify(batch).then(results => {
      const bad = batch.find((_, i) => results[i] !== true)
      if (bad !== undefined && (this.#firstFailure === undefined || bad.line < this.#firstFailure.line)) this.#firstFailure = { line: bad.line, entry: bad.entry, reason: bad.reason }
    }).finally(() => { this.#inFlight.splice(this.#inFlight.indexOf(done), 1) })
    this.#inFlight.push(done)
  }
}
