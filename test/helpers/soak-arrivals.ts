// What arrived where, read through the members' APIs at the end of the soak test: each pair's
// findings at its recipient, the acknowledged messages as their senders show them, and findings
// in words for a failure message.
import type { MessageView } from '../../core/api/schema.js'
import { checkPair, type PairFindings } from './soak-check.js'
import { conversation } from './soak-nodes.js'
import type { PairLedger } from './soak-traffic.js'

/** Each pair's findings at its recipient now. */
export async function findings (ledgers: PairLedger[]): Promise<PairFindings[]> {
  return await Promise.all(ledgers.map(async ledger => {
    const received = (await conversation(ledger.recipient, ledger.author)).filter(message => message.direction === 'in')
    return checkPair(ledger, received)
  }))
}

/** The acknowledged messages as their senders show them now, with the ledger's n. */
export async function senderCopies (ledgers: PairLedger[]): Promise<Array<{ ledger: PairLedger, n: number, copy: MessageView | undefined }>> {
  const lists = await Promise.all(ledgers.map(async ledger => {
    const copies = new Map((await conversation(ledger.author, ledger.recipient)).map(message => [message.id, message]))
    return ledger.acked.map(({ n, id }) => ({ ledger, n, copy: copies.get(id) }))
  }))
  return lists.flat()
}

/** Acknowledged messages whose sender does not (yet) show them delivered or read. */
export async function undelivered (ledgers: PairLedger[]): Promise<string[]> {
  return (await senderCopies(ledgers)).filter(({ copy }) => !['delivered', 'read'].includes(copy?.state ?? 'missing'))
    .map(({ ledger, n, copy }) => `${ledger.author.name} -> ${ledger.recipient.name} #${n} ${copy?.state ?? 'missing at the sender'}`)
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`

/** A pair's findings in words (times from the start of the traffic); a missing message with its id and its state at the sender. */
export async function describeFindings (ledger: PairLedger, found: PairFindings, trafficAt: number): Promise<string> {
  const list = (what: string, items: unknown[]): string => items.length === 0 ? '' : ` ${what} ${items.length}: ${items.slice(0, 20).join(', ')}${items.length > 20 ? ', ...' : ''};`
  const atSender = found.missing.length === 0 ? new Map<string, MessageView>() : new Map((await conversation(ledger.author, ledger.recipient)).map(message => [message.id, message]))
  const missing = found.missing.map(n => {
    const id = ledger.acked.find(acked => acked.n === n)!.id
    const copy = atSender.get(id)
    return `#${n} (id ${id}, ${copy === undefined ? 'gone at the sender' : `seq ${copy.seq}, written at ${seconds(copy.time - trafficAt)}, ${copy.state}${copy.stateReason === undefined ? '' : ` (${copy.stateReason})`} at the sender since ${seconds(copy.stateTime - trafficAt)}`})`
  })
  return `${found.pair}:${list('missing', missing)}${list('duplicated', found.duplicated)}${list('unexpected', found.unexpected)}${list('out of order', found.outOfOrder)}`
}
