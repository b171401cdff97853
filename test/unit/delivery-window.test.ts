// Delivery to a connected peer keeps at most MAX_SENDS_IN_FLIGHT items on their way: a backlog goes
// out, oldest first, as the peer answers, and all of it leaves the outbox. Sends that fail while the
// peer is connected are tried again after a backoff, never at once; with the peer away, at its next
// connection.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { Delivery, MAX_SENDS_IN_FLIGHT } from '../../core/messaging/delivery.js'
import { Outbox, type OutboxItem } from '../../core/messaging/outbox.js'
import type { Ack, Envelope } from '../../core/protocol/frames.js'
import type { BatchOp } from '../../core/store/batch.js'
import { openDatabase } from '../../core/store/database.js'
import { messageKey, type MessageRecord } from '../../core/store/records.js'
import { eventually, tempHome } from '../helpers/nodes.js'

const PEER = 'bruno'

function message (n: number): MessageRecord {
  return {
    id: `m${n}`, conversation: 'c', direction: 'out', author: 'me', peer: PEER, text: 'hi', salt: '', statement: '', signature: '',
    time: 1_000 + n, seq: n, state: 'queued', stateTime: 1_000, stateTimes: { queued: 1_000 }, verified: true
  }
}

interface Sent { id: number, answer: (ack: Ack) => void, fail: (error: Error) => void }

async function backlog (t: TestContext, count: number, isConnected: () => boolean = () => true) {
  const db = await openDatabase(await tempHome(t))
  t.after(async () => { await db.close() })
  const outbox = await Outbox.load(db)
  const commit = { write: async (_entries: unknown[], ops: BatchOp[]) => { await db.root.batch(ops as never) } }
  const items = Array.from({ length: count }, (_, i): OutboxItem => {
    const m = message(i + 1)
    return { id: m.id, peer: PEER, time: m.time, sealed: Uint8Array.from([(i + 1) >> 8, (i + 1) & 0xff]), message: m }
  })
  await commit.write([], items.flatMap(item => [{ type: 'put', sublevel: db.messages, key: messageKey('c', item.time, item.id), value: item.message } as BatchOp, outbox.addOp(item)]))
  for (const item of items) outbox.added(item)
  const waiting: Sent[] = []
  let mostAtOnce = 0
  const delivery = new Delivery<unknown>({
    db,
    contacts: { get: (peer: string) => ({ peerId: peer }) } as never,
    outbox,
    commit,
    transport: {
      isConnected,
      carriers: () => [],
      deposit: async () => {},
      send: async (_peer: string, envelope: Envelope) => await new Promise<Ack>((resolve, reject) => {
        waiting.push({ id: envelope.sealed[0]! << 8 | envelope.sealed[1]!, answer: resolve, fail: reject })
        mostAtOnce = Math.max(mostAtOnce, waiting.length)
      })
    },
    stateChanged: () => {},
    sealAgain: async () => {},
    silentUntil: () => undefined,
    now: () => 2_000
  })
  return { delivery, outbox, waiting, mostAtOnce: () => mostAtOnce }
}

test('a backlog goes out a window at a time, oldest first, and all of it is delivered', async (t) => {
  const total = MAX_SENDS_IN_FLIGHT * 3 + 5
  const { delivery, outbox, waiting, mostAtOnce } = await backlog(t, total)
  delivery.flush(PEER)
  const order: number[] = []
  while (order.length < total) {
    await eventually(() => waiting.length > 0 ? true : undefined, 5_000, 'sends on their way')
    // Answer what is on its way, a few at a time, as a peer's acks arrive.
    for (const sent of waiting.splice(0, 37)) {
      order.push(sent.id)
      sent.answer({ id: '', errorCode: '', errorMessage: '' })
    }
  }
  await eventually(() => outbox.count(PEER) === 0 ? true : undefined, 5_000, 'the outbox emptied')
  assert.equal(mostAtOnce(), MAX_SENDS_IN_FLIGHT)
  assert.deepEqual(order, Array.from({ length: total }, (_, i) => i + 1), 'oldest first, each once')
})

test('sends that failed while the peer is connected go again after a backoff, not at once', async (t) => {
  const { delivery, outbox, waiting } = await backlog(t, MAX_SENDS_IN_FLIGHT + 10)
  t.after(() => { delivery.stop() })
  delivery.flush(PEER)
  await eventually(() => waiting.length === MAX_SENDS_IN_FLIGHT ? true : undefined, 5_000, 'a full window')
  for (const sent of waiting.splice(0)) sent.fail(new Error('stream reset'))
  await new Promise(resolve => setImmediate(resolve))
  assert.equal(waiting.length, 0, 'nothing is sent again in the same breath')
  assert.equal(outbox.count(PEER), MAX_SENDS_IN_FLIGHT + 10)
  await eventually(() => waiting.length === MAX_SENDS_IN_FLIGHT ? true : undefined, 5_000, 'the window sent again after the backoff')
  assert.equal(waiting[0]!.id, 1)
})

test('sends that failed with the peer away wait for its next connection', async (t) => {
  let connected = true
  const { delivery, waiting } = await backlog(t, 20, () => connected)
  t.after(() => { delivery.stop() })
  delivery.flush(PEER)
  await eventually(() => waiting.length === 20 ? true : undefined, 5_000, 'the backlog sent')
  connected = false
  for (const sent of waiting.splice(0)) sent.fail(new Error('connection closed'))
  await new Promise(resolve => setImmediate(resolve))
  assert.equal(waiting.length, 0)
  connected = true
  delivery.connected(PEER)
  await eventually(() => waiting.length === 20 ? true : undefined, 5_000, 'sent again at the connection')
})
