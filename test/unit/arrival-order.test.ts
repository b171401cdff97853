// Where an incoming message goes in its conversation (core/store/arrival-order.ts): by arrival here,
// an author's own order kept, also when several of its messages are placed before any is stored.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { ArrivalOrder } from '../../core/store/arrival-order.js'
import type { Database } from '../../core/store/database.js'
import type { MessageRecord } from '../../core/store/records.js'

type Stored = Pick<MessageRecord, 'conversation' | 'author' | 'seq' | 'arrived' | 'time'>

/** The conversation's stored messages, as the order reads them back (newest arrival first). */
function storeOf (stored: Stored[]): Pick<Database, 'messages'> {
  const messages = {
    async * values () {
      yield * [...stored].sort((a, b) => (b.arrived ?? b.time) - (a.arrived ?? a.time))
    }
  }
  return { messages } as unknown as Pick<Database, 'messages'>
}

const incoming = (seq: number, author = 'bruno'): Stored => ({ conversation: 'c1', author, seq, time: 0 })

test('a message placed while a later one of its author is still being stored goes before it', async () => {
  const order = new ArrivalOrder(storeOf([]))
  // Seq 10 arrives directly, seq 5 by a carrier in the same turn: neither is stored yet.
  const [ten, five] = await Promise.all([order.arrivalFor(incoming(10), 200), order.arrivalFor(incoming(5), 201)])
  assert.ok(five < ten, `seq 5 at ${five} must come before seq 10 at ${ten}`)
})

test('a late message goes just before the first later one stored, after the previous one', async () => {
  const stored = [{ ...incoming(1), arrived: 100 }, { ...incoming(2), arrived: 110 }, { ...incoming(4), arrived: 150 }]
  const order = new ArrivalOrder(storeOf(stored))
  assert.equal(await order.arrivalFor(incoming(3), 300), 149)
  assert.equal(await order.arrivalFor(incoming(5), 301), 301)
})

test('our clock going back never puts a message before its author\'s previous one', async () => {
  const order = new ArrivalOrder(storeOf([{ ...incoming(1), arrived: 5_000 }]))
  assert.equal(await order.arrivalFor(incoming(2), 1_000), 5_000) // a tie, which seq orders
})

test('any arrival order of an author\'s messages, placed concurrently in bursts, keeps its seq order', async () => {
  await fc.assert(fc.asyncProperty(
    fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 40 }),
    fc.integer({ min: 1, max: 8 }),
    async (seqs, burst) => {
      const order = new ArrivalOrder(storeOf([]))
      const placed = new Map<number, number>()
      let now = 1_000
      for (let start = 0; start < seqs.length; start += burst) {
        const group = seqs.slice(start, start + burst)
        const arrivals = await Promise.all(group.map(async seq => await order.arrivalFor(incoming(seq), now++)))
        group.forEach((seq, index) => placed.set(seq, arrivals[index]!))
      }
      const bySeq = [...placed].sort(([a], [b]) => a - b).map(([, arrived]) => arrived)
      for (let index = 1; index < bySeq.length; index++) assert.ok(bySeq[index - 1]! <= bySeq[index]!, `arrivals by seq: ${bySeq.join(', ')}`)
    }
  ))
})
