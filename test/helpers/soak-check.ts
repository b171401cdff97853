// What the soak test checks at the end, per conversation direction: every acknowledged message is at
// its recipient exactly once, with the id its author gave it; a send that got no answer is there at
// most once; nothing else is; and the recipient lists each author's messages in the order written.
import type { MessageView } from '../../core/api/schema.js'
import { soakText, type PairLedger } from './soak-traffic.js'

export interface PairFindings {
  pair: string
  /** Acknowledged n not found at the recipient. */
  missing: number[]
  /** n found more than once. */
  duplicated: number[]
  /** Messages that match no send of this pair, or an acknowledged n under another id. */
  unexpected: string[]
  /** Neighbours in the recipient's listing that are not in the author's order: `#a before #b`. */
  outOfOrder: string[]
  /** Present messages that were not acknowledged (sends that got no answer and were stored). */
  uncertainPresent: number
}

const SOAK_TEXT = /^soak (\S+) -> (\S+) #(\d+)$/

/** `received`: the recipient's incoming messages from the author, in the recipient's listing order. */
export function checkPair (ledger: PairLedger, received: MessageView[]): PairFindings {
  const { author, recipient } = ledger
  const pair = `${author.name} -> ${recipient.name}`
  const ackedIds = new Map(ledger.acked.map(({ n, id }) => [n, id]))
  const maybe = new Set([...ledger.uncertain, ...ledger.rejected.map(({ n }) => n)])
  const seen = new Map<number, number>()
  const findings: PairFindings = { pair, missing: [], duplicated: [], unexpected: [], outOfOrder: [], uncertainPresent: 0 }

  let previous: { n: number, seq?: number } | undefined
  for (const message of received) {
    const n = Number(SOAK_TEXT.exec(message.text)?.[3])
    const known = message.text === soakText(author.name, recipient.name, n) && (ackedIds.has(n) || maybe.has(n))
    if (!known || message.author !== author.peerId || (ackedIds.has(n) && ackedIds.get(n) !== message.id)) {
      findings.unexpected.push(`${message.id} "${message.text}"`)
      continue
    }
    seen.set(n, (seen.get(n) ?? 0) + 1)
    const seq = (message as { seq?: number }).seq
    if (previous !== undefined && (n <= previous.n || (seq !== undefined && previous.seq !== undefined && seq <= previous.seq))) {
      findings.outOfOrder.push(`#${previous.n}${previous.seq === undefined ? '' : ` (seq ${previous.seq})`} before #${n}${seq === undefined ? '' : ` (seq ${seq})`}`)
    }
    previous = { n, ...(seq === undefined ? {} : { seq }) }
  }
  for (const [n, count] of seen) {
    if (count > 1) findings.duplicated.push(n)
    if (maybe.has(n)) findings.uncertainPresent++
  }
  findings.missing = [...ackedIds.keys()].filter(n => !seen.has(n))
  return findings
}

export function isClean (findings: PairFindings): boolean {
  return findings.missing.length + findings.duplicated.length + findings.unexpected.length + findings.outOfOrder.length === 0
}
