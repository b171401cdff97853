// A full disk on the receiver: its profile lives on a real 16 MiB tmpfs that is filled until it
// refuses a single byte, messages arrive and cannot be stored, space comes back and five more are
// delivered. After a restart those five are still there, in the history and in a journal that
// verifies (before the fix, LevelDB dropped them: "dropping 32768 bytes; Corruption: checksum mismatch").
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { isCausetteError } from '../../core/errors.js'
import { examineProfile } from '../../core/node/doctor.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import type { CausetteNode } from '../../core/node/node.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { addressOf, eventually, testNode, waitForPeer } from '../helpers/nodes.js'
import { mountSmallDisk, type SmallDisk } from '../helpers/small-disk.js'

// Larger than a tmpfs page: a record of this size is cut short when the disk is full.
const bulky = (label: string): string => `${label} ${'0123456789abcdef'.repeat(400)}`

async function journalLines (node: CausetteNode): Promise<string[]> {
  const lines: string[] = []
  for await (const line of node.exportJournal({})) lines.push(line)
  return lines
}

/** The message ids of the `message-received` entries of an export (`entry <index> <leaf hash> <base64 JSON leaf>`). */
const receivedIds = (lines: string[]): Set<string> => new Set(lines
  .filter(line => line.startsWith('entry '))
  .map(line => JSON.parse(Buffer.from(line.trimEnd().split(' ')[3]!, 'base64').toString('utf8')) as { kind: string, id?: string })
  .filter(entry => entry.kind === 'message-received')
  .map(entry => entry.id!))

/** A receiver whose profile is on a 16 MiB tmpfs, and a sender connected to it. */
async function receiverOnSmallDisk (t: TestContext): Promise<{ disk: SmallDisk, home: string, receiver: CausetteNode, sender: CausetteNode }> {
  const disk = await mountSmallDisk(t)
  const home = join(disk.path, 'home')
  const receiver = await testNode(t, { home, name: 'receiver' })
  const sender = await testNode(t, { name: 'sender', peers: [addressOf(receiver)] })
  await waitForPeer(sender, receiver.peerId)
  return { disk, home, receiver, sender }
}

test('disk full on the receiver: nothing acknowledged is lost, across a restart', async (t) => {
  const { disk, home, receiver, sender } = await receiverOnSmallDisk(t)
  const delivered = new Set<string>()
  sender.events.subscribe(undefined, ({ event }) => {
    if (event.type === 'message-state' && event.state === 'delivered') delivered.add(event.id)
  })
  const deliveredAll = async (ids: string[], what: string): Promise<void> => {
    await eventually(() => ids.every(id => delivered.has(id)) ? true : undefined, 60_000, what)
  }

  const before = await Promise.all([1, 2].map(async i => (await sender.send(receiver.peerId, bulky(`before ${i}`))).id))
  await deliveredAll(before, 'the first messages to be delivered')

  await disk.fill()
  const refused = await Promise.all([1, 2, 3].map(async i => (await sender.send(receiver.peerId, bulky(`while full ${i}`))).id))
  // The receiver notices it cannot write, says so, and stops acknowledging.
  const full = await eventually(async () => { const s = await receiver.status(); return s.storage.state === 'unwritable' ? s.storage : undefined }, 60_000, 'the receiver to report a full disk')
  assert.match(full.message ?? '', /disk is full/)
  await assert.rejects(receiver.send(sender.peerId, 'from a full disk'), (error: unknown) => isCausetteError(error, 'STORAGE_UNAVAILABLE'))
  for (const id of refused) assert.ok(!delivered.has(id), 'nothing is acknowledged while the disk is full')

  await disk.free()
  const after = []
  for (let i = 1; i <= 5; i++) after.push((await sender.send(receiver.peerId, bulky(`after ${i}`))).id)
  await deliveredAll(after, 'the five messages sent after space came back')
  assert.equal((await receiver.status()).storage.state, 'ok')
  const acknowledged = [...delivered]

  await receiver.stop()
  const restarted = await testNode(t, { home, peers: [addressOf(sender)] })
  const conversation = (await restarted.conversations())[0]!.id
  const stored = new Set((await restarted.messages({ conversation, limit: 1000 })).map(m => m.id))
  for (const id of acknowledged) assert.ok(stored.has(id), `acknowledged message ${id.slice(0, 8)} is in the history after the restart`)

  const lines = await journalLines(restarted)
  const report = await verifyExport(lines, nodeLogPrimitives)
  const journaled = receivedIds(lines)
  for (const id of acknowledged) assert.ok(journaled.has(id), `acknowledged message ${id.slice(0, 8)} is in the journal after the restart`)
  t.diagnostic(`${acknowledged.length} acknowledged, ${stored.size} stored after the restart, journal of ${report.size} entries verifies`)
})

test('a node stopped while its disk is full closes its profile, which opens again with everything acknowledged', async (t) => {
  const { disk, home, receiver, sender } = await receiverOnSmallDisk(t)
  const sent = await Promise.all([1, 2, 3].map(async i => (await sender.send(receiver.peerId, bulky(`kept ${i}`))).id))
  await eventually(async () => (await receiver.messages({ with: sender.peerId, limit: 100 })).length === sent.length ? true : undefined, 60_000, 'the messages stored')

  await disk.fill()
  await assert.rejects(receiver.send(sender.peerId, bulky('from a full disk')), (error: unknown) => isCausetteError(error, 'STORAGE_UNAVAILABLE'))
  await receiver.stop()
  await disk.free()

  const restarted = await testNode(t, { home })
  const stored = new Set((await restarted.messages({ with: sender.peerId, limit: 100 })).map(m => m.id))
  for (const id of sent) assert.ok(stored.has(id), `message ${id.slice(0, 8)} kept`)
  await verifyExport(await journalLines(restarted), nodeLogPrimitives)
})

// A desk restarted with its disk full: LevelDB cannot write the table it makes of its log at open.
// Before, the node said the database was damaged and to run 'causette doctor --repair' (which copies
// the database and rebuilds it, on a disk with no room), and doctor offered that repair.
test('a node started on a full disk says the disk is full, not that its database is damaged, and doctor offers no repair', async (t) => {
  const { disk, home, receiver, sender } = await receiverOnSmallDisk(t)
  const sent = await sender.send(receiver.peerId, bulky('kept'))
  await eventually(async () => (await receiver.messages({ with: sender.peerId, limit: 10 })).some(m => m.id === sent.id) || undefined, 20_000, 'the message stored')
  await receiver.stop()
  await disk.fill()

  await assert.rejects(testNode(t, { home }), (error: unknown) => isCausetteError(error, 'STORAGE_UNAVAILABLE') && /disk is full/.test((error as Error).message) && !/damaged|repair/.test((error as Error).message))
  const report = await examineProfile(home)
  const database = report.findings.find(f => f.check === 'database')!
  assert.equal(database.status, 'problem')
  assert.match(database.detail, /disk is full/)
  assert.doesNotMatch(`${database.detail} ${database.fix ?? ''}`, /damaged|repair/)
  assert.equal(report.repairable, false)

  await disk.free()
  const restarted = await testNode(t, { home })
  assert.ok((await restarted.messages({ with: sender.peerId, limit: 10 })).some(m => m.id === sent.id), 'everything is there once space is back')
  assert.deepEqual((await restarted.status()).storage.damage, [])
})
