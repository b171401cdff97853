// A full disk under the profile's small files, on a real 16 MiB tmpfs filled until it refuses a byte:
// a settings change, a new name or photo is refused in words (STORAGE_UNAVAILABLE) and nothing of it
// takes effect, the files on disk are as they were, and the node keeps running; a focus that ends
// while the disk is full still ends (the digest, the colleagues told) though presence.json cannot be saved.
// Once there is room, changes made at once all hold.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { isCausetteError } from '../../core/errors.js'
import type { CausetteNode } from '../../core/node/node.js'
import { toBase64 } from '../../crypto/encoding.js'
import { addressOf, eventually, testNode, waitForEvent, waitForPeer } from '../helpers/nodes.js'
import { mountSmallDisk, type SmallDisk } from '../helpers/small-disk.js'

const refusedForRoom = (error: unknown): boolean => isCausetteError(error, 'STORAGE_UNAVAILABLE') && /disk is full/.test((error as Error).message)

async function nodeOnSmallDisk (t: TestContext, name: string, peers: CausetteNode[] = []): Promise<{ disk: SmallDisk, home: string, node: CausetteNode }> {
  const disk = await mountSmallDisk(t)
  const home = join(disk.path, 'home')
  const node = await testNode(t, { home, name, peers: peers.map(addressOf) })
  return { disk, home, node }
}

test('a full disk refuses a settings change, a name and a photo in words, and none of them takes effect', async (t) => {
  const { disk, home, node } = await nodeOnSmallDisk(t, 'alice')
  const settingsBefore = await node.settings()
  const fileBefore = await readFile(join(home, 'settings.json'), 'utf8')
  const limitBefore = (await node.filesUsage()).limitBytes
  await disk.fill()

  await assert.rejects(node.updateSettings({ readReceipts: false, fileLimitBytes: 1024 }), refusedForRoom)
  assert.deepEqual(await node.settings(), settingsBefore, 'the settings in force are those saved')
  assert.equal((await node.filesUsage()).limitBytes, limitBefore, 'the file limit too')
  await assert.rejects(node.setName('Alice Martin'), refusedForRoom)
  assert.equal((await node.status()).name, 'alice', 'the name in force is the one saved')
  const photo = { type: 'image/jpeg' as const, data: toBase64(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...randomBytes(20_000)])) }
  await assert.rejects(node.setPhoto(photo), refusedForRoom)
  assert.equal(await node.photo(), null)

  assert.equal(await readFile(join(home, 'settings.json'), 'utf8'), fileBefore, 'settings.json is as it was')
  assert.deepEqual((await readdir(home)).filter(name => name.endsWith('.tmp')), [], 'no temporary file is left in the profile')

  await disk.free()
  assert.equal((await node.updateSettings({ readReceipts: false })).readReceipts, false)
  await node.setName('Alice Martin')
  assert.equal((await node.status()).name, 'Alice Martin')

  // Two switches and a name changed faster than a save: each read the settings before the others'
  // saves, and the last save put back what the others had changed (in force and on disk).
  await Promise.all([node.updateSettings({ notificationSound: false }), node.updateSettings({ fileLimitBytes: 2048 }), node.setName('Alice M.')])
  const expected = { readReceipts: false, notificationSound: false, fileLimitBytes: 2048 }
  assert.deepEqual(await node.settings(), expected, 'every change holds')
  assert.equal((await node.status()).name, 'Alice M.')
  const saved = JSON.parse(await readFile(join(home, 'settings.json'), 'utf8')) as Record<string, unknown>
  assert.deepEqual({ readReceipts: saved.readReceipts, notificationSound: saved.notificationSound, fileLimitBytes: saved.fileLimitBytes, name: saved.name }, { ...expected, name: 'Alice M.' }, 'and is saved')
})

test('a focus that ends while the disk is full still ends: the digest comes and the colleague is told', async (t) => {
  const alice = await testNode(t, { name: 'alice' })
  const { disk, node: bob } = await nodeOnSmallDisk(t, 'bob', [alice])
  await waitForPeer(alice, bob.peerId)
  await waitForPeer(bob, alice.peerId)
  const until = Date.now() + 15_000
  await bob.setPresence({ status: 'focus', until })
  await alice.send('bob', 'While you focus')
  await eventually(async () => (await bob.presence()).held === 1 || undefined, 20_000, 'the message held')
  await disk.fill()
  assert.ok(Date.now() < until, 'the disk was full before the focus ended (else this test shows nothing)')

  await waitForEvent(bob, frame => frame.event.type === 'digest', 60_000)
  await waitForEvent(alice, frame => frame.event.type === 'peer' && frame.event.peer.peerId === bob.peerId && frame.event.peer.presence.status === 'available' && frame.event.peer.presence.updated !== null && frame.event.peer.presence.updated >= until, 60_000)
  assert.equal((await bob.presence()).status, 'available')
})
