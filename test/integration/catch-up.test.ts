// Catch-up sync between real nodes on loopback: a node that lost acknowledged messages (here, taken
// out of its database while it was stopped, as a damaged disk would) gets them again from their
// author on the next connection, in order, checked as on first delivery, and never twice.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadSodium } from '../../crypto/sodium.js'
import { loadOrCreateDeviceKeys } from '../../core/profile/keystore.js'
import { openDatabase } from '../../core/store/database.js'
import { valueEncryption } from '../../core/store/value-encryption.js'
import { addressOf, eventually, tempHome, testNode, waitForPeer } from '../helpers/nodes.js'

/** Opens a stopped node's database as the node does, to damage it. */
async function openProfileDatabase (home: string): Promise<Awaited<ReturnType<typeof openDatabase>>> {
  const { masterKey } = await loadOrCreateDeviceKeys(home, Date.now())
  return await openDatabase(home, valueEncryption(await loadSodium(), masterKey))
}

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
