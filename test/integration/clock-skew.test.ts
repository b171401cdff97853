// A clock a day off, between real nodes on loopback (the node's clock is injected, no faketime):
// presence still reaches both ways, a conversation reads in each side's order of arrival, and
// the node with the wrong clock is told so (status, API, CLI) while its colleagues see a note on it.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { NodeStatus } from '../../core/api/schema.js'
import { startApiServer } from '../../core/api/server.js'
import type { Command } from '../../core/cli/command.js'
import { peersCommand } from '../../core/cli/commands/peers.js'
import { statusCommand } from '../../core/cli/commands/status.js'
import type { CausetteNode } from '../../core/node/node.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { addressOf, eventually, tempHome, testNode, waitForPeer } from '../helpers/nodes.js'

const DAY = 24 * 3600_000
const aDayAhead = (): number => Date.now() + DAY

/** Three nodes, all connected: `ahead` runs with its clock a day ahead. */
async function office (t: TestContext): Promise<{ ahead: CausetteNode, bob: CausetteNode, carol: CausetteNode }> {
  const bob = await testNode(t, { name: 'bob' })
  const carol = await testNode(t, { name: 'carol', peers: [addressOf(bob)] })
  const ahead = await testNode(t, { name: 'alice', peers: [addressOf(bob), addressOf(carol)], now: aDayAhead })
  for (const a of [ahead, bob, carol]) for (const b of [ahead, bob, carol]) if (a !== b) await waitForPeer(a, b.peerId)
  return { ahead, bob, carol }
}

async function presenceSeen (node: CausetteNode, peer: string, status: string): Promise<void> {
  await eventually(async () => (await node.peers()).find(p => p.peerId === peer && p.presence.status === status), 20_000, `${peer.slice(-6)} seen ${status}`)
}

async function texts (node: CausetteNode, other: string, count: number): Promise<string[]> {
  return await eventually(async () => {
    const found = await node.messages({ with: other, limit: 100 })
    return found.length >= count ? found.map(m => m.text) : undefined
  }, 20_000, `${count} messages`)
}

test('with a clock a day ahead, presence still passes both ways, its until in the receiver\'s clock', async (t) => {
  const { ahead, bob } = await office(t)
  await ahead.setPresence({ status: 'focus', text: 'Quarterly report', forMinutes: 60 })
  await presenceSeen(bob, ahead.peerId, 'focus')
  const seen = (await bob.peers()).find(p => p.peerId === ahead.peerId)!.presence
  assert.ok(seen.until !== null && Math.abs(seen.until - (Date.now() + 3600_000)) < 5 * 60_000, 'the hour of focus ends in an hour of bob\'s clock')

  await bob.setPresence({ status: 'away', text: 'Lunch', forMinutes: 30 })
  await presenceSeen(ahead, bob.peerId, 'away')
  const bobSeen = (await ahead.peers()).find(p => p.peerId === bob.peerId)!.presence
  assert.ok(bobSeen.until !== null && Math.abs(bobSeen.until - (aDayAhead() + 30 * 60_000)) < 5 * 60_000, 'bob\'s half hour ends in half an hour of alice\'s clock')
})

test('a conversation with a peer whose clock is a day ahead reads in order of arrival, and shows the claimed time', async (t) => {
  const { ahead, bob } = await office(t)
  await bob.send('alice', 'one')
  await texts(ahead, 'bob', 1)
  await ahead.send('bob', 'two')
  await texts(bob, 'alice', 2)
  await bob.send('alice', 'three')
  assert.deepEqual(await texts(bob, 'alice', 3), ['one', 'two', 'three'])
  assert.deepEqual(await texts(ahead, 'bob', 3), ['one', 'two', 'three'])

  const two = (await bob.messages({ with: 'alice', limit: 100 })).find(m => m.text === 'two')!
  assert.ok(Math.abs(two.time - aDayAhead()) < 5 * 60_000, 'the claimed time is kept as signed')
  assert.ok(two.arrived !== undefined && Math.abs(two.arrived - Date.now()) < 5 * 60_000, 'and the arrival is in bob\'s clock')
  const page = await bob.messages({ with: 'alice', limit: 100, before: two.arrived })
  assert.deepEqual(page.map(m => m.text), ['one'], 'pages go by arrival too')
})

test('the node whose clock is a day off is told, in its status, the API and the CLI; its colleagues see a note on it', async (t) => {
  const { ahead, bob, carol } = await office(t)
  const skew = await eventually(async () => {
    const status = await ahead.status()
    return status.clock.peers >= 2 ? status.clock : undefined
  }, 20_000, 'two clock samples')
  assert.ok(Math.abs(skew.offsetMs! - DAY) < 5 * 60_000, `alice's clock is a day ahead (${skew.offsetMs})`)
  assert.equal(skew.wrong, true)
  NodeStatus.parse(await ahead.status())

  for (const colleague of [bob, carol]) {
    const clock = await eventually(async () => { const c = (await colleague.status()).clock; return c.peers >= 2 ? c : undefined }, 20_000, 'samples')
    assert.equal(clock.wrong, false, 'one wrong clock does not accuse everyone')
    assert.ok(Math.abs(clock.offsetMs!) < 5 * 60_000)
    const alice = (await colleague.peers()).find(p => p.peerId === ahead.peerId)!
    assert.ok(alice.clockOffsetMs !== undefined && Math.abs(alice.clockOffsetMs - DAY) < 5 * 60_000, 'alice is noted a day ahead')
    assert.equal((await colleague.peers()).find(p => p.peerId !== ahead.peerId)!.clockOffsetMs, undefined, 'a right clock has no note')
  }

  const api = await startApiServer({ node: ahead, home: ahead.home, port: 0 })
  t.after(async () => { await api.close() })
  const run = async (command: Command, json: boolean): Promise<string[]> => {
    const out: string[] = []
    const code = await command.run({ home: ahead.home, json, argv: [], out: line => { out.push(line) }, err: line => { out.push(line) } })
    assert.equal(code, 0, out.join('\n'))
    return out
  }
  assert.ok((await run(statusCommand, false)).some(line => /^clock +1 day ahead of your colleagues'/.test(line)), 'causette status says it')
  const json = JSON.parse((await run(statusCommand, true))[0]!) as { clock: { wrong: boolean } }
  assert.equal(json.clock.wrong, true)

  const bobsApi = await startApiServer({ node: bob, home: bob.home, port: 0 })
  t.after(async () => { await bobsApi.close() })
  const peers: string[] = []
  assert.equal(await peersCommand.run({ home: bob.home, json: false, argv: [], out: line => { peers.push(line) }, err: line => { peers.push(line) } }), 0)
  assert.match(peers.find(line => line.startsWith('alice'))!, /connected, clock 1 day ahead/, 'causette peers notes alice\'s clock')
  assert.doesNotMatch(peers.find(line => line.startsWith('carol'))!, /clock/)
})

test('a colleague who set a clock a day ahead right again is still heard: a new name reaches us', async (t) => {
  const bob = await testNode(t, { name: 'bob' })
  const home = await tempHome(t)
  const ahead = await testNode(t, { name: 'alice', home, peers: [addressOf(bob)], now: aDayAhead })
  await waitForPeer(bob, ahead.peerId)
  await eventually(async () => (await bob.peers()).find(p => p.peerId === ahead.peerId && p.name === 'alice'), 20_000, 'alice named')
  await ahead.stop()
  const fixed = await testNode(t, { name: 'Alice Martin', home, peers: [addressOf(bob)] })
  await waitForPeer(bob, fixed.peerId)
  await eventually(async () => (await bob.peers()).find(p => p.peerId === fixed.peerId && p.name === 'Alice Martin'), 20_000, 'the new name, signed by the right clock')
  await fixed.setPresence({ status: 'away', text: 'Back at two' })
  await presenceSeen(bob, fixed.peerId, 'away')
})

test('a channel with a member whose clock is a day ahead reads in order of arrival at every member', async (t) => {
  const { nodes: [alice, bruno, carla] } = await workspaceOf(t, ['Alice', 'Bruno', 'Carla'], { 1: aDayAhead }) as { nodes: CausetteNode[] }
  const channel = await alice!.createChannel('project-x', 'the X launch')
  await alice!.inviteToChannel(channel.id, [bruno!.peerId, carla!.peerId])
  for (const node of [bruno!, carla!]) await eventually(async () => (await node.channels()).find(c => c.id === channel.id && c.members.length === 3), 20_000, 'the channel at every member')
  const everywhere = async (count: number): Promise<void> => {
    for (const node of [alice!, bruno!, carla!]) await eventually(async () => (await node.channelMessages(channel.id)).length >= count || undefined, 20_000, `${count} channel messages`)
  }
  await carla!.sendToChannel(channel.id, 'one')
  await everywhere(1)
  await bruno!.sendToChannel(channel.id, 'two')
  await everywhere(2)
  await carla!.sendToChannel(channel.id, 'three')
  await everywhere(3)
  for (const node of [alice!, bruno!, carla!]) {
    assert.deepEqual((await node.channelMessages(channel.id)).map(m => m.text), ['one', 'two', 'three'])
  }
})

// Before, an invite carried the expiry of the clock that issued it: issued while the admin's clock ran
// a year ahead, a one-day code stayed open for a year after the clock was set right.
test('an invite issued while the clock ran a year ahead is expired once the clock is right, and refused in words', async (t) => {
  let aheadMs = 365 * DAY
  const ada = await testNode(t, { name: 'Ada', now: () => Date.now() + aheadMs })
  await ada.createWorkspace('Acme')
  const invite = await ada.createInvite({ role: 'member', expiresMs: DAY })
  assert.equal((await ada.listInvites()).invites[0]?.status, 'open', 'open by the clock that issued it')
  aheadMs = 0 // set right
  assert.equal((await ada.listInvites()).invites[0]?.status, 'expired')
  const eve = await testNode(t, { name: 'eve' })
  await assert.rejects(eve.joinWorkspace(invite.code), (error: Error & { code?: string }) => error.code === 'MEMBERSHIP_INVITE_EXPIRED' && /clock/.test(error.message))
})
