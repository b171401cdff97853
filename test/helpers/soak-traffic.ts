// The soak test's traffic: every ordered pair of nodes is a 1:1 conversation in which the author
// sends `soak <author> -> <recipient> #<n>`, n = 1, 2, 3..., one at a time, paced to spread over the
// run. The ledger keeps what each sender's API acknowledged (201: durably queued, so it must arrive)
// and what it may or may not have stored (no answer: the daemon died mid-call).
import { setTimeout as sleep } from 'node:timers/promises'
import type { MessageView } from '../../core/api/schema.js'
import type { SoakApi } from './soak-api.js'

export interface SoakNode {
  name: string
  peerId: string
  /** Its API; calls made while the daemon is down answer `refused`. */
  api: SoakApi
}

export interface PairLedger {
  author: SoakNode
  recipient: SoakNode
  /** n of every message whose send was answered 201, in order, with the sender's message id. */
  acked: Array<{ n: number, id: string }>
  /** n of sends that got no answer: stored at most once, maybe not at all. */
  uncertain: number[]
  /** n of sends answered with an error status: never stored. */
  rejected: Array<{ n: number, status: number, body: unknown }>
}

export function soakText (author: string, recipient: string, n: number): string {
  return `soak ${author} -> ${recipient} #${n}`
}

/** While the author's daemon is down (nothing listens), the same send is tried again this often. */
const REFUSED_RETRY_MS = 200

export interface TrafficPlan {
  /** Messages in all, shared among the ordered pairs. */
  messages: number
  /** The sends of each pair are spread over this long. */
  durationMs: number
}

/** Every ordered pair's ledger, each filled by its own sequential sender loop. */
export function pairLedgers (nodes: SoakNode[]): PairLedger[] {
  return nodes.flatMap(author => nodes.filter(recipient => recipient !== author)
    .map(recipient => ({ author, recipient, acked: [], uncertain: [], rejected: [] })))
}

/** Sends the whole plan; resolves when every pair has sent its share. */
export async function sendTraffic (plan: TrafficPlan, ledgers: PairLedger[]): Promise<void> {
  const startedAt = Date.now()
  await Promise.all(ledgers.map(async (ledger, index) => {
    const count = Math.floor(plan.messages / ledgers.length) + (index < plan.messages % ledgers.length ? 1 : 0)
    for (let n = 1; n <= count; n++) {
      const due = startedAt + (n - 1) * plan.durationMs / count
      if (due > Date.now()) await sleep(due - Date.now())
      await sendOne(ledger, n)
    }
  }))
}

async function sendOne (ledger: PairLedger, n: number): Promise<void> {
  const { author, recipient } = ledger
  for (;;) {
    const answer = await author.api.call('POST', '/api/v1/messages', { to: recipient.peerId, text: soakText(author.name, recipient.name, n) })
    if ('status' in answer) {
      if (answer.status === 201) ledger.acked.push({ n, id: (answer.body as MessageView).id })
      else ledger.rejected.push({ n, status: answer.status, body: answer.body })
      return
    }
    if (answer.failure === 'broken') {
      ledger.uncertain.push(n)
      return
    }
    await sleep(REFUSED_RETRY_MS)
  }
}
