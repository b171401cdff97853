// Trust on first use: a peer's keys are pinned at first contact; other keys later are refused and
// reported, never silently accepted.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { x25519FromPrivate } from '../../crypto/device-keys.js'
import { randomBytes } from '../../crypto/random.js'
import { loadOrCreateDeviceKeys, saveDeviceKeys } from '../../core/profile/keystore.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { addressOf, eventually, testNode, waitForEvent, waitForPeer } from '../helpers/nodes.js'

test('a known peer presenting another identity key is blocked, reported and journaled', async (t) => {
  const alice = await testNode(t, { name: 'alice' })
  const bob = await testNode(t, { name: 'bob', peers: [addressOf(alice)] })
  // Both ends pinned: each learns the other's record on its own schedule, and the device that comes
  // back below must know Alice from its profile, as a known peer does.
  await waitForPeer(alice, bob.peerId)
  await waitForPeer(bob, alice.peerId)
  const pinned = (await alice.peers()).find(p => p.peerId === bob.peerId)!
  assert.equal(pinned.keyChanged, false)

  // Bob's device comes back with the same device key (PeerId) but another identity key.
  const bobHome = bob.home
  await bob.stop()
  const { keys, masterKey } = await loadOrCreateDeviceKeys(bobHome)
  await saveDeviceKeys(bobHome, masterKey, { ...keys, identity: x25519FromPrivate(randomBytes(32)) })
  const changed = waitForEvent(alice, ({ event }) => event.type === 'peer' && event.peer.peerId === bob.peerId && event.peer.keyChanged)
  const impostor = await testNode(t, { home: bobHome, peers: [addressOf(alice)] })
  await changed
  // Alice's event says nothing of the other end: wait until Bob's device is connected to her too.
  await waitForPeer(impostor, alice.peerId)

  // Alice may not write to Bob, and refuses what Bob's device sends, until she verifies again.
  await assert.rejects(alice.send('bob', 'are you still you?'), { code: 'KEY_CHANGED' })
  const attempt = await impostor.send('alice', 'trust me')
  const failed = await eventually(async () => (await impostor.messages({ with: 'alice', limit: 10 })).find(m => m.id === attempt.id && m.state === 'failed'))
  assert.match(failed.stateReason ?? '', /^KEY_CHANGED/)
  assert.equal((await alice.messages({ limit: 10 })).length, 0)

  // The pinned key is kept; the change is in Alice's journal.
  const after = (await alice.peers()).find(p => p.peerId === bob.peerId)!
  assert.equal(after.deviceKey, pinned.deviceKey)
  assert.equal(after.keyChanged, true)
  const lines: string[] = []
  for await (const line of alice.exportJournal({})) lines.push(line)
  const report = await verifyExport(lines, nodeLogPrimitives)
  assert.equal(report.kinds['key-pin'], 1)
  assert.equal(report.kinds['key-change'], 1)
})
