// A receiver that cannot write (a full disk, no file handles) is never a final answer: its sender
// keeps every message queued and tries again, each is stored exactly once when writes work again,
// and the receiver's catch-up state (`received`) never claims a message it does not hold.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { ClassicLevel } from 'classic-level'
import { addressOf, eventually, tempHome, testNode, waitForPeer } from '../helpers/nodes.js'
import { openProfileDatabase } from '../helpers/profile-db.js'
import type { CausetteNode } from '../../core/node/node.js'
import type { SeqSet } from '../../core/messaging/seq-set.js'
import { workspaceOf } from '../helpers/channel-workspace.js'

type BatchFunction = (this: ClassicLevel, operations: Array<{ key: string }>, options: unknown) => Promise<void>

/** The message ids a batch stores (its keys in the message index). */
function storedIds (operations: Array<{ key: string }>): string[] {
  return operations.flatMap(op => /^!message-index!(.+)$/.exec(String(op.key))?.[1] ?? [])
}

/**
 * Makes the LevelDB writes of the database under `home` fail, as a full disk does, while `failing()`
 * says so: with the uncoded error LevelDB gives. Counts the message ids each failed batch held.
 */
function faultyDisk (t: TestContext, home: string, failing: (batch: number, ids: string[]) => boolean): { refusedIds: Map<string, number> } {
  const prototype = ClassicLevel.prototype as unknown as { _batch: BatchFunction }
  const original = prototype._batch
  const refusedIds = new Map<string, number>()
  let batches = 0
  prototype._batch = async function (this: ClassicLevel, operations, options) {
    const ids = storedIds(operations)
    if (this.location.startsWith(home) && failing(batches++, ids)) {
      for (const id of ids) refusedIds.set(id, (refusedIds.get(id) ?? 0) + 1)
      throw new Error('IO error: 000012.log: No space left on device')
    }
    await original.call(this, operations, options)
  }
  t.after(() => { prototype._batch = original })
  return { refusedIds }
}

/**
 * What the stopped receiver holds of `author`'s messages (1:1, or in a channel), and what its
 * conversation (or channel) record claims.
 */
async function heldAndClaimed (home: string, author: string, inChannel = false): Promise<{ held: Set<number>, claimed: SeqSet }> {
  const db = await openProfileDatabase(home)
  try {
    const held = new Set<number>()
    for await (const m of db.messages.values()) if (m.author === author && m.direction === 'in' && (m.channel !== undefined) === inChannel) held.add(m.seq)
    let claimed: SeqSet = { contiguous: 0, above: [] }
    const records = inChannel ? db.channels.values() : db.conversations.values()
    for await (const record of records) if (record.received?.[author] !== undefined) claimed = record.received[author]
    return { held, claimed }
  } finally {
    await db.close()
  }
}

function assertClaimsOnlyHeld ({ held, claimed }: { held: Set<number>, claimed: SeqSet }): void {
  for (let seq = 1; seq <= claimed.contiguous; seq++) assert.ok(held.has(seq), `received.contiguous ${claimed.contiguous} claims seq ${seq}, which is not stored`)
  for (const seq of claimed.above) assert.ok(held.has(seq), `received.above claims seq ${seq}, which is not stored`)
}

async function outgoing (node: CausetteNode): Promise<Array<{ id: string, state: string }>> {
  const conversation = (await node.conversations())[0]!.id
  return (await node.messages({ conversation, limit: 1000 })).filter(m => m.direction === 'out')
}

test('a receiver that cannot write: nothing fails, every message arrives once, and catch-up state never runs ahead', async (t) => {
  const COUNT = 200
  const receiverHome = await tempHome(t)
  const senderHome = await tempHome(t)
  const receiver = await testNode(t, { name: 'receiver', home: receiverHome })
  const sender = await testNode(t, { name: 'sender', home: senderHome, peers: [addressOf(receiver)] })
  await waitForPeer(sender, receiver.peerId)
  const first = await sender.send(receiver.peerId, 'before the disk fills')
  await eventually(async () => (await outgoing(sender)).find(m => m.id === first.id && m.state === 'delivered'), 20_000, 'the first delivery')

  // Two batches of three fail: some writes pass while others fail, as on a disk at its limit.
  let disk: 'filling' | 'full' | 'healthy' = 'filling'
  const { refusedIds } = faultyDisk(t, receiverHome, batch => disk === 'full' || (disk === 'filling' && batch % 3 !== 0))
  for (let i = 0; i < COUNT; i++) await sender.send(receiver.peerId, `message ${i}`)
  // Until the sender has tried a refused message again (or all got through): a failed one ends the wait.
  const outcome = await eventually(async () => {
    const states = await outgoing(sender)
    if (states.some(m => m.state === 'failed')) return 'failed'
    if ([...refusedIds.values()].some(n => n >= 2)) return 'retried'
    return refusedIds.size > 0 && states.every(m => m.state === 'delivered') ? 'retried' : undefined
  }, 120_000, 'a refused message to be sent again')
  disk = 'full'
  const failed = (await outgoing(sender)).filter(m => m.state === 'failed')
  assert.equal(outcome, 'retried', `${failed.length} of ${COUNT} messages ended failed`)

  // Stopped mid-episode: what the receiver's record claims, it holds.
  await sender.stop()
  disk = 'healthy'
  await receiver.stop()
  const midway = await heldAndClaimed(receiverHome, sender.peerId)
  assertClaimsOnlyHeld(midway)
  t.diagnostic(`midway: ${midway.held.size} stored, received.contiguous ${midway.claimed.contiguous}, ${refusedIds.size} messages refused at least once`)

  // Both back, the disk healthy: everything arrives, once.
  const receiverAgain = await testNode(t, { home: receiverHome })
  const senderAgain = await testNode(t, { home: senderHome, peers: [addressOf(receiverAgain)] })
  await waitForPeer(senderAgain, receiverAgain.peerId)
  await eventually(async () => (await senderAgain.status()).queued === 0 ? true : undefined, 120_000, 'the outbox to drain')
  const states = await outgoing(senderAgain)
  assert.equal(states.length, COUNT + 1)
  assert.deepEqual(states.filter(m => m.state !== 'delivered' && m.state !== 'read'), [], 'every message is delivered')
  const conversation = (await receiverAgain.conversations())[0]!.id
  const stored = (await receiverAgain.messages({ conversation, limit: 1000 })).filter(m => m.direction === 'in')
  assert.equal(stored.length, COUNT + 1)
  assert.equal(new Set(stored.map(m => m.id)).size, COUNT + 1, 'no message is stored twice')

  await senderAgain.stop()
  await receiverAgain.stop()
  const after = await heldAndClaimed(receiverHome, sender.peerId)
  assert.equal(after.held.size, COUNT + 1)
  assert.deepEqual(after.claimed, { contiguous: COUNT + 1, above: [] }, 'received matches what is held')
})

test('a channel member that cannot write: no copy fails, each arrives once, and the channel record never runs ahead', async (t) => {
  const COUNT = 60
  const { nodes: [alice, bruno], homes: [, brunoHome] } = await workspaceOf(t, ['Alice', 'Bruno']) as { nodes: CausetteNode[], homes: string[] }
  const channel = (await alice!.createChannel('launch')).id
  await alice!.inviteToChannel(channel, [bruno!.peerId])
  await eventually(async () => (await bruno!.channels()).find(c => c.id === channel && c.members.length === 2), 20_000, 'the channel at Bruno')
  const first = await alice!.sendToChannel(channel, 'before the disk fills')
  await eventually(async () => (await bruno!.channelMessages(channel, { limit: 10 })).find(m => m.id === first.id), 20_000, 'the first message at Bruno')

  let disk: 'filling' | 'full' | 'healthy' = 'filling'
  const { refusedIds } = faultyDisk(t, brunoHome!, batch => disk === 'full' || (disk === 'filling' && batch % 3 !== 0))
  const sent = [first.id]
  for (let i = 0; i < COUNT; i++) sent.push((await alice!.sendToChannel(channel, `message ${i}`)).id)
  const deliveries = async (): Promise<Array<{ failed: number, delivered: number }>> =>
    (await alice!.channelMessages(channel, { limit: 1000 })).flatMap(m => m.delivery === undefined ? [] : [m.delivery])
  const outcome = await eventually(async () => {
    const states = await deliveries()
    if (states.some(d => d.failed > 0)) return 'failed'
    if ([...refusedIds.values()].some(n => n >= 2)) return 'retried'
    return refusedIds.size > 0 && states.every(d => d.delivered === 1) ? 'retried' : undefined
  }, 120_000, 'a refused copy to be sent again')
  disk = 'full'
  assert.equal(outcome, 'retried', `${(await deliveries()).filter(d => d.failed > 0).length} of ${COUNT} copies ended failed`)
  await alice!.stop()
  disk = 'healthy'
  await bruno!.stop()
  assertClaimsOnlyHeld(await heldAndClaimed(brunoHome!, alice!.peerId, true))

  const brunoAgain = await testNode(t, { home: brunoHome! })
  const aliceAgain = await testNode(t, { home: alice!.home, peers: [addressOf(brunoAgain)] })
  await waitForPeer(aliceAgain, brunoAgain.peerId)
  await eventually(async () => (await aliceAgain.status()).queued === 0 ? true : undefined, 120_000, 'the outbox to drain')
  assert.deepEqual((await aliceAgain.channelMessages(channel, { limit: 1000 })).filter(m => m.delivery !== undefined && m.delivery.delivered + m.delivery.read !== 1).map(m => m.id), [], 'every copy is delivered')
  const stored = await brunoAgain.channelMessages(channel, { limit: 1000 })
  t.diagnostic(`${refusedIds.size} copies refused at least once; ${stored.length} of ${sent.length} stored at the end`)
  assert.deepEqual(stored.map(m => m.id).sort(), [...sent].sort(), 'each message stored once')
  await aliceAgain.stop()
  await brunoAgain.stop()
  const after = await heldAndClaimed(brunoHome!, alice!.peerId, true)
  assert.equal(after.held.size, COUNT + 1)
  assert.deepEqual(after.claimed, { contiguous: Math.max(...after.held), above: [] }, 'received matches what is held')
})

test('a send its own disk refused gives its seq back: the recipient\'s catch-up state stays one run', async (t) => {
  const senderHome = await tempHome(t)
  const receiverHome = await tempHome(t)
  const receiver = await testNode(t, { name: 'receiver', home: receiverHome })
  const sender = await testNode(t, { name: 'sender', home: senderHome, peers: [addressOf(receiver)] })
  await waitForPeer(sender, receiver.peerId)
  let diskFull = true
  faultyDisk(t, senderHome, () => diskFull)
  await assert.rejects(sender.send(receiver.peerId, 'not written'))
  diskFull = false
  const written = await sender.send(receiver.peerId, 'written')
  await eventually(async () => (await outgoing(sender)).find(m => m.id === written.id && m.state === 'delivered'), 20_000, 'the delivery')
  await sender.stop()
  await receiver.stop()
  assert.deepEqual(await heldAndClaimed(receiverHome, sender.peerId), { held: new Set([1]), claimed: { contiguous: 1, above: [] } })
})

test('catch-up resends that a full disk refused are sent again, without waiting for another connection', async (t) => {
  const alice = await testNode(t, { name: 'Alice' })
  const brunoHome = await tempHome(t)
  const bruno = await testNode(t, { name: 'Bruno', home: brunoHome, peers: [addressOf(alice)] })
  await waitForPeer(alice, bruno.peerId)
  const sent: Array<{ id: string, conversation: string }> = []
  for (const text of ['one', 'two', 'three']) sent.push(await alice.send(bruno.peerId, text))
  await eventually(async () => (await outgoing(alice)).every(m => m.state === 'delivered') || undefined, 20_000, 'all delivered')
  await bruno.stop()
  // Bruno's disk loses "two" and "three" and the record that it had them (catch-up asks for them).
  const db = await openProfileDatabase(brunoHome)
  for (const m of sent.slice(1)) await db.root.batch([{ type: 'del', sublevel: db.messages, key: (await db.messageIndex.get(m.id))! }, { type: 'del', sublevel: db.messageIndex, key: m.id }] as never)
  const conversation = (await db.conversations.get(sent[0]!.conversation))!
  await db.conversations.put(conversation.id, { ...conversation, received: { [alice.peerId]: { contiguous: 1, above: [] } } })
  await db.close()

  // Back, with a disk that refuses to store messages until it has refused both resends.
  const { refusedIds } = faultyDisk(t, brunoHome, (_, ids) => ids.length > 0 && !(refusedIds.has(sent[1]!.id) && refusedIds.has(sent[2]!.id)))
  const brunoAgain = await testNode(t, { name: 'Bruno', home: brunoHome, peers: [addressOf(alice)] })
  const held = await eventually(async () => {
    const messages = await brunoAgain.messages({ with: alice.peerId, limit: 10 })
    return messages.length === 3 ? messages : undefined
  }, 30_000, 'the refused resends again')
  assert.deepEqual(held.map(m => m.text), ['one', 'two', 'three'])
  await eventually(async () => (await alice.status()).queued === 0 || undefined, 20_000, 'the outbox to drain')
})
