// Presence and focus between real nodes on loopback: presence reaches the peer, focus holds
// notifications until it ends (one digest, even across a restart, kept for the app until dismissed),
// urgent breaks through and is journaled on both sides,
// an until-time ends focus by itself, a per-conversation exception, and a raw peer's bad frames
// (each a strike but a replay; a peer that keeps at it is cut off).
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { lpStream, pbStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import type { DigestView, EventFrame, MessageView, NodeEvent } from '../../core/api/schema.js'
import type { CausetteNode } from '../../core/node/node.js'
import { startApiServer } from '../../core/api/server.js'
import type { Command } from '../../core/cli/command.js'
import { peersCommand } from '../../core/cli/commands/peers.js'
import { sendCommand } from '../../core/cli/commands/send.js'
import { statusCommand } from '../../core/cli/commands/status.js'
import { generateDeviceKeys } from '../../crypto/device-keys.js'
import { ed25519Signer } from '../../crypto/ed25519.js'
import { fromBase64, fromUtf8 } from '../../crypto/encoding.js'
import { STRIKE_BURST } from '../../core/protocol/limits.js'
import { PRESENCE_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { signPresence, type SignedPresence } from '../../core/presence/signed-presence.js'
import { PresenceAck, PresenceFrame } from '../../core/protocol/presence.js'
import { addressOf, eventually, tempHome, testNode, waitForEvent, waitForPeer } from '../helpers/nodes.js'
import { exportedMessages } from '../../ui/src/verifier/export-messages.js'
import { rawPeer } from '../helpers/raw-peer.js'

/** Every event a node emits from now on. */
function record (t: TestContext, node: CausetteNode): NodeEvent[] {
  const seen: NodeEvent[] = []
  t.after(node.events.subscribe(undefined, (frame: EventFrame) => { seen.push(frame.event) }))
  return seen
}

const of = <T extends NodeEvent['type']>(events: NodeEvent[], type: T): Array<Extract<NodeEvent, { type: T }>> =>
  events.filter((e): e is Extract<NodeEvent, { type: T }> => e.type === type)

async function pair (t: TestContext, names: string[] = ['alice', 'bob']): Promise<CausetteNode[]> {
  const nodes: CausetteNode[] = []
  for (const name of names) nodes.push(await testNode(t, { name, peers: nodes.map(addressOf) }))
  for (const a of nodes) for (const b of nodes) if (a !== b) await waitForPeer(a, b.peerId)
  return nodes
}

async function arrived (node: CausetteNode, from: string, id: string): Promise<MessageView> {
  return await eventually(async () => (await node.messages({ with: from, limit: 100 })).find(m => m.id === id), 20_000, `message ${id.slice(0, 6)}`)
}

async function presenceSeen (node: CausetteNode, peer: string, status: string): Promise<void> {
  await eventually(async () => (await node.peers()).find(p => p.peerId === peer && p.presence.status === status), 20_000, `${peer.slice(-6)} seen ${status}`)
}

test('presence reaches the peer, with its text and until time', async (t) => {
  const [alice, bob] = await pair(t)
  const until = Date.now() + 30 * 60_000
  const mine = await bob!.setPresence({ status: 'focus', text: 'Quarterly report', until })
  assert.deepEqual({ status: mine.status, text: mine.text, until: mine.until }, { status: 'focus', text: 'Quarterly report', until })
  await presenceSeen(alice!, bob!.peerId, 'focus')
  const seen = (await alice!.peers()).find(p => p.peerId === bob!.peerId)!.presence
  assert.equal(seen.text, 'Quarterly report')
  assert.equal(seen.until, until)

  await bob!.setPresence({ status: 'away', text: 'Lunch' })
  await presenceSeen(alice!, bob!.peerId, 'away')
  await bob!.stop()
  await presenceSeen(alice!, bob!.peerId, 'offline')
})

test('in focus, messages arrive without notification; one digest when focus ends', async (t) => {
  const [alice, bob] = await pair(t)
  const bobEvents = record(t, bob!)
  const aliceEvents = record(t, alice!)
  await bob!.setPresence({ status: 'focus', forMinutes: 30 })
  await presenceSeen(alice!, bob!.peerId, 'focus')

  const first = await alice!.send('bob', 'The client called back.')
  const second = await alice!.send('bob', 'They agree to the price.')
  await arrived(bob!, 'alice', first.id)
  await arrived(bob!, 'alice', second.id)
  // Stored and counted as unread as always, but nothing interrupts.
  assert.equal((await bob!.conversations())[0]!.unread, 2)
  assert.equal((await bob!.presence()).held, 2)
  // The sender learns that both were delivered silently, and until when (kept with her messages).
  const focusEnd = (await bob!.presence()).until
  const marked = await eventually(async () => {
    const mine = (await alice!.messages({ with: 'bob', limit: 10 })).filter(m => m.id === first.id || m.id === second.id)
    return mine.every(m => m.silent !== undefined) ? mine : undefined
  }, 20_000, 'silent marks')
  assert.deepEqual(marked.map(m => m.silent), [{ until: focusEnd }, { until: focusEnd }])
  assert.ok(of(aliceEvents, 'message-state').some(e => e.id === first.id && e.silent !== undefined), 'the state event carries the mark')
  assert.equal(of(bobEvents, 'notification').length, 0)

  await bob!.setPresence({ status: 'available' })
  await waitForEvent(bob!, frame => frame.event.type === 'digest')
  const digests = of(bobEvents, 'digest')
  assert.equal(digests.length, 1)
  assert.equal(digests[0]!.digest.total, 2)
  assert.deepEqual(digests[0]!.digest.from.map(f => ({ peer: f.peer, name: f.name, messages: f.messages })), [{ peer: alice!.peerId, name: 'alice', messages: [first.id, second.id] }])
  assert.equal(of(bobEvents, 'notification').length, 0)

  // Available again: each message notifies once.
  const third = await alice!.send('bob', 'Signed!')
  await waitForEvent(bob!, frame => frame.event.type === 'notification' && frame.event.message.id === third.id)
  assert.equal(of(bobEvents, 'notification').length, 1)
  assert.equal(of(bobEvents, 'digest').length, 1)
})

test('held notifications survive a restart in focus: one digest when focus ends, kept for the app until dismissed', async (t) => {
  const home = await tempHome(t)
  const alice = await testNode(t, { name: 'alice' })
  let bob = await testNode(t, { name: 'bob', home, peers: [addressOf(alice)] })
  await waitForPeer(alice, bob.peerId)
  await waitForPeer(bob, alice.peerId)
  await bob.setPresence({ status: 'focus', forMinutes: 60 })
  await presenceSeen(alice, bob.peerId, 'focus')
  const held = await alice.send('bob', 'Held across a restart')
  await arrived(bob, 'alice', held.id)
  await eventually(async () => (await bob.presence()).held === 1 || undefined, 20_000, 'one held')

  await bob.stop()
  bob = await testNode(t, { name: 'bob', home, peers: [addressOf(alice)] })
  const bobEvents = record(t, bob)
  assert.equal((await bob.presence()).status, 'focus')
  assert.equal((await bob.presence()).held, 1, 'the held notification came back with the daemon')
  assert.deepEqual(await bob.digests(), [])

  // Focus ends while no app listens: the digest event goes by, and the node keeps the digest.
  await bob.setPresence({ status: 'available' })
  await waitForEvent(bob, frame => frame.event.type === 'digest')
  assert.deepEqual(of(bobEvents, 'digest').map(d => d.digest.from.map(f => [f.name, f.messages])), [[['alice', [held.id]]]])
  assert.equal(of(bobEvents, 'notification').length, 0)
  assert.equal((await bob.presence()).held, 0)

  // An app that opens later fetches it over the API, and dismisses it.
  const api = await startApiServer({ node: bob, home, port: 0 })
  t.after(async () => { await api.close() })
  const call = async (method: string, path: string): Promise<Response> => await fetch(`${api.url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {})
  })
  const listed = await (await call('GET', '/presence/digests')).json() as DigestView[]
  assert.deepEqual(listed, [of(bobEvents, 'digest')[0]!.digest])
  assert.equal((await call('POST', `/presence/digests/${listed[0]!.id}/dismiss`)).status, 204)
  assert.deepEqual(await (await call('GET', '/presence/digests')).json(), [])
  assert.equal((await call('POST', `/presence/digests/${listed[0]!.id}/dismiss`)).status, 404)

  // Gone for good: a restart brings back neither the hold nor the digest.
  await bob.stop()
  bob = await testNode(t, { name: 'bob', home, peers: [addressOf(alice)] })
  assert.equal((await bob.presence()).held, 0)
  assert.deepEqual(await bob.digests(), [])
})

test("a channel's own mute holds across a restart: nothing is released before the node knows its channels", async (t) => {
  const home = await tempHome(t)
  const alice = await testNode(t, { name: 'alice' })
  await alice.createWorkspace('Acme')
  let bruno = await testNode(t, { name: 'bruno', home, join: (await alice.createInvite({ role: 'member', expiresMs: 3_600_000 })).code, peers: [addressOf(alice)] })
  await waitForPeer(alice, bruno.peerId)
  const channel = await alice.createChannel('project-x', 'the X launch')
  await alice.inviteToChannel(channel.id, [bruno.peerId])
  await eventually(async () => (await bruno.channels()).find(c => c.id === channel.id && c.members.length === 2), 20_000, 'the channel at bruno')
  await bruno.muteChannel(channel.id, { muted: true, forMinutes: 30 })
  const muted = await alice.sendToChannel(channel.id, 'agenda attached')
  await eventually(async () => (await bruno.presence()).held === 1 || undefined, 20_000, 'one held')

  await bruno.stop()
  bruno = await testNode(t, { name: 'bruno', home, peers: [addressOf(alice)] })
  const brunoEvents = record(t, bruno)
  // Once presence knows the channel again (an exception naming it is accepted), the mute still holds.
  await eventually(async () => await bruno.setPresence({ status: 'available', exceptions: [{ with: '#project-x', status: 'available' }] }).catch(() => undefined), 20_000, 'the channel known to presence')
  assert.equal((await bruno.presence()).held, 1)
  assert.deepEqual(await bruno.digests(), [])
  await bruno.muteChannel(channel.id, { muted: false })
  await waitForEvent(bruno, f => f.event.type === 'digest')
  assert.deepEqual(of(brunoEvents, 'digest').map(d => d.digest.from.flatMap(f => f.messages)), [[muted.id]])
})

test('an urgent message notifies at once in focus, and both journals record its reason', async (t) => {
  const [alice, bob] = await pair(t)
  const bobEvents = record(t, bob!)
  await bob!.setPresence({ status: 'focus', forMinutes: 60 })
  await presenceSeen(alice!, bob!.peerId, 'focus')
  const reason = 'the production server is down'
  const sent = await alice!.send('bob', 'Can you look now?', { urgent: reason })
  const frame = await waitForEvent(bob!, f => f.event.type === 'notification' && f.event.message.id === sent.id)
  assert.equal((frame.event as Extract<NodeEvent, { type: 'notification' }>).message.urgent, reason)
  assert.equal(of(bobEvents, 'notification').length, 1)
  assert.equal((await bob!.presence()).held, 0)

  for (const [node, kind] of [[alice!, 'message-sent'], [bob!, 'message-received']] as const) {
    const statement = await journaledStatement(node, sent.id, kind)
    assert.match(statement, new RegExp(`^urgent: ${reason}$`, 'm'), `${kind} journal entry names the reason`)
  }
  // The app's verifier page says why it was urgent.
  const lines: string[] = []
  for await (const line of bob!.exportJournal({})) lines.push(line)
  assert.equal(exportedMessages(lines).find(m => m.id === sent.id)?.urgent, reason)
})

test('focus with an until time ends by itself and releases its digest', async (t) => {
  const [alice, bob] = await pair(t)
  const bobEvents = record(t, bob!)
  const until = Date.now() + 4_000
  await bob!.setPresence({ status: 'focus', until })
  const sent = await alice!.send('bob', 'For when you are back')
  await arrived(bob!, 'alice', sent.id)
  const arrivedInFocus = Date.now() < until
  await waitForEvent(bob!, f => f.event.type === 'presence' && f.event.presence.status === 'available', 30_000)
  assert.equal((await bob!.presence()).until, null)
  if (arrivedInFocus) {
    await waitForEvent(bob!, f => f.event.type === 'digest')
    assert.deepEqual(of(bobEvents, 'digest').map(d => d.digest.from.flatMap(f => f.messages)), [[sent.id]])
    assert.equal(of(bobEvents, 'notification').length, 0)
  } else {
    assert.equal(of(bobEvents, 'notification').length, 1) // the machine was slower than the focus
  }
  await presenceSeen(alice!, bob!.peerId, 'available')
})

test('a per-conversation exception: available for alice, focus for everyone else', async (t) => {
  const [alice, bob, carol] = await pair(t, ['alice', 'bob', 'carol'])
  const bobEvents = record(t, bob!)
  const mine = await bob!.setPresence({ status: 'focus', forMinutes: 60, exceptions: [{ with: 'alice', status: 'available' }] })
  assert.deepEqual(mine.exceptions.map(e => ({ name: e.name, status: e.status })), [{ name: 'alice', status: 'available' }])
  await presenceSeen(carol!, bob!.peerId, 'focus')
  await presenceSeen(alice!, bob!.peerId, 'available')

  const fromCarol = await carol!.send('bob', 'When you have a minute')
  const fromAlice = await alice!.send('bob', 'Project X question')
  await waitForEvent(bob!, f => f.event.type === 'notification' && f.event.message.id === fromAlice.id)
  await arrived(bob!, 'carol', fromCarol.id)
  assert.deepEqual(of(bobEvents, 'notification').map(e => e.message.id), [fromAlice.id])
  assert.equal((await bob!.presence()).held, 1)

  // Muting alice's conversation holds hers too, though the presence says available for it.
  await bob!.mute({ with: 'alice', muted: true, forMinutes: 10 })
  const muted = await alice!.send('bob', 'Another one')
  await arrived(bob!, 'alice', muted.id)
  assert.equal(of(bobEvents, 'notification').length, 1)
  await bob!.setPresence({ status: 'available' })
  await waitForEvent(bob!, f => f.event.type === 'digest')
  assert.deepEqual(of(bobEvents, 'digest').flatMap(d => d.digest.from.flatMap(f => f.messages)), [fromCarol.id])
  await bob!.mute({ with: 'alice', muted: false })
  await eventually(() => of(bobEvents, 'digest').length === 2 ? true : undefined, 20_000, 'the unmute digest')
  assert.deepEqual(of(bobEvents, 'digest')[1]!.digest.from.flatMap(f => f.messages), [muted.id])
})

test('bad presence frames from a raw peer are refused with a clear code, each a strike, and the node keeps serving', async (t) => {
  const [alice, bob] = await pair(t)
  const raw = await rawPeer(t)
  const rawId = raw.libp2p.peerId.toString()
  const strikes: string[] = []
  t.after(alice!.limits.onRefused((peer, code) => { if (peer === rawId) strikes.push(code) }))
  const other = generateDeviceKeys()
  const base = (overrides: Partial<SignedPresence> = {}): SignedPresence =>
    ({ device: raw.publicKey, status: 'focus', text: 'raw', until: null, issued: Date.now(), exceptions: [], photo: null, ...overrides })

  const exchange = async (frame: Uint8Array | { bytes: Uint8Array, signature: Uint8Array }): Promise<PresenceAck> => {
    const stream = await raw.libp2p.dialProtocol(multiaddr(addressOf(alice!)), PRESENCE_PROTOCOL)
    if (frame instanceof Uint8Array) {
      await lpStream(stream).write(frame)
      return PresenceAck.decode(await lpStream(stream).read())
    }
    const pb = pbStream(stream)
    await pb.write({ presence: frame.bytes, signature: frame.signature } as PresenceFrame, PresenceFrame)
    return await pb.read(PresenceAck)
  }

  const signedByOther = signPresence(ed25519Signer(other.device.seed), base({ device: other.device.publicKey }))
  const forgedSignature = { ...signPresence(raw.sign, base()), signature: signPresence(ed25519Signer(other.device.seed), base()).signature }
  const refusals: Array<[string, Uint8Array | { bytes: Uint8Array, signature: Uint8Array }, string]> = [
    ['another device\'s presence', signedByOther, 'PRESENCE_WRONG_DEVICE'],
    ['a forged signature', forgedSignature, 'PRESENCE_BAD_SIGNATURE'],
    ['an oversized frame', new Uint8Array(8192), 'PRESENCE_BAD_FRAME'],
    ['garbage', new Uint8Array([0xff, 0xff, 0xff]), 'PRESENCE_BAD_FRAME'],
    ['a malformed text', { bytes: new TextEncoder().encode('causette/presence/v1\nstatus: yes\n'), signature: new Uint8Array(64) }, 'PRESENCE_MALFORMED']
  ]
  for (const [what, frame, code] of refusals) {
    const ack = await exchange(frame)
    assert.equal(ack.errorCode, code, what)
    assert.ok(ack.errorMessage.length > 0, `${what}: a message says why`)
  }
  assert.deepEqual(strikes, refusals.map(([, , code]) => code), 'each refusal is a strike')
  // A clock an hour off either way is no refusal (test/integration/clock-skew.test.ts): only a replay is,
  // and it is no strike: an honest node's two pushes on two streams may arrive in the other order.
  const good = signPresence(raw.sign, base())
  assert.equal((await exchange(good)).errorCode, '')
  assert.equal((await exchange(good)).errorCode, 'PRESENCE_STALE', 'a replay of the same presence')
  assert.equal(strikes.length, refusals.length, 'a replay is no strike')

  // A peer that keeps sending bad presences is cut off for its cool-down (STRIKE_BURST, then 1 a second).
  for (let sent = 0; !strikes.includes('COOLING_DOWN'); sent++) {
    assert.ok(sent <= 10 * STRIKE_BURST, `still not cut off after ${sent} more bad presences: ${strikes.join(' ')}`)
    await exchange(new Uint8Array([0xff, 0xff, 0xff])).catch(() => undefined) // refused, or the stream cut with the connection
  }
  await eventually(() => raw.libp2p.getConnections().every(connection => connection.remotePeer.toString() !== alice!.peerId) || undefined, 20_000, 'the raw peer\'s connections closed')
  assert.ok(alice!.limits.coolingDown(rawId))

  const sent = await bob!.send('alice', 'still here?')
  await arrived(alice!, 'bob', sent.id)
  await bob!.setPresence({ status: 'away' })
  await presenceSeen(alice!, bob!.peerId, 'away')
})

/** The statement text of a message's journal entry, from the node's export. */
async function journaledStatement (node: CausetteNode, id: string, kind: string): Promise<string> {
  for await (const line of node.exportJournal({})) {
    const [tag, , , json] = line.split(' ')
    if (tag !== 'entry' || json === undefined) continue
    const entry = JSON.parse(fromUtf8(fromBase64(json))) as { kind?: string, id?: string, statement?: string }
    if (entry.kind === kind && entry.id === id && entry.statement !== undefined) return fromUtf8(fromBase64(entry.statement))
  }
  throw new Error(`no ${kind} entry for ${id}`)
}

test('the CLI sets, shows and clears a presence, and sends an urgent message', async (t) => {
  const [alice, bob] = await pair(t)
  const api = await startApiServer({ node: bob!, home: bob!.home, port: 0 })
  t.after(async () => { await api.close() })
  const run = async (command: Command, ...argv: string[]): Promise<string[]> => {
    const out: string[] = []
    const code = await command.run({ home: bob!.home, json: false, argv, out: line => { out.push(line) }, err: line => { out.push(line) } })
    assert.equal(code, 0, out.join('\n'))
    return out
  }
  const [set] = await run(statusCommand, 'set', 'focus', '--for', '2h', '--text', 'Quarterly report', '--except', 'alice=available')
  assert.match(set!, /^presence +focus until \d\d:\d\d, "Quarterly report" \(available for alice\)$/)
  assert.ok((await run(statusCommand)).some(line => /^presence +focus until/.test(line)))
  await presenceSeen(alice!, bob!.peerId, 'available') // the exception: bob is available for alice
  await assert.rejects(run(statusCommand, 'set', 'asleep'), /give a status/)
  await assert.rejects(run(statusCommand, 'set', 'focus', '--for', 'soon'), /--for takes a duration/)

  const [id] = await run(sendCommand, '--urgent', 'the client is waiting', 'alice', 'Call them back?')
  const got = await arrived(alice!, 'bob', id!)
  assert.equal(got.urgent, 'the client is waiting')
  assert.match((await run(statusCommand, 'clear'))[0]!, /^presence +available$/)

  // What focus held: counted by `status`, then a digest line until `status dismiss`.
  await run(statusCommand, 'set', 'focus', '--for', '30m')
  await presenceSeen(alice!, bob!.peerId, 'focus')
  const held = await alice!.send('bob', 'For your digest')
  await arrived(bob!, 'alice', held.id)
  await eventually(async () => (await bob!.presence()).held === 1 || undefined, 20_000, 'one held')
  assert.ok((await run(statusCommand)).some(line => /^presence +focus until \d\d:\d\d \(1 notification held\)$/.test(line)))
  await run(statusCommand, 'clear')
  await eventually(async () => (await bob!.digests()).length === 1 || undefined, 20_000, 'the digest')
  assert.ok((await run(statusCommand)).some(line => /^digest +1 message from alice \(1\), since \d\d:\d\d \(causette status dismiss\)$/.test(line)))
  assert.deepEqual(await run(statusCommand, 'dismiss'), ['dismissed  1 digest'])
  assert.deepEqual(await bob!.digests(), [])
  assert.ok(!(await run(statusCommand)).some(line => line.startsWith('digest')))

  // `causette peers` shows the status each colleague chose.
  await alice!.setPresence({ status: 'away', text: 'at the dentist' })
  await presenceSeen(bob!, alice!.peerId, 'away')
  assert.ok((await run(peersCommand)).some(line => line.startsWith('alice ') && line.includes('away, at the dentist')))
})

test('read receipts can be turned off, and on again', async (t) => {
  const [alice, bob] = await pair(t)
  assert.deepEqual(await bob!.settings(), { readReceipts: true, notificationSound: true, fileLimitBytes: 5 * 1024 ** 3 })
  assert.deepEqual(await bob!.updateSettings({ readReceipts: false }), { readReceipts: false, notificationSound: true, fileLimitBytes: 5 * 1024 ** 3 })
  const unseen = await alice!.send('bob', 'read without telling')
  const conversation = (await arrived(bob!, 'alice', unseen.id)).conversation
  await bob!.markRead(conversation)

  await bob!.updateSettings({ readReceipts: true })
  const seen = await alice!.send('bob', 'read and told')
  await arrived(bob!, 'alice', seen.id)
  await bob!.markRead(conversation)
  await eventually(async () => (await alice!.messages({ with: 'bob', limit: 10 })).find(m => m.id === seen.id && m.state === 'read'), 20_000, 'the read receipt')
  // Receipts travel in order on one session: the first message's would have arrived before.
  assert.equal((await alice!.messages({ with: 'bob', limit: 10 })).find(m => m.id === unseen.id)!.state, 'delivered')
})

test("channels: an exception makes a channel available in focus; the channel's own mute holds it until unmuted", async (t) => {
  const alice = await testNode(t, { name: 'alice' })
  await alice.createWorkspace('Acme')
  const bruno = await testNode(t, { name: 'bruno', join: (await alice.createInvite({ role: 'member', expiresMs: 3_600_000 })).code, peers: [addressOf(alice)] })
  await waitForPeer(alice, bruno.peerId)
  await waitForPeer(bruno, alice.peerId)
  const channel = await alice.createChannel('project-x', 'the X launch')
  await alice.inviteToChannel(channel.id, [bruno.peerId])
  await eventually(async () => (await bruno.channels()).find(c => c.id === channel.id && c.members.length === 2), 20_000, 'the channel at bruno')
  const brunoEvents = record(t, bruno)

  // The presence directory learns the channel from the node's `channel` event, a moment after the store has it.
  const mine = await eventually(async () => await bruno.setPresence({ status: 'focus', forMinutes: 60, exceptions: [{ with: '#project-x', status: 'available' }] }).catch(() => undefined), 20_000, 'the channel known to presence')
  assert.deepEqual(mine.exceptions.map(e => [e.name, e.status]), [['#project-x', 'available']])
  // Alice sees him in focus for their 1:1, and available for the channel (the exception he shared with her).
  const seen = await eventually(async () => (await alice.peers()).find(p => p.peerId === bruno.peerId && p.presence.exceptions?.length === 1)?.presence, 20_000, 'the exception at alice')
  assert.deepEqual({ status: seen.status, general: seen.general, exceptions: seen.exceptions }, { status: 'focus', general: 'focus', exceptions: [{ conversation: channel.conversation, status: 'available' }] })
  const inChannel = await alice.sendToChannel(channel.id, 'kick-off at ten')
  await waitForEvent(bruno, f => f.event.type === 'channel-notification' && f.event.message.id === inChannel.id)
  const direct = await alice.send('bruno', 'and a private word')
  await arrived(bruno, 'alice', direct.id)
  assert.equal((await bruno.presence()).held, 1)

  await bruno.muteChannel(channel.id, { muted: true, forMinutes: 30 })
  const whileMuted = await alice.sendToChannel(channel.id, 'agenda attached')
  await eventually(async () => (await bruno.channelMessages(channel.id)).find(m => m.id === whileMuted.id), 20_000, 'the muted message')
  await eventually(async () => (await bruno.presence()).held === 2 || undefined, 20_000, 'two held')
  await bruno.setPresence({ status: 'available' })
  await waitForEvent(bruno, f => f.event.type === 'digest')
  assert.deepEqual(of(brunoEvents, 'digest').flatMap(d => d.digest.from.flatMap(f => f.messages)), [direct.id])
  await bruno.muteChannel(channel.id, { muted: false })
  await eventually(() => of(brunoEvents, 'digest').length === 2 || undefined, 20_000, 'the channel digest')
  assert.deepEqual(of(brunoEvents, 'digest')[1]!.digest.from.map(f => ({ name: f.name, messages: f.messages })), [{ name: 'alice', messages: [whileMuted.id] }])
  assert.deepEqual(of(brunoEvents, 'channel-notification').map(e => e.message.id), [inChannel.id])
  assert.equal(of(brunoEvents, 'notification').length, 0)
})

// A desk asleep (a laptop's lid closed: the process's timers stop) or its clock set forward during a
// focus: before, the focus ended by the timer set when it began, up to its whole length late, and the
// notifications it held waited as long.
test('a focus whose end the clock passed while the timers stood still ends then: one digest', async (t) => {
  let ahead = 0
  const alice = await testNode(t, { name: 'alice' })
  const bob = await testNode(t, { name: 'bob', peers: [addressOf(alice)], now: () => Date.now() + ahead })
  await waitForPeer(alice, bob.peerId)
  await waitForPeer(bob, alice.peerId)
  await bob.setPresence({ status: 'focus', forMinutes: 30 })
  const held = await alice.send('bob', 'While you focus')
  await eventually(async () => (await bob.presence()).held === 1 || undefined, 20_000, 'the message held')

  ahead = 31 * 60_000
  const frame = await waitForEvent(bob, frame => frame.event.type === 'digest')
  assert.deepEqual(frame.event.type === 'digest' && frame.event.digest.from.map(f => f.messages), [[held.id]])
  assert.deepEqual(await bob.presence().then(view => [view.chosen, view.status, view.auto]), ['available', 'away', true], 'no focus; away by itself, the clock having passed the idle time')
})
