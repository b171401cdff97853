// Verifies a journal export file in the browser, offline, with the same code and therefore the same
// verdict as `causette log verify`: the pure verifier of crypto/log, given libsodium primitives.
// This module and libsodium load only when the verifier page checks a file.
import { toBase64 } from '../../../crypto/encoding.js'
import { LogVerificationError, verifyExport, type ExportReport } from '../../../crypto/log/verify-export.js'
import { exportTextLines } from '../../../crypto/log/export-format.js'
import { findingLines } from '../../../crypto/log/describe-report.js'
import { momentText } from '../lib/time.js'
import { loadSodiumPrimitives } from './sodium-primitives.js'
import { exportedMessages, type ExportedMessage, type VerifyFailure } from './export-messages.js'

export type VerifyOutcome =
  | { verdict: 'valid', summary: string[], messages: ExportedMessage[] }
  /** The file does not verify: `message` is the verifier's, as `causette log verify` prints it after FAILED. */
  | { verdict: 'invalid', failure: VerifyFailure, lines: string[] }

export async function verifyExportText (text: string, trustedKey?: string): Promise<VerifyOutcome> {
  const primitives = await loadSodiumPrimitives()
  const lines = exportTextLines(text)
  try {
    const report = await verifyExport(lines, primitives, trustedKey === undefined ? {} : { trustedKey })
    return { verdict: 'valid', summary: describe(report), messages: exportedMessages(lines) }
  } catch (error) {
    if (!(error instanceof LogVerificationError)) throw error
    return { verdict: 'invalid', failure: { message: error.message, line: error.line, ...(error.entry !== undefined ? { entry: error.entry } : {}) }, lines }
  }
}

function describe (report: ExportReport): string[] {
  const kinds = Object.entries(report.kinds).map(([kind, count]) => `${count} ${kind}`).join(', ')
  return [
    `Signed by ${report.key}${report.keyPinned ? ', the key you gave' : ' (taken from the file: compare it with the key you expect)'}`,
    `Checkpoint of ${report.size} entries, root ${toBase64(report.root)}`,
    `${report.scope === 'full' ? 'The whole journal' : 'A selection, each entry with its inclusion proof'}: ${report.entries} entries and the export's own${kinds === '' ? '' : ` (${kinds})`}`,
    `Message bodies: ${report.bodiesDisclosed} disclosed and matching their signed hashes, ${report.bodiesWithheld} withheld`,
    `Exported ${momentText(report.exportEntry.time as number)}${report.exportEntry.redact === 'yes' ? ', redacted' : ''}`,
    ...(report.consistency.length === 0 ? [] : [`Extends earlier checkpoints of size ${report.consistency.map(c => c.size).join(', ')} (consistency proofs verified)`]),
    // The CLI's findings, its column layout dropped: "Warning: 2 gap(s)…", then each finding.
    ...findingLines(report).map(line => line.trim().replace(/^warning +/, 'Warning: '))
  ]
}
