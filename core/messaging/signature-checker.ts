// Author signatures of inbound messages, checked in batches: the checks requested in one turn of the
// event loop are made together, on the calling thread when there are few (no hop to add to a lone
// message's latency), on a pool of worker threads when a burst arrives (the main thread goes on
// decrypting and storing while the other cores verify).
import { ed25519Verify } from '../../crypto/ed25519.js'
import type { SignatureCheck } from '../../crypto/log/primitives.js'

export interface BatchVerifier { verifyBatch: (checks: SignatureCheck[]) => Promise<boolean[]> }

/** Fewer checks than this in one turn are made inline. */
export const INLINE_BELOW = 8

interface Pending { check: SignatureCheck, resolve: (ok: boolean) => void, reject: (error: Error) => void }

export class SignatureChecker {
  private pending: Pending[] = []

  constructor (private readonly pool?: BatchVerifier) {}

  async verify (check: SignatureCheck): Promise<boolean> {
    return await new Promise((resolve, reject) => {
      this.pending.push({ check, resolve, reject })
      if (this.pending.length === 1) setImmediate(() => { void this.run() })
    })
  }

  private async run (): Promise<void> {
    const batch = this.pending
    this.pending = []
    if (this.pool === undefined || batch.length < INLINE_BELOW) {
      for (const { check, resolve } of batch) resolve(ed25519Verify(check.publicKey, check.message, check.signature))
      return
    }
    try {
      const results = await this.pool.verifyBatch(batch.map(p => p.check))
      batch.forEach((p, i) => { p.resolve(results[i]!) })
    } catch (error) {
      for (const p of batch) p.reject(error as Error)
    }
  }
}
