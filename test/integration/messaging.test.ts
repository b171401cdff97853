import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addressOf, eventually, testNode, waitForPeer } from '../helpers/nodes.js'

test('two nodes on loopback exchange messages both ways', async (t) => {
  const alice = await testNode(t, { name: 'alice' })
  const bob = await testNode(t, { name: 'bob', peers: [addressOf(alice)] })
  await waitForPeer(alice, bob.peerId)
  await waitForPeer(bob, alice.peerId)

  const sent = await alice.send('bob', 'hello bob')
  assert.equal(sent.state, 'queued')
  const received = await eventually(async () => (await bob.messages({ with: 'alice', limit: 10 })).find(m => m.id === sent.id))
  assert.equal(received.text, 'hello bob')
  assert.equal(received.authorName, 'alice')
  assert.equal(received.verified, true)
  await eventually(async () => (await alice.messages({ with: 'bob', limit: 10 })).find(m => m.id === sent.id && m.state === 'delivered'))

  const reply = await bob.send(alice.peerId, 'hi alice')
  await eventually(async () => (await alice.messages({ with: 'bob', limit: 10 })).find(m => m.id === reply.id))
})
