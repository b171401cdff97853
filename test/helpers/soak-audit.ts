// While the soak traffic flows: does "delivered" at a sender tell the truth? Each round reads a
// sender's copies first and its recipient's messages after, so a message the sender shows delivered
// (or read) must already be at the recipient. Pairs with a member down at that moment are skipped.
import { setTimeout as sleep } from 'node:timers/promises'
import type { MessageView } from '../../core/api/schema.js'
import { conversation } from './soak-nodes.js'
import type { PairLedger, SoakNode } from './soak-traffic.js'

const ROUND_PAUSE_MS = 3_000

export interface AuditResult {
  rounds: number
  /** Pair checks made (both members answering). */
  checks: number
  /** Messages shown delivered at their sender while absent at their recipient, in words. */
  earlyDelivered: string[]
}

async function listed (member: SoakNode, peer: SoakNode): Promise<MessageView[] | undefined> {
  try {
    return await conversation(member, peer)
  } catch {
    return undefined // down or restarting: not this round
  }
}

/** Audits rounds until `until` resolves. */
export async function auditDeliveredStates (ledgers: PairLedger[], until: Promise<void>, startedAt: number): Promise<AuditResult> {
  const result: AuditResult = { rounds: 0, checks: 0, earlyDelivered: [] }
  const reported = new Set<string>()
  let done = false
  void until.then(() => { done = true })
  while (!done) {
    await Promise.all(ledgers.map(async ledger => {
      const { author, recipient } = ledger
      const atSender = await listed(author, recipient)
      if (atSender === undefined) return
      const shownDelivered = atSender.filter(message => message.direction === 'out' && (message.state === 'delivered' || message.state === 'read'))
      const atRecipient = await listed(recipient, author)
      if (atRecipient === undefined) return
      result.checks++
      const present = new Set(atRecipient.map(message => message.id))
      for (const message of shownDelivered) {
        if (present.has(message.id) || reported.has(message.id)) continue
        reported.add(message.id)
        result.earlyDelivered.push(`"${message.text}" (seq ${message.seq}, ${message.state} since ${((message.stateTime - startedAt) / 1000).toFixed(1)}s)`)
      }
    }))
    result.rounds++
    await Promise.race([sleep(ROUND_PAUSE_MS), until])
  }
  return result
}
