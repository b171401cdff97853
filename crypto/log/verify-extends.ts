// Does a later export extend an earlier one? Both must verify on their own, be signed by the same
// key, and the later checkpoint must be an append-only extension of the earlier: shown by the root
// recomputed at the old size (full exports) or by a consistency proof the exporter included.
import { equals } from '../encoding.js'
import { LogVerificationError, verifyExport, type ExportReport, type VerifyOptions } from './verify-export.js'
import type { LogPrimitives } from './primitives.js'

export class LogExtensionError extends Error {
  override name = 'LogExtensionError'
  readonly code = 'LOG_NOT_EXTENDED'
}

function fail (why: string): never {
  throw new LogExtensionError(why)
}

/** Says which of the two files a verification error is about. */
async function inFile (which: string, verification: Promise<ExportReport>): Promise<ExportReport> {
  try { return await verification } catch (error) {
    if (error instanceof LogVerificationError) throw new LogVerificationError(`${which}: ${error.reason}`, error.line, error.entry)
    throw error
  }
}

export async function verifyExtends (
  older: AsyncIterable<string> | Iterable<string>,
  newer: AsyncIterable<string> | Iterable<string>,
  primitives: LogPrimitives,
  options: Pick<VerifyOptions, 'trustedKey'> = {}
): Promise<{ older: ExportReport, newer: ExportReport }> {
  const old = await inFile('the older file', verifyExport(older, primitives, options))
  // The newer file must be signed by the same key as the older one (pinned or not).
  const now = await inFile('the newer file', verifyExport(newer, primitives, { trustedKey: old.key, rootAtSize: old.size }))
  const result = { older: old, newer: { ...now, keyPinned: options.trustedKey !== undefined } }
  if (now.size < old.size) fail(`the newer checkpoint (${now.size}) is smaller than the older (${old.size})`)
  if (now.size === old.size) {
    if (!equals(now.root, old.root)) fail('two checkpoints of the same size with different roots: the log was rewritten')
    return result
  }
  if (now.scope === 'full') {
    if (!equals(now.rootAtSize!, old.root)) fail(`the newer export's first ${old.size} entries do not rebuild the older root: the log was rewritten`)
    return result
  }
  // Each consistency line was checked against the newer root while verifying; the older root must
  // be the one it starts from.
  const line = now.consistency.find(c => c.size === old.size)
  if (line === undefined) fail(`the newer export has no consistency proof from size ${old.size}; export the whole journal to compare`)
  if (!equals(line.root, old.root)) fail(`the newer export proves an extension of another tree of size ${old.size}: the log was rewritten`)
  return result
}
