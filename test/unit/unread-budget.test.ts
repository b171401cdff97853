// The budget of unread bytes (core/protocol/unread-budget.ts): a peer over its share loses the
// stream that took it over; a node over its total drops the largest holder's streams first.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { yamux } from '@chainsafe/libp2p-yamux'
import type { Stream } from '@libp2p/interface'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { pEvent } from 'p-event'
import { MAX_STREAM_WINDOW_BYTES } from '../../core/protocol/limits.js'
import { ReadGate } from '../../core/protocol/read-gate.js'
import { UnreadBudget, type BudgetedStream } from '../../core/protocol/unread-budget.js'
import { eventually } from '../helpers/nodes.js'

class FakeStream implements BudgetedStream {
  held = 0
  aborted: Error | undefined
  constructor (readonly budget: UnreadBudget, readonly peer: string) { budget.add(peer, this) }
  receive (bytes: number): void {
    this.held += bytes
    this.budget.charged(this.peer, this, bytes)
  }

  read (bytes: number): void {
    this.held -= bytes
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

/** Two ends of one yamux stream over an in-memory connection, as the node's muxer makes them (its window capped alike). */
async function yamuxStreamPair (t: TestContext): Promise<{ outbound: Stream, inbound: Stream }> {
  const [dialer, listener] = multiaddrConnectionPair()
  t.after(() => { dialer.abort(new Error('test over')); listener.abort(new Error('test over')) })
  const muxer = yamux({ streamOptions: { maxStreamWindowSize: MAX_STREAM_WINDOW_BYTES } })()
  const [outboundMuxer, inboundMuxer] = [muxer.createStreamMuxer(dialer), muxer.createStreamMuxer(listener)]
  const [inbound, outbound] = await Promise.all([
    pEvent(inboundMuxer, 'stream').then(event => (event as CustomEvent<Stream>).detail),
    outboundMuxer.createStream().then(stream => { stream.send(new Uint8Array(1)); return stream }) // yamux opens a stream with its first frame
  ])
  return { outbound, inbound }
}

/** A gate on `inbound` kept waiting (a handler storing what it read, as carry's does): the stream is paused until `store` is called. */
async function pausedGate (inbound: Stream, budget: UnreadBudget): Promise<{ gate: ReadGate, store: () => Promise<void> }> {
  const gate = new ReadGate(inbound, 64 * 1024, { budget: { unread: budget, peer: 'stranger' } })
  let finish!: () => void
  const stored = gate.wait(new Promise<void>(resolve => { finish = resolve }))
  await eventually(() => inbound.readStatus !== 'readable' || undefined, 10_000, 'the gate to pause the stream (or the budget to drop it)')
  return { gate, store: async () => { finish(); await stored } }
}

/** More than any window: the sender keeps what the receiver's window does not let through. */
function sendMuch (outbound: Stream): void {
  if (outbound.writeStatus !== 'writable') return // already reset by the receiver
  for (let i = 0; i < 64; i++) outbound.send(new Uint8Array(64 * 1024).fill(7))
}

test('what a paused stream holds counts while it is paused, not only once it resumes', { timeout: 30_000 }, async (t) => {
  const budget = new UnreadBudget()
  const { outbound, inbound } = await yamuxStreamPair(t)
  const { store } = await pausedGate(inbound, budget)
  sendMuch(outbound)
  await eventually(() => inbound.readBufferLength >= 128 * 1024 || undefined, 10_000, 'bytes to arrive while paused')
  assert.ok(budget.counts.bufferedBytes >= inbound.readBufferLength,
    `${budget.counts.bufferedBytes} bytes counted while the paused stream holds ${inbound.readBufferLength}`)
  await store()
  inbound.abort(new Error('done'))
  assert.equal(budget.counts.bufferedBytes, 0, 'an ended stream holds nothing')
})

test('a paused stream that would take its peer over its share is dropped', { timeout: 30_000 }, async (t) => {
  const budget = new UnreadBudget({ perPeerBytes: 128 * 1024 })
  const { outbound, inbound } = await yamuxStreamPair(t)
  await pausedGate(inbound, budget)
  sendMuch(outbound)
  await eventually(() => inbound.status !== 'open' || inbound.readBufferLength > 128 * 1024 || undefined, 10_000, 'the stream to end or to hold more than the share')
  assert.equal(inbound.status, 'aborted', `the stream holds ${inbound.readBufferLength} bytes, more than its peer's share`)
  assert.equal(budget.counts.streamsDropped, 1)
  assert.equal(budget.counts.bufferedBytes, 0)
})
