// Delivery states between real nodes on loopback: each member's state of a channel message (a copy
// carried for an absent member turns delivered when that member's signed receipt, carried back,
// reaches the author; members who read the channel send read receipts), silent marks for a member or
// a 1:1 recipient in focus, and all of it kept across a restart of the author's node.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChannelDelivery, EventFrame, NodeEvent } from '../../core/api/schema.js'
import { startApiServer } from '../../core/api/server.js'
import { runCli } from '../../core/cli/run.js'
import type { CausetteNode } from '../../core/node/node.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { addressOf, eventually, tempHome, testNode, waitForPeer } from '../helpers/nodes.js'

/** The delivery of one of our channel messages once `ready` holds. */
async function deliveryOf (node: CausetteNode, channel: string, id: string, ready: (d: ChannelDelivery) => boolean, what: string): Promise<ChannelDelivery> {
  return await eventually(async () => {
    const delivery = (await node.channelMessages(channel, { limit: 1000 })).find(m => m.id === id)?.delivery
    return delivery !== undefined && ready(delivery) ? delivery : undefined
  }, 30_000, what)
}

const stateOf = (d: ChannelDelivery, peer: string): ChannelDelivery['states'][number] => d.states.find(s => s.peerId === peer)!

async function seenInFocus (node: CausetteNode, peer: string): Promise<void> {
  await eventually(async () => (await node.peers()).find(p => p.peerId === peer && p.presence.status === 'focus'), 20_000, 'the colleague seen in focus')
}

/** Whether a carrier's journal says it holds something from `author` for `recipient`. */
async function carries (node: CausetteNode, author: string, recipient: string): Promise<boolean> {
  for await (const line of node.exportJournal({})) {
    if (!line.startsWith('entry ')) continue
    const entry = JSON.parse(Buffer.from(line.split(' ')[3]!, 'base64').toString('utf8')) as Record<string, unknown>
    if (entry.kind === 'carry' && entry.action === 'held' && entry.author === author && entry.recipient === recipient) return true
  }
  return false
}

test('a channel message: each member delivered (a carried copy by its carried receipt), read, silently in focus; kept across restarts', async (t) => {
  const { nodes: [alice, bruno, carla, dave], homes } = await workspaceOf(t, ['Alice', 'Bruno', 'Carla', 'Dave']) as { nodes: CausetteNode[], homes: string[] }
  const channel = (await alice!.createChannel('launch')).id
  await alice!.inviteToChannel(channel, [bruno!.peerId, carla!.peerId, dave!.peerId])
  for (const node of [bruno!, carla!, dave!]) await eventually(async () => (await node.channels()).find(c => c.id === channel && c.members.length === 4), 20_000, 'the channel at every member')

  // Everyone is there: each member's ack says delivered.
  const first = await alice!.sendToChannel(channel, 'kick-off at ten')
  assert.deepEqual({ ...first.delivery, states: undefined }, { members: 3, delivered: 0, read: 0, silent: 0, failed: 0, states: undefined })
  assert.deepEqual(first.delivery!.states.map(s => [s.name, s.state]), [['Bruno', 'sent'], ['Carla', 'sent'], ['Dave', 'sent']])
  await deliveryOf(alice!, channel, first.id, d => d.delivered === 3, 'every member to have the first message')

  // Carla is in focus; Dave goes away. Bruno and Carla ack; Dave's copy goes to a carrier.
  const focus = await carla!.setPresence({ status: 'focus', forMinutes: 30 })
  await seenInFocus(alice!, carla!.peerId)
  const aliceEvents: NodeEvent[] = []
  t.after(alice!.events.subscribe(undefined, (frame: EventFrame) => { aliceEvents.push(frame.event) }))
  const daveId = dave!.peerId
  const aliceId = alice!.peerId
  await dave!.stop()
  const second = await alice!.sendToChannel(channel, 'the plan for friday')
  const atTwo = await deliveryOf(alice!, channel, second.id, d => d.delivered === 2, 'Bruno and Carla to have it')
  assert.equal(stateOf(atTwo, carla!.peerId).silentUntil, focus.until, 'Carla got it silently, until her focus ends')
  assert.equal(stateOf(atTwo, bruno!.peerId).silentUntil, undefined)
  assert.equal(stateOf(atTwo, daveId).state, 'sent')
  assert.equal(atTwo.silent, 1)
  assert.ok(aliceEvents.some(e => e.type === 'channel-message-state' && e.id === second.id && e.channel === channel && e.delivery.delivered === 2), 'a channel-message-state event')
  await eventually(async () => (await carries(bruno!, aliceId, daveId)) || (await carries(carla!, aliceId, daveId)) || undefined, 30_000, 'a colleague to carry Dave\'s copy')
  await alice!.stop()

  // Dave comes back while Alice is away: a colleague hands him the copy, and carries his receipt.
  const daveAgain = await testNode(t, { name: 'Dave', home: homes[3]!, peers: [addressOf(bruno!), addressOf(carla!)] })
  await eventually(async () => (await daveAgain.channelMessages(channel)).find(m => m.id === second.id), 30_000, 'Dave to get the carried copy')
  await eventually(async () => (await carries(bruno!, daveId, aliceId)) || (await carries(carla!, daveId, aliceId)) || undefined, 30_000, 'a colleague to carry Dave\'s receipt')
  await daveAgain.stop()

  // Alice comes back while Dave is away again: his carried receipt moves his state, and his copy leaves her outbox.
  const aliceAgain = await testNode(t, { name: 'Alice', home: homes[0]!, peers: [addressOf(bruno!), addressOf(carla!)] })
  const atThree = await deliveryOf(aliceAgain, channel, second.id, d => d.delivered === 3, 'Dave delivered by his receipt')
  assert.equal(stateOf(atThree, daveId).state, 'delivered')
  assert.equal(stateOf(atThree, carla!.peerId).silentUntil, focus.until, 'the silent mark survived the restart')
  await eventually(async () => (await aliceAgain.status()).queued === 0 || undefined, 30_000, 'nothing left in Alice\'s outbox')

  // Carla is still in focus: an urgent message reaches her all the same, not silently.
  await seenInFocus(aliceAgain, carla!.peerId)
  const urgent = await aliceAgain.sendToChannel(channel, 'the demo server is down', { urgent: 'the client demo is in an hour' })
  const urgentAtTwo = await deliveryOf(aliceAgain, channel, urgent.id, d => d.delivered === 2, 'the urgent one to reach Bruno and Carla')
  assert.equal(urgentAtTwo.silent, 0, 'an urgent message is never silent')

  // Bruno and Carla read the channel: their read receipts.
  await bruno!.markChannelRead(channel)
  await carla!.markChannelRead(channel)
  const read = await deliveryOf(aliceAgain, channel, second.id, d => d.read === 2, 'Bruno and Carla to have read it')
  assert.deepEqual(read.states.map(s => [s.name, s.state]), [['Bruno', 'read'], ['Carla', 'read'], ['Dave', 'delivered']])
  assert.equal(read.silent, 1, 'read after arriving silently still counts as silent')
  assert.equal((await bruno!.channel(channel)).unread, 0)

  // Bruno answers; Alice reads with `causette channel read`: Bruno sees her read receipt.
  const answer = await bruno!.sendToChannel(channel, 'friday works')
  await eventually(async () => (await aliceAgain.channelMessages(channel)).find(m => m.id === answer.id), 30_000, 'Bruno\'s answer at Alice')
  const server = await startApiServer({ node: aliceAgain, home: homes[0]!, port: 0 })
  t.after(async () => { await server.close() })
  const out: string[] = []
  assert.equal(await runCli(['channel', 'read', 'launch', '--home', homes[0]!], { out: l => out.push(l), err: () => {}, env: {} }), 0)
  assert.match(out.join('\n'), /the plan for friday\s+delivered 3\/3 · read 2 · 1 silently/)
  assert.equal((await aliceAgain.channel(channel)).unread, 0)
  const answered = await deliveryOf(bruno!, channel, answer.id, d => stateOf(d, aliceId).state === 'read', 'Alice\'s read receipt at Bruno')
  assert.equal(stateOf(answered, daveId).state, 'sent')
  await server.close()

  // Alice restarts again: every state is as it was.
  await aliceAgain.stop()
  const aliceThird = await testNode(t, { name: 'Alice', home: homes[0]!, peers: [addressOf(bruno!)] })
  const after = (await aliceThird.channelMessages(channel)).find(m => m.id === second.id)!.delivery!
  assert.deepEqual(after, read)
})

test('a 1:1 message to a colleague in focus is marked silent, and the mark survives a restart', async (t) => {
  const aliceHome = await tempHome(t)
  const alice = await testNode(t, { name: 'alice', home: aliceHome })
  const bob = await testNode(t, { name: 'bob', peers: [addressOf(alice)] })
  await waitForPeer(alice, bob.peerId)
  const focus = await bob.setPresence({ status: 'focus', forMinutes: 45 })
  await seenInFocus(alice, bob.peerId)
  const states: NodeEvent[] = []
  t.after(alice.events.subscribe(undefined, (frame: EventFrame) => { states.push(frame.event) }))

  const quiet = await alice.send('bob', 'the minutes are online')
  const loud = await alice.send('bob', 'the client is on the phone', { urgent: 'they wait on the line' })
  const silentAt = async (node: CausetteNode): Promise<Map<string, { until: number | null } | undefined>> => {
    const messages = await eventually(async () => { const m = await node.messages({ with: bob.peerId, limit: 10 }); return m.every(x => x.state === 'delivered') ? m : undefined }, 20_000, 'both delivered')
    return new Map(messages.map(m => [m.id, m.silent]))
  }
  const before = await silentAt(alice)
  assert.deepEqual(before.get(quiet.id), { until: focus.until })
  assert.equal(before.get(loud.id), undefined, 'an urgent message is never silent')
  assert.ok(states.some(e => e.type === 'message-state' && e.id === quiet.id && e.state === 'delivered' && e.silent?.until === focus.until), 'the message-state event says silently')

  const bobId = bob.peerId
  await alice.stop()
  const again = await testNode(t, { name: 'alice', home: aliceHome })
  const messages = await again.messages({ with: bobId, limit: 10 })
  assert.deepEqual(messages.find(m => m.id === quiet.id)?.silent, { until: focus.until })
  assert.equal(messages.find(m => m.id === loud.id)?.silent, undefined)

  // `causette messages` says so.
  const server = await startApiServer({ node: again, home: aliceHome, port: 0 })
  t.after(async () => { await server.close() })
  const out: string[] = []
  assert.equal(await runCli(['messages', '--with', bobId, '--home', aliceHome], { out: l => out.push(l), err: () => {}, env: {} }), 0)
  assert.match(out.find(l => l.includes('the minutes are online')) ?? '', /delivered silently/)
  assert.doesNotMatch(out.find(l => l.includes('the client is on the phone')) ?? '', /silently/)
})
