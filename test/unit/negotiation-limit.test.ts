// The bound on inbound streams negotiating their protocol at once (core/protocol/negotiation-limit.ts),
// on real yamux muxers over an in-memory connection; the listener added here plays libp2p's Connection.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { yamux } from '@chainsafe/libp2p-yamux'
import type { Stream, StreamMuxer } from '@libp2p/interface'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { limitNegotiations, NegotiationBound, type NegotiationCounts } from '../../core/protocol/negotiation-limit.js'
import { eventually } from '../helpers/nodes.js'

const MAX = 2

function muxers (t: TestContext, counts: NegotiationCounts): { outbound: StreamMuxer, inbound: StreamMuxer } {
  const [dialer, listener] = multiaddrConnectionPair()
  t.after(() => { dialer.abort(new Error('test over')); listener.abort(new Error('test over')) })
  return {
    outbound: yamux()().createStreamMuxer(dialer),
    inbound: limitNegotiations(yamux(), new NegotiationBound(counts, undefined, MAX))(undefined).createStreamMuxer(listener)
  }
}

/** Opens a stream: yamux opens it at the other end with its first frame. */
async function open (muxer: StreamMuxer): Promise<Stream> {
  const stream = await muxer.createStream()
  stream.send(new Uint8Array(1))
  return stream
}

test('streams that came before the connection listened reach it, the bound applied first', async (t) => {
  const counts: NegotiationCounts = { refused: 0, mostAtOnce: 0 }
  const { outbound, inbound } = muxers(t, counts)
  const opened: Stream[] = []
  for (let i = 0; i <= MAX; i++) opened.push(await open(outbound))
  await eventually(() => inbound.streams.length === MAX + 1 || undefined, 10_000, 'the streams to arrive')
  const received: Stream[] = []
  inbound.addEventListener('stream', (event) => { received.push(event.detail) })
  const reset = (): Stream[] => opened.filter(stream => stream.status === 'reset')
  await eventually(() => reset().length > 0 || undefined, 10_000, 'a stream beyond the bound to be reset')
  assert.equal(reset().length, 1)
  assert.equal(received.length, MAX, 'the connection gets the streams within the bound, and only those')
  assert.deepEqual(counts, { refused: 1, mostAtOnce: MAX })
})

test('a stream whose protocol is chosen, or one we opened, is not negotiating', async (t) => {
  const counts: NegotiationCounts = { refused: 0, mostAtOnce: 0 }
  const { outbound, inbound } = muxers(t, counts)
  const received: Stream[] = []
  inbound.addEventListener('stream', (event) => { received.push(event.detail) })
  for (let i = 0; i < MAX; i++) await open(outbound)
  await eventually(() => received.length === MAX || undefined, 10_000, 'the streams within the bound')
  await open(inbound) // ours, outbound: not counted
  received[0].protocol = '/chosen/1.0.0' // libp2p names it once negotiated
  await open(outbound)
  await eventually(() => received.length === MAX + 1 || undefined, 10_000, 'the stream let in once one was negotiated')
  const beyond = await open(outbound)
  await eventually(() => beyond.status === 'reset' || undefined, 10_000, 'the next one to be reset')
  assert.deepEqual(counts, { refused: 1, mostAtOnce: MAX })
})
