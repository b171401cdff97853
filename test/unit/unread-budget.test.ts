// The budget of unread bytes (core/protocol/unread-budget.ts): a peer over its share loses the
// stream that took it over; a node over its total drops the largest holder's streams first.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UnreadBudget, type BudgetedStream } from '../../core/protocol/unread-budget.js'

class FakeStream implements BudgetedStream {
  unread = 0
  aborted: Error | undefined
  constructor (readonly budget: UnreadBudget, readonly peer: string) { budget.add(peer, this) }
  receive (bytes: number): void {
    this.unread += bytes
    this.budget.charged(this.peer, this, bytes)
  }

  read (bytes: number): void {
    this.unread -= bytes
    this.budget.released(this.peer, this, bytes)
  }

  abort (error: Error): void { this.aborted = error }
}

test('a peer over its share loses the stream that took it over; what it held is released', () => {
  const budget = new UnreadBudget({ perPeerBytes: 100, totalBytes: 1_000 })
  const first = new FakeStream(budget, 'stranger')
  const second = new FakeStream(budget, 'stranger')
  first.receive(60)
  second.receive(30)
  first.read(20)
  assert.equal(budget.counts.bufferedBytes, 70)
  second.receive(40)
  assert.equal(second.aborted?.name, 'UnreadBudgetError')
  assert.equal(first.aborted, undefined)
  assert.equal(budget.counts.bufferedBytes, 40, 'the dropped stream no longer counts')
  assert.equal(budget.counts.peakBufferedBytes, 110)
  second.receive(10) // bytes still in flight on a dropped stream are not counted again
  assert.equal(budget.counts.bufferedBytes, 40)
})

test('a node over its total drops the largest holder, never a colleague that holds little', () => {
  const budget = new UnreadBudget({ perPeerBytes: 100, totalBytes: 250 })
  const strangers = ['a', 'b', 'c'].map(peer => new FakeStream(budget, peer))
  for (const stranger of strangers) stranger.receive(80)
  const colleague = new FakeStream(budget, 'colleague')
  colleague.receive(20)
  assert.ok(budget.counts.bufferedBytes <= 250)
  assert.equal(colleague.aborted, undefined)
  assert.equal(strangers.filter(stranger => stranger.aborted !== undefined).length, 1)
  assert.equal(budget.counts.streamsDropped, 1)
})
