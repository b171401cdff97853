// Delivery's state changes on a real LevelDB: a channel message's members move one by one (never
// backwards), all the changes of a turn are one write of the record, a copy leaves the outbox with
// its member's ack or receipt, silent marks are asked of presence as a copy or a 1:1 message turns
// delivered (never for an urgent one); and receipts naming what is not ours to move move nothing.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { groupItemId } from '../../core/messaging/outbox.js'
import { Delivery } from '../../core/messaging/delivery.js'
import { Outbox, type OutboxItem } from '../../core/messaging/outbox.js'
import type { BatchOp } from '../../core/store/batch.js'
import { openDatabase } from '../../core/store/database.js'
import { messageKey, type MessageRecord } from '../../core/store/records.js'
import { tempHome } from '../helpers/nodes.js'

const CONVERSATION = 'channel-conversation'

function channelMessage (id: string, fields: Partial<MessageRecord> = {}): MessageRecord {
  return {
    id, conversation: CONVERSATION, direction: 'out', author: 'me', peer: 'channel', text: '{"text":"hi"}', salt: '', statement: '', signature: '',
    time: 1_000, seq: 1, state: 'sent', stateTime: 1_000, stateTimes: { sent: 1_000 }, verified: true, channel: 'channel',
    members: { bruno: { state: 'sent', time: 1_000 }, carla: { state: 'sent', time: 1_000 } },
    ...fields
  }
}

async function deliveryFor (t: TestContext, messages: MessageRecord[], focus: Record<string, number | null> = {}) {
  const db = await openDatabase(await tempHome(t))
  t.after(async () => { await db.close() })
  const outbox = await Outbox.load(db)
  const writes: BatchOp[][] = []
  const changed: MessageRecord[] = []
  const commit = { write: async (_entries: unknown[], ops: BatchOp[]) => { writes.push(ops); await db.root.batch(ops as never) } }
  for (const m of messages) {
    const key = messageKey(m.conversation, m.time, m.id)
    await db.root.batch([{ type: 'put', sublevel: db.messages, key, value: m }, { type: 'put', sublevel: db.messageIndex, key: m.id, value: key }] as never)
    const copies: OutboxItem[] = m.direction === 'out' && m.members !== undefined
      ? Object.keys(m.members).map(peer => ({ id: groupItemId(m.id, peer), peer, time: m.time, sealed: new Uint8Array([0xc7]), copyOf: m.id }))
      : m.direction === 'out' ? [{ id: m.id, peer: m.peer, time: m.time, sealed: new Uint8Array([1]), message: m }] : []
    await commit.write([], copies.map(item => outbox.addOp(item)))
    for (const item of copies) outbox.added(item)
  }
  writes.length = 0
  const delivery = new Delivery<unknown>({
    db,
    contacts: {} as never,
    outbox,
    commit,
    transport: {} as never,
    stateChanged: m => { changed.push(m) },
    sealAgain: async () => {},
    silentUntil: peer => focus[peer],
    now: () => 2_000
  })
  const stored = async (id: string): Promise<MessageRecord> => (await db.messages.get((await db.messageIndex.get(id))!))!
  return { delivery, outbox, writes, changed, stored }
}

test('members move one by one, never backwards; one turn is one write; a copy leaves the outbox with its member\'s answer', async (t) => {
  const { delivery, outbox, writes, changed, stored } = await deliveryFor(t, [channelMessage('m1')], { carla: 5_000 })
  await Promise.all([
    delivery.advance([{ peer: 'bruno', id: 'm1', state: 'delivered', time: 2_000 }]),
    delivery.advance([{ peer: 'carla', id: 'm1', state: 'delivered', time: 2_001, conversation: CONVERSATION }])
  ])
  assert.equal(writes.length, 1)
  assert.equal(writes[0]!.filter(op => op.type === 'put').length, 1, 'the record is written once for both members')
  assert.equal(changed.length, 1)
  const after = await stored('m1')
  assert.deepEqual(after.members, { bruno: { state: 'delivered', time: 2_000 }, carla: { state: 'delivered', time: 2_001, silentUntil: 5_000 } })
  assert.equal(after.state, 'sent', 'the record\'s own state stays sent')
  assert.equal(outbox.size, 0)

  await delivery.advance([{ peer: 'bruno', id: 'm1', state: 'read', time: 3_000, conversation: CONVERSATION }])
  await delivery.advance([{ peer: 'bruno', id: 'm1', state: 'delivered', time: 4_000, conversation: CONVERSATION }])
  assert.deepEqual((await stored('m1')).members!.bruno, { state: 'read', time: 3_000 })
})

test('a failed copy keeps its reason; a receipt proving it arrived moves it on', async (t) => {
  const { delivery, outbox, stored } = await deliveryFor(t, [channelMessage('m1')])
  await delivery.advance([{ peer: 'bruno', id: 'm1', state: 'failed', time: 2_000, reason: 'E2E_NO_SENDER_KEY: parked too long' }])
  assert.deepEqual((await stored('m1')).members!.bruno, { state: 'failed', time: 2_000, reason: 'E2E_NO_SENDER_KEY: parked too long' })
  assert.equal(outbox.get('bruno', groupItemId('m1', 'bruno')), undefined)
  await delivery.advance([{ peer: 'bruno', id: 'm1', state: 'read', time: 3_000, conversation: CONVERSATION }])
  assert.deepEqual((await stored('m1')).members!.bruno, { state: 'read', time: 3_000 })
})

test('an urgent message is never silent; a 1:1 message to a peer in focus without end is', async (t) => {
  const oneToOne = channelMessage('d1', { conversation: 'direct', peer: 'carla', channel: undefined, members: undefined, state: 'queued', stateTimes: { queued: 1_000 } })
  const { delivery, stored } = await deliveryFor(t, [channelMessage('u1', { urgent: 'the server is down' }), oneToOne], { carla: null })
  await delivery.advance([{ peer: 'carla', id: 'u1', state: 'delivered', time: 2_000 }, { peer: 'carla', id: 'd1', state: 'delivered', time: 2_000 }])
  assert.equal((await stored('u1')).members!.carla!.silentUntil, undefined)
  const direct = await stored('d1')
  assert.equal(direct.state, 'delivered')
  assert.equal(direct.silentUntil, null)
})

test('receipts naming someone else\'s message, a member it was not sent to, or another conversation move nothing', async (t) => {
  const theirs = channelMessage('t1', { direction: 'in', author: 'zoe', peer: 'zoe' })
  const { delivery, outbox, writes, changed, stored } = await deliveryFor(t, [channelMessage('m1'), theirs])
  await delivery.advance([
    { peer: 'dora', id: 'm1', state: 'read', time: 2_000, conversation: CONVERSATION },
    { peer: 'bruno', id: 't1', state: 'read', time: 2_000, conversation: CONVERSATION },
    { peer: 'bruno', id: 'm1', state: 'read', time: 2_000, conversation: 'another' },
    { peer: 'bruno', id: 'no such message', state: 'read', time: 2_000, conversation: CONVERSATION }
  ])
  assert.equal(changed.length, 0)
  assert.equal(writes[0]!.length, 0)
  assert.deepEqual((await stored('m1')).members, channelMessage('m1').members)
  assert.deepEqual(await stored('t1'), theirs)
  assert.equal(outbox.size, 2, 'both copies still wait')
})
