// The order a conversation is listed in (byConversationOrder, and the app's byTime, which must agree)
// is a total order: whatever order messages are sorted from, an author's messages come out in its
// own order (seq) when two authors share a millisecond. Comparing seq only between messages of one
// author, and ids otherwise, was not transitive, and the soak saw an author's #103 listed before #102.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { byConversationOrder } from '../../core/store/database.js'
import type { MessageRecord } from '../../core/store/records.js'
import { byTime } from '../../ui/src/state/conversation-order.js'

/** Messages of up to three authors; an author's later seq never arrives earlier (as ArrivalOrder places them). */
const conversation = fc.array(fc.record({ author: fc.constantFrom('ada', 'bob', 'eve'), gap: fc.integer({ min: 0, max: 1 }), id: fc.string({ minLength: 4, maxLength: 4 }) }), { minLength: 3, maxLength: 12 })
  .map(drafts => {
    const next = new Map<string, { seq: number, arrived: number }>()
    return drafts.map(({ author, gap, id }, index) => {
      const last = next.get(author) ?? { seq: 0, arrived: 1000 }
      const placed = { seq: last.seq + 1, arrived: last.arrived + gap }
      next.set(author, placed)
      return { id: `${id}${index}`, author, seq: placed.seq, arrived: placed.arrived, time: placed.arrived } as MessageRecord
    })
  })

for (const [name, compare] of [['byConversationOrder (the node)', byConversationOrder], ['byTime (the app)', byTime]] as const) {
  test(`${name}: any starting order sorts to one list, each author's messages in seq order`, () => {
    fc.assert(fc.property(conversation, fc.infiniteStream(fc.nat()), (messages, draws) => {
      const shuffled = [...messages].sort(() => (draws.next().value % 3) - 1)
      const sorted = [...shuffled].sort(compare)
      assert.deepEqual(sorted.map(m => m.id), [...messages].sort(compare).map(m => m.id))
      for (const author of ['ada', 'bob', 'eve']) {
        const seqs = sorted.filter(m => m.author === author).map(m => m.seq)
        assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), `${author}'s messages in order`)
      }
    }), { numRuns: 500 })
  })
}
