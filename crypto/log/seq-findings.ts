// The author's `seq` (1, 2, 3, ... per author and conversation, in each signed statement) lets an
// auditor see gaps and reorderings. In file order, a statement whose seq is not one above the last
// one seen from its author in its conversation is a finding: a gap (messages missing from the
// file: never received, not selected by a subset, or before the journal began) or a reordering
// (a seq at or below one already seen). Findings are warnings, not failures: a journal records
// what reached it, in the order it arrived, and that can honestly have gaps and reorderings.
import { toBase64 } from '../encoding.js'
import type { Statement } from '../statement.js'

export interface SeqFinding { entry: number, line: number, author: string, conversation: string, seq: number, previous: number, what: 'gap' | 'reordered' }

/** At most this many findings are kept (their total is still counted). */
export const MAX_FINDINGS = 100

export class SeqFindings {
  readonly #last = new Map<string, number>()
  readonly findings: SeqFinding[] = []
  total = 0

  see (statement: Statement, entry: number, line: number): void {
    const author = toBase64(statement.author)
    const key = `${author} ${statement.conversation}`
    const previous = this.#last.get(key) ?? 0
    if (statement.seq === previous + 1) {
      this.#last.set(key, statement.seq)
      return
    }
    this.total++
    const what = statement.seq > previous ? 'gap' : 'reordered'
    if (this.findings.length < MAX_FINDINGS) this.findings.push({ entry, line, author, conversation: statement.conversation, seq: statement.seq, previous, what })
    if (statement.seq > previous) this.#last.set(key, statement.seq)
  }
}

export function describeFinding (f: SeqFinding): string {
  return f.what === 'gap'
    ? `entry ${f.entry} (line ${f.line}): seq ${f.seq} of ${f.author} in conversation ${f.conversation} follows ${f.previous}: ${f.seq - f.previous - 1} message(s) not in the file`
    : `entry ${f.entry} (line ${f.line}): seq ${f.seq} of ${f.author} in conversation ${f.conversation} comes after ${f.previous}: reordered or repeated`
}
