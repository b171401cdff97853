// Catch-up sync between real nodes on loopback: a node that lost acknowledged messages (here, taken
// out of its database while it was stopped, as a damaged disk would) gets them again from their
// author on the next connection, in order, checked as on first delivery, and never twice.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addressOf, eventually, tempHome, testNode, waitForPeer } from '../helpers/nodes.js'
import { openProfileDatabase } from '../helpers/profile-db.js'

test('a node that lost acknowledged messages gets them again from their author, once and in order', async (t) => {
  const alice = await testNode(t, { name: 'Alice' })
  const brunoHome = await tempHome(t)
  const bruno = await testNode(t, { name: 'Bruno', home: brunoHome, peers: [addressOf(alice)] })
  await waitForPeer(alice, bruno.peerId)
  const sent = []
  for (const text of ['one', 'two', 'three', 'four']) sent.push(await alice.send(bruno.peerId, text))
  await eventually(async () => (await alice.messages({ with: bruno.peerId, limit: 10 })).every(m => m.state === 'delivered') || undefined, 20_000, 'all delivered')
  const brunoId = bruno.peerId
  await bruno.stop()

  // Bruno's disk loses "two" and "four", and the record that it had "three".
  const db = await openProfileDatabase(brunoHome)
  for (const m of [sent[1]!, sent[3]!]) {
    const key = (await db.messageIndex.get(m.id))!
    await db.root.batch([{ type: 'del', sublevel: db.messages, key }, { type: 'del', sublevel: db.messageIndex, key: m.id }] as never)
  }
  const conversation = (await db.conversations.get(sent[0]!.conversation))!
  await db.conversations.put(conversation.id, { ...conversation, received: { [alice.peerId]: { contiguous: 1, above: [] } } })
  await db.close()

  const brunoAgain = await testNode(t, { name: 'Bruno', home: brunoHome, peers: [addressOf(alice)] })
  const texts = await eventually(async () => {
    const messages = await brunoAgain.messages({ with: alice.peerId, limit: 10 })
    return messages.length === 4 ? messages : undefined
  }, 20_000, 'the lost messages again')
  assert.deepEqual(texts.map(m => [m.text, m.seq, m.verified]), [['one', 1, true], ['two', 2, true], ['three', 3, true], ['four', 4, true]])
  // "three" came again too (Bruno no longer said it had it) and was refused as a replay: still one copy.
  await new Promise(resolve => setTimeout(resolve, 500))
  assert.equal((await brunoAgain.messages({ with: alice.peerId, limit: 10 })).length, 4)
  assert.equal((await alice.messages({ with: brunoId, limit: 10 })).length, 4)
})

test('a message sealed with a key the recipient had spent is sealed again, not taken as delivered', async (t) => {
  const bruno = await testNode(t, { name: 'Bruno' })
  const aliceHome = await tempHome(t)
  const start = async () => await testNode(t, { name: 'Alice', home: aliceHome, peers: [addressOf(bruno)] })
  const delivered = async (node: Awaited<ReturnType<typeof start>>, id: string) => await eventually(async () => (await node.messages({ with: bruno.peerId, limit: 10 })).find(m => m.id === id && m.state === 'delivered'), 20_000, 'delivered')
  // Bruno's signed receipt has reached Alice (it is in her journal): nothing of his is on its way to her.
  const receiptIn = async (node: Awaited<ReturnType<typeof start>>, id: string) => await eventually(async () => {
    for await (const line of node.exportJournal({})) if (line.startsWith('entry ') && Buffer.from(line.split(' ')[3]!, 'base64').toString().includes(`"receipt":"delivered"`) && Buffer.from(line.split(' ')[3]!, 'base64').toString().includes(id)) return true
    return undefined
  }, 20_000, 'the receipt')
  let alice = await start()
  await waitForPeer(alice, bruno.peerId)
  const one = await alice.send(bruno.peerId, 'one')
  await delivered(alice, one.id)
  await receiptIn(alice, one.id)
  await alice.stop()

  // Keep Alice's session as it is now, send once more, then put the older session back: her next
  // message uses the key of "two" again, which Bruno has spent.
  let db = await openProfileDatabase(aliceHome)
  const older = await db.sessions.get(bruno.peerId)
  await db.close()
  alice = await start()
  await waitForPeer(alice, bruno.peerId)
  const two = await alice.send(bruno.peerId, 'two')
  await delivered(alice, two.id)
  await receiptIn(alice, two.id)
  await alice.stop()
  db = await openProfileDatabase(aliceHome)
  await db.sessions.put(bruno.peerId, older!)
  await db.close()

  alice = await start()
  await waitForPeer(alice, bruno.peerId)
  const three = await alice.send(bruno.peerId, 'three')
  await delivered(alice, three.id)
  // "delivered" now means Bruno has it: he answered E2E_REPLAY to the first seal, and stored the second.
  assert.deepEqual((await bruno.messages({ with: alice.peerId, limit: 10 })).map(m => m.text), ['one', 'two', 'three'])
})
