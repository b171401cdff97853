// Verifies an export file given as lines (docs/log-format.md §5), with the state machine of
// export-verifier.ts; signatures are checked inline, or in batches when the primitives can.
import { ExportVerifier, LogVerificationError, type ExportReport, type VerifyOptions } from './export-verifier.js'
import type { LogPrimitives } from './primitives.js'
import { SignatureBatches } from './signature-batches.js'
import { AUTHOR_SIGNATURE_FAILS } from './verify-entry.js'

export { ExportVerifier, LogVerificationError, type ExportReport, type VerifyOptions } from './export-verifier.js'

/**
 * Verifies an export given as lines (an async iterable, e.g. a file read line by line). With
 * `primitives.ed25519VerifyBatch`, signatures are checked in batches alongside the reading;
 * the error is still the one of the first failing line.
 */
export async function verifyExport (lines: AsyncIterable<string> | Iterable<string>, primitives: LogPrimitives, options: VerifyOptions = {}): Promise<ExportReport> {
  const batch = primitives.ed25519VerifyBatch
  if (batch === undefined) {
    const verifier = new ExportVerifier(primitives, options)
    for await (const text of lines) verifier.push(text)
    return verifier.finish()
  }
  const signatures = new SignatureBatches(batch)
  const verifier = new ExportVerifier(primitives, options, check => { signatures.add(check) })
  let report: ExportReport | undefined
  let failure: unknown
  try {
    for await (const text of lines) {
      verifier.push(text)
      const wait = signatures.backpressure()
      if (wait !== undefined) await wait
    }
    report = verifier.finish()
  } catch (error) {
    failure = error
  }
  const badSignature = await signatures.settle()
  if (badSignature !== undefined && !(failure instanceof LogVerificationError && failure.line <= badSignature.line)) {
    throw new LogVerificationError(badSignature.reason ?? AUTHOR_SIGNATURE_FAILS, badSignature.line, badSignature.entry)
  }
  if (report === undefined) throw failure
  return report
}
