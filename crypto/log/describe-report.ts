// The human and JSON summaries of a verified export, for `causette log verify`.
import { toBase64 } from '../encoding.js'
import type { ExportReport } from './verify-export.js'
import { describeFinding } from './seq-findings.js'
import { describeConversationFinding } from './conversation-findings.js'

export function describeReport (report: ExportReport): string[] {
  const kinds = Object.entries(report.kinds).map(([kind, count]) => `${count} ${kind}`).join(', ')
  const e = report.exportEntry
  const filter = ['with', 'conversation', 'since', 'until'].flatMap(f => e[`filter-${f}`] === undefined ? [] : [`${f}=${String(e[`filter-${f}`])}`])
  return [
    `  key         ${report.key}${report.keyPinned ? ' (pinned with --key)' : ' (taken from the file: pin it with --key)'}`,
    `  checkpoint  ${report.size} entries, root ${toBase64(report.root)}`,
    `  scope       ${report.scope === 'full' ? 'the whole journal' : 'a selection, each entry with its inclusion proof'}: ${report.entries} entries and the export's own (${kinds})`,
    `  bodies      ${report.bodiesDisclosed} disclosed and matching their signed hashes, ${report.bodiesWithheld} withheld`,
    `  export      made ${new Date(e.time as number).toISOString()}${filter.length === 0 ? '' : `, filter ${filter.join(' ')}`}${e.redact === 'yes' ? ', redacted' : ''}`,
    ...(report.consistency.length === 0 ? [] : [`  extends     earlier checkpoints of size ${report.consistency.map(c => c.size).join(', ')} (consistency proofs verified)`]),
    ...findingLines(report)
  ]
}

/** The findings: warnings, the file verifies (docs/log-format.md §5, step 9). */
export function findingLines (report: ExportReport): string[] {
  return [
    ...warning(`${report.seqFindingsTotal} gap(s) or reordering(s) in the authors' seq:`, report.seqFindings.map(describeFinding), report.seqFindingsTotal),
    ...warning(`${report.conversationFindingsTotal} 1:1 message(s) filed in a conversation that is not between their author and recipient: the author signed a statement naming it, and a node that did not yet check this filed the message there:`,
      report.conversationFindings.map(describeConversationFinding), report.conversationFindingsTotal)
  ]
}

function warning (heading: string, described: string[], total: number): string[] {
  if (total === 0) return []
  const more = total - described.length
  return [`  warning     ${heading}`, ...described.map(line => `    ${line}`), ...(more > 0 ? [`    and ${more} more`] : [])]
}

export function reportJson (report: ExportReport): Record<string, unknown> {
  return {
    ...report,
    root: toBase64(report.root),
    rootAtSize: report.rootAtSize === undefined ? undefined : toBase64(report.rootAtSize),
    consistency: report.consistency.map(c => ({ size: c.size, root: toBase64(c.root) }))
  }
}
