// The node notifies through the OS by itself while no app tab is open, with the gate's rules: a
// message while no tab is connected reaches the notifier, none while a tab (a browser's event
// stream: it carries an Origin) is connected, none in focus unless urgent, the digest when focus ends.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import WebSocket from 'ws'
import { startApiServer } from '../../core/api/server.js'
import type { DesktopNote } from '../../core/desk/desktop-notification.js'
import type { CausetteNode } from '../../core/node/node.js'
import type { EventLog } from '../../core/node/events.js'
import { EVENTS_SUBPROTOCOL } from '../../core/api/schema.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { addressOf, eventually, tempHome, testNode, waitForEvent, waitForPeer } from '../helpers/nodes.js'

interface Desks { alice: CausetteNode, bob: CausetteNode, shown: DesktopNote[] }

/** Alice, and Bob whose desktop notifications are recorded instead of shown. */
async function desks (t: TestContext): Promise<Desks> {
  const shown: DesktopNote[] = []
  const alice = await testNode(t, { name: 'alice' })
  const bob = await testNode(t, { name: 'bob', peers: [addressOf(alice)], desktopNotifier: async note => { shown.push(note) } })
  await waitForPeer(alice, bob.peerId)
  await waitForPeer(bob, alice.peerId)
  return { alice, bob, shown }
}

/** Alice sends; resolves once Bob's gate has decided (the message stored, then notified or held). */
async function deliver ({ alice, bob }: Desks, text: string, urgent?: string): Promise<void> {
  const since = bob.events.lastId
  const sent = await alice.send(bob.peerId, text, urgent === undefined ? {} : { urgent })
  await waitForEvent(bob, f => (f.event.type === 'notification' && f.event.message.id === sent.id) || (f.event.type === 'presence' && f.event.presence.held > 0), 20_000, since)
}

/**
 * Opens the node's event stream, as a browser does (with its Origin: an app tab) or as a script
 * does (without); resolves once it listens (the buffered events replayed).
 */
async function openTab (t: TestContext, bob: CausetteNode, browser = true): Promise<WebSocket> {
  const server = await startApiServer({ node: bob, home: bob.home, port: 0, log: () => {} })
  t.after(async () => { await server.close() })
  const socket = new WebSocket(`${server.url.replace('http:', 'ws:')}/api/v1/events?since=0`, [EVENTS_SUBPROTOCOL, `causette.token.${server.token}`], { headers: browser ? { Origin: server.url } : {} })
  t.after(() => { socket.terminate() })
  await new Promise((resolve, reject) => { socket.once('message', resolve); socket.once('error', reject) })
  return socket
}

const appsConnected = (node: CausetteNode): number => (node.events as EventLog).appsConnected

test('no app tab open: an incoming message is shown by the node through the OS notifier', async (t) => {
  const d = await desks(t)
  await deliver(d, 'Lunch at noon?')
  await eventually(() => d.shown.length > 0 || undefined, 20_000, 'a desktop notification')
  assert.deepEqual(d.shown, [{ title: 'alice', body: 'Lunch at noon?', urgent: false }])
})

test('an app tab connected: the app notifies, the node does not; closed again, the node does', async (t) => {
  const d = await desks(t)
  const tab = await openTab(t, d.bob)
  assert.equal(appsConnected(d.bob), 1)
  await deliver(d, 'The tab shows this one')
  assert.equal(d.shown.length, 0)
  tab.close()
  await eventually(() => appsConnected(d.bob) === 0 || undefined, 20_000, 'the tab gone')
  await deliver(d, 'And the node this one')
  await eventually(() => d.shown.length > 0 || undefined, 20_000, 'a desktop notification')
  assert.deepEqual(d.shown.map(n => n.body), ['And the node this one'])
})

test('a script on the event stream (no Origin) is not an app tab: the node still notifies', async (t) => {
  const d = await desks(t)
  await openTab(t, d.bob, false)
  assert.equal(appsConnected(d.bob), 0)
  await deliver(d, 'Seen by a script only')
  await eventually(() => d.shown.length > 0 || undefined, 20_000, 'a desktop notification')
  assert.deepEqual(d.shown.map(n => n.body), ['Seen by a script only'])
})

test('in focus nothing is shown, an urgent message is, and the digest when focus ends', async (t) => {
  const d = await desks(t)
  await d.bob.setPresence({ status: 'focus', forMinutes: 60 })
  await deliver(d, 'Not now')
  assert.equal(d.shown.length, 0)
  await deliver(d, 'Server down', 'the demo starts in 5 minutes')
  await eventually(() => d.shown.length > 0 || undefined, 20_000, 'the urgent notification')
  assert.deepEqual(d.shown, [{ title: 'Urgent: alice', body: 'the demo starts in 5 minutes\nServer down', urgent: true }])
  await d.bob.setPresence({ status: 'available' })
  await eventually(() => d.shown.length > 1 || undefined, 20_000, 'the digest')
  assert.deepEqual(d.shown[1], { title: '1 message during focus', body: 'From alice', urgent: false })
})

test('the notification sound is a setting of the profile: on by default, kept across a restart', async (t) => {
  const home = await tempHome(t)
  const first = await testNode(t, { home, name: 'bob' })
  assert.equal((await first.settings()).notificationSound, true)
  assert.equal((await first.updateSettings({ notificationSound: false, fileLimitBytes: 1_000_000 })).notificationSound, false)
  await first.stop()
  const again = await testNode(t, { home, name: 'bob' })
  assert.deepEqual(await again.settings(), { readReceipts: true, notificationSound: false, fileLimitBytes: 1_000_000 }, 'the file limit is kept like the other settings')
  assert.equal((await again.filesUsage()).limitBytes, 1_000_000, 'and applied to the store')
})

test('a channel message with no tab open: the node names the channel', async (t) => {
  const shown: DesktopNote[] = []
  const { nodes: [alice, bob] } = await workspaceOf(t, ['alice', 'bob'], {}, { 1: { desktopNotifier: async note => { shown.push(note) } } }) as { nodes: CausetteNode[] }
  const channel = await alice!.createChannel('launch')
  await alice!.inviteToChannel(channel.id, [bob!.peerId])
  await eventually(async () => (await bob!.channels()).find(c => c.id === channel.id && c.members.length === 2), 20_000, 'the channel at bob')
  await alice!.sendToChannel(channel.id, 'Ship it at noon')
  await eventually(() => shown.length > 0 || undefined, 20_000, 'a desktop notification')
  assert.deepEqual(shown, [{ title: 'alice in #launch', body: 'Ship it at noon', urgent: false }])
})

test('a mention of Bob with no tab open: shown through his mute, the token as @Name; not in focus', async (t) => {
  const d = await desks(t)
  await d.bob.mute({ with: d.alice.peerId, muted: true, forMinutes: 60 })
  await deliver(d, 'Nothing for you')
  await deliver(d, `@[bob](${d.bob.peerId}) can you look?`)
  await eventually(() => d.shown.length > 0 || undefined, 20_000, 'the mention shown through the mute')
  assert.deepEqual(d.shown, [{ title: 'alice', body: '@bob can you look?', urgent: false }])
  await d.bob.setPresence({ status: 'focus', forMinutes: 60 })
  const held = (await d.bob.presence()).held
  await deliver(d, `@[bob](${d.bob.peerId}) and now?`)
  await eventually(async () => (await d.bob.presence()).held === held + 1 || undefined, 20_000, 'the mention held by focus')
  assert.equal(d.shown.length, 1)
})
