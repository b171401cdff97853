import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CausetteNode } from '../../core/node/node.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { addressOf, eventually, testNode, waitForPeer } from '../helpers/nodes.js'

async function inbox (node: CausetteNode, from: string, id: string) {
  return await eventually(async () => (await node.messages({ with: from, limit: 100 })).find(m => m.id === id), 20_000, `message ${id.slice(0, 6)} at ${from}'s peer`)
}

async function delivered (node: CausetteNode, to: string, id: string) {
  return await eventually(async () => (await node.messages({ with: to, limit: 100 })).find(m => m.id === id && m.state === 'delivered'), 20_000, `delivery of ${id.slice(0, 6)}`)
}

test('three nodes on loopback exchange messages both ways', async (t) => {
  const alice = await testNode(t, { name: 'alice' })
  const bob = await testNode(t, { name: 'bob', peers: [addressOf(alice)] })
  const carol = await testNode(t, { name: 'carol', peers: [addressOf(alice), addressOf(bob)] })
  const nodes = { alice, bob, carol }
  for (const a of Object.values(nodes)) for (const b of Object.values(nodes)) if (a !== b) await waitForPeer(a, b.peerId)

  for (const [fromName, from] of Object.entries(nodes)) {
    for (const [toName, to] of Object.entries(nodes)) {
      if (from === to) continue
      const sent = await from.send(toName, `${fromName} to ${toName}`)
      const got = await inbox(to, fromName, sent.id)
      assert.equal(got.text, `${fromName} to ${toName}`)
      assert.equal(got.authorName, fromName)
      assert.equal(got.author, from.peerId)
      assert.equal(got.verified, true)
      assert.equal(got.direction, 'in')
      await delivered(from, toName, sent.id)
    }
  }
  const conversations = await alice.conversations()
  assert.deepEqual(conversations.map(c => c.name).sort(), ['bob', 'carol'])
  assert.equal(conversations.find(c => c.name === 'bob')?.unread, 1)
  const status = await alice.status()
  assert.equal(status.peers.connected, 2)
  assert.equal(status.queued, 0)
  // Alice has mDNS off and no --peer: her status says she can only be found by others.
  assert.deepEqual(status.discoveryProblems.map(p => p.code), ['no-discovery-configured'])
  assert.deepEqual((await carol.status()).discoveryProblems, [])
})

test('a message for an absent peer stays queued and is delivered when the peer appears', async (t) => {
  const alice = await testNode(t, { name: 'alice' })
  const bob = await testNode(t, { name: 'bob', peers: [addressOf(alice)] })
  await waitForPeer(alice, bob.peerId)
  await waitForPeer(bob, alice.peerId)
  const bobHome = bob.home
  const bobId = bob.peerId
  await bob.stop()
  await eventually(async () => (await alice.peers()).find(p => p.peerId === bobId && !p.connected))

  const sent = await alice.send('bob', 'while you were out')
  assert.equal(sent.state, 'queued')
  assert.equal((await alice.status()).queued, 1)

  const bobAgain = await testNode(t, { home: bobHome, peers: [addressOf(alice)] })
  assert.equal(bobAgain.peerId, bobId)
  assert.equal((await inbox(bobAgain, 'alice', sent.id)).text, 'while you were out')
  await delivered(alice, 'bob', sent.id)
  assert.equal((await alice.status()).queued, 0)
})

test('a restarted node keeps its identity, history and queue', async (t) => {
  const alice = await testNode(t, { name: 'alice' })
  const bob = await testNode(t, { name: 'bob', peers: [addressOf(alice)] })
  await waitForPeer(bob, alice.peerId)
  const first = await bob.send('alice', 'before the restart')
  await delivered(bob, 'alice', first.id)

  const aliceAddress = addressOf(alice)
  const aliceId = alice.peerId
  await alice.stop()
  await eventually(async () => (await bob.peers()).find(p => p.peerId === aliceId && !p.connected))
  const queued = await bob.send('alice', 'queued across a restart')

  const bobHome = bob.home
  const bobId = bob.peerId
  await bob.stop()
  const bobAgain = await testNode(t, { home: bobHome })
  assert.equal(bobAgain.peerId, bobId)
  assert.equal((await bobAgain.status()).name, 'bob')
  assert.equal((await bobAgain.status()).queued, 1)
  const history = await bobAgain.messages({ with: 'alice', limit: 10 })
  assert.deepEqual(history.map(m => [m.text, m.state]), [['before the restart', 'delivered'], ['queued across a restart', 'queued']])

  const aliceAgain = await testNode(t, { home: alice.home, peers: [addressOf(bobAgain)] })
  assert.equal(aliceAgain.peerId, aliceId)
  assert.notEqual(aliceAddress, undefined)
  assert.equal((await inbox(aliceAgain, 'bob', queued.id)).text, 'queued across a restart')
  await delivered(bobAgain, 'alice', queued.id)
  assert.equal((await aliceAgain.messages({ with: 'bob', limit: 10 })).length, 2)
})

test('a new display name reaches connected colleagues at once', async (t) => {
  const alice = await testNode(t, { name: 'alice' })
  const bob = await testNode(t, { name: 'bob', peers: [addressOf(alice)] })
  await waitForPeer(bob, alice.peerId)
  // Alice names Bob when she looks for his message: she must have his record too.
  await waitForPeer(alice, bob.peerId)
  await alice.setName('Alice Martin')
  await eventually(async () => (await bob.peers()).find(p => p.peerId === alice.peerId && p.name === 'Alice Martin'))
  assert.equal((await alice.status()).name, 'Alice Martin')
  const sent = await bob.send('Alice Martin', 'congratulations')
  assert.equal((await inbox(alice, bob.peerId, sent.id)).authorName, 'bob')
})

test('a member who changes their name is listed under it in the workspace and its updates, on every desk', async (t) => {
  const { nodes: [alice, bruno] } = await workspaceOf(t, ['alice', 'bruno'])
  await bruno!.setName('Bruno Petit')
  const listed = async (node: CausetteNode): Promise<string[]> => (await node.workspaceView())?.members.map(member => member.name) ?? []
  await eventually(async () => (await listed(alice!)).includes('Bruno Petit') || undefined, 20_000, 'the new name in the admin\'s list')
  assert.deepEqual((await listed(bruno!)).sort(), ['Bruno Petit', 'alice'], 'and in his own')
  assert.ok((await alice!.updateStatus()).desks.some(desk => desk.name === 'Bruno Petit'), 'and in the desks of the updates')
})

test('unread counts stay exact when many messages arrive at once', async (t) => {
  const alice = await testNode(t, { name: 'alice' })
  const bob = await testNode(t, { name: 'bob', peers: [addressOf(alice)] })
  await waitForPeer(bob, alice.peerId)
  await Promise.all(Array.from({ length: 300 }, async (_, i) => await bob.send('alice', `burst ${i}`)))
  const conversation = await eventually(async () => (await alice.conversations()).find(c => c.unread === 300), 30_000, '300 unread')
  await alice.markRead(conversation.id)
  assert.equal((await alice.conversations())[0]?.unread, 0)
})
