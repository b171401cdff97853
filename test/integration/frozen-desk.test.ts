// A colleague's desk whose CPU is starved for a while (an antivirus scan, an update, a laptop waking)
// keeps its connections; one that stays silent is dropped. The desk is a real node in its own
// process over loopback TCP, frozen with SIGSTOP: its kernel still takes the bytes, nothing in the
// process answers them, as on a PC that does not get the CPU. The other node runs here with the
// production connection monitor (PING_INTERVAL_MS, PING_TIMEOUT_MS, core/node/p2p-host.ts), and
// test/helpers/ping-watch.ts shows when its pings fall due and how they end.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { DEFAULT_MIN_TIMEOUT } from '@libp2p/utils'
import type { NodeEvent } from '../../core/api/schema.js'
import { PING_INTERVAL_MS, PING_TIMEOUT_MS } from '../../core/node/p2p-host.js'
import type { CausetteNode } from '../../core/node/node.js'
import { spawnNode, type NodeProcess } from '../helpers/node-process.js'
import { eventually, tempHome, testNode, waitForEvent } from '../helpers/nodes.js'
import { watchPings } from '../helpers/ping-watch.js'

/** How long the desk stays frozen after a ping to it fell due: twice libp2p's own floor, which dropped it. */
const FROZEN_AFTER_PING_MS = 2 * DEFAULT_MIN_TIMEOUT

/** A node here and a desk in a child process, connected, each knowing the other, at rest. */
async function deskAndColleague (t: TestContext): Promise<{ node: CausetteNode, desk: NodeProcess }> {
  const desk = await spawnNode(t, await tempHome(t), [], { events: true })
  const node = await testNode(t, { name: 'colleague', peers: [desk.address] })
  await eventually(async () => (await node.peers()).find(peer => peer.peerId === desk.peerId && peer.connected && peer.presence.updated !== null), 20_000, 'the desk connected, its presence known')
  await eventually(() => desk.events.find(event => event.type === 'peer' && event.peer.peerId === node.peerId && event.peer.connected), 20_000, 'the desk knowing the colleague')
  return { node, desk }
}

async function connectionsTo (node: CausetteNode, peer: string): Promise<string[]> {
  return (await node.connections()).filter(connection => connection.peerId === peer).map(connection => connection.id)
}

/** Whether `event` shows `peer` disconnected. */
function offline (event: NodeEvent, peer: string): boolean {
  return event.type === 'peer' && event.peer.peerId === peer && !event.peer.connected
}

test('a desk frozen past libp2p\'s own ping timeout, while a ping to it is due, keeps its connection; a message sent meanwhile arrives once', async (t) => {
  assert.ok(FROZEN_AFTER_PING_MS < PING_TIMEOUT_MS, 'the freeze is one the policy means to survive')
  assert.ok(PING_TIMEOUT_MS < PING_INTERVAL_MS, 'one ping at a time: libp2p refuses a second outbound ping stream, aborting the connection')
  const pings = watchPings(t)
  const { node, desk } = await deskAndColleague(t)
  const [connection] = await connectionsTo(node, desk.peerId)
  assert.ok(connection !== undefined)
  const disconnected: NodeEvent[] = []
  node.events.subscribe(undefined, ({ event }) => { if (offline(event, desk.peerId)) disconnected.push(event) })

  desk.child.kill('SIGSTOP')
  const ping = await pings.next(PING_INTERVAL_MS)
  const sent = await node.send(desk.peerId, 'sent while the desk was frozen')
  await new Promise(resolve => setTimeout(resolve, ping.started + FROZEN_AFTER_PING_MS - Date.now()))
  desk.child.kill('SIGCONT')

  const ended = await pings.ended(ping, PING_TIMEOUT_MS)
  t.diagnostic(`a ping fell due with a ${ping.timeoutMs} ms timeout; it ended after ${ended.at - ping.started} ms, ${ended.aborted ? 'timed out' : 'answered'} (the desk frozen until ${FROZEN_AFTER_PING_MS} ms after it)`)
  await waitForEvent(node, ({ event }) => event.type === 'message-state' && event.id === sent.id && event.state === 'delivered')
  assert.deepEqual(await connectionsTo(node, desk.peerId), [connection], 'the same connection, and only it')
  assert.deepEqual(disconnected, [], 'the desk never showed offline')
  assert.equal(desk.events.filter(event => event.type === 'message' && event.message.id === sent.id).length, 1, 'the desk stored the message once')
  assert.equal(ended.aborted, false, `the ping to the frozen desk was answered, within its ${ping.timeoutMs} ms`)
})

test('a desk that stays frozen is dropped by the ping that falls due: its connection closes and it shows offline', async (t) => {
  const pings = watchPings(t)
  const { node, desk } = await deskAndColleague(t)
  desk.child.kill('SIGSTOP')
  const frozenAt = Date.now()
  const ping = await pings.next(PING_INTERVAL_MS)
  const ended = await pings.ended(ping, PING_TIMEOUT_MS)
  assert.equal(ended.aborted, true, 'the ping ran out of time')
  await waitForEvent(node, ({ event }) => offline(event, desk.peerId))
  t.diagnostic(`dropped ${Date.now() - frozenAt} ms after the freeze (ping due after ${ping.started - frozenAt} ms, given ${ping.timeoutMs} ms)`)
  assert.deepEqual(await connectionsTo(node, desk.peerId), [])
  const seen = (await node.peers()).find(peer => peer.peerId === desk.peerId)
  assert.equal(seen?.connected, false)
  assert.equal(seen?.presence.status, 'offline')
})
