// Store-and-forward between real nodes on loopback: sender and recipient are never online at the
// same time; a colleague's node carries the ciphertext one way and the signed receipts the other.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import type { MessageView } from '../../core/api/schema.js'
import type { CausetteNode } from '../../core/node/node.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { addressOf, eventually, tempHome, testNode } from '../helpers/nodes.js'

/** The node's whole journal as an export file, checked by our verifier and by the independent Python one. */
async function exportOf (t: TestContext, node: CausetteNode): Promise<string> {
  const lines: string[] = []
  for await (const line of node.exportJournal({})) lines.push(line)
  const report = await verifyExport(lines, nodeLogPrimitives)
  assert.deepEqual(report.conversationFindings, []) // carried messages too name their own conversation
  const file = join(await tempHome(t), 'export.txt')
  await writeFile(file, lines.join('\n') + '\n')
  assert.match(execFileSync('python3', ['docs/examples/verify_journal.py', file], { encoding: 'utf8' }), /^OK/)
  return lines.join('\n')
}

/** The journal's entries of one kind, parsed. */
function entries (exported: string, kind: string): Array<Record<string, unknown>> {
  return exported.split('\n').filter(line => line.startsWith('entry ')).map(line => JSON.parse(Buffer.from(line.split(' ')[3]!, 'base64').toString('utf8')) as Record<string, unknown>)
    .filter(entry => entry.kind === kind)
}

async function workspaceOfThree (t: TestContext): Promise<{ alice: CausetteNode, bruno: CausetteNode, carla: CausetteNode, homes: Record<string, string> }> {
  const homes = { alice: await tempHome(t), bruno: await tempHome(t), carla: await tempHome(t) }
  const alice = await testNode(t, { name: 'Alice', home: homes.alice })
  await alice.createWorkspace('Acme')
  const bruno = await testNode(t, { name: 'Bruno', home: homes.bruno, join: (await alice.createInvite({ role: 'member', expiresMs: 3_600_000 })).code, peers: [addressOf(alice)] })
  const carla = await testNode(t, { name: 'Carla', home: homes.carla, join: (await alice.createInvite({ role: 'member', expiresMs: 3_600_000 })).code, peers: [addressOf(alice)] })
  // Everyone knows everyone from the membership log, met or not.
  for (const node of [alice, bruno, carla]) {
    await eventually(async () => (await node.workspaceView())?.members.length === 3 || undefined, 20_000, `${node.peerId.slice(-4)} to know all members`)
  }
  return { alice, bruno, carla, homes }
}

async function messageWith (node: CausetteNode, peer: string, predicate: (m: MessageView) => boolean): Promise<MessageView> {
  return await eventually(async () => (await node.messages({ with: peer, limit: 100 })).find(predicate), 30_000, 'the message')
}

test('sender and recipient never online together: a colleague carries the message, and the receipts back', async (t) => {
  const { alice, bruno, carla, homes } = await workspaceOfThree(t)
  await eventually(async () => (await alice.peers()).find(p => p.peerId === carla.peerId && p.connected), 20_000, 'alice to reach carla')
  const brunoId = bruno.peerId
  await bruno.stop()

  // Bruno is away: Alice's message goes to Carla, who cannot read it.
  const sent = await alice.send(brunoId, 'the contract is signed, see you monday')
  assert.equal(sent.state, 'queued')
  const carried = await messageWith(alice, brunoId, m => m.id === sent.id && m.state === 'sent')
  assert.ok(carried.stateTimes.sent! >= carried.stateTimes.queued!)
  const aliceId = alice.peerId
  await alice.stop()

  // Bruno comes back while Alice is away; only Carla is there.
  const brunoAgain = await testNode(t, { name: 'Bruno', home: homes.bruno, peers: [addressOf(carla)] })
  const received = await messageWith(brunoAgain, aliceId, m => m.id === sent.id)
  assert.equal(received.text, 'the contract is signed, see you monday')
  assert.equal(received.author, aliceId)
  assert.equal(received.verified, true)
  assert.equal(received.seq, 1)
  assert.equal((await brunoAgain.peers()).find(p => p.peerId === aliceId)?.connected, false)

  // Alice comes back while Bruno is still there, but knows only Carla's address: the signed
  // delivery receipt reaches her through Carla.
  const aliceAgain = await testNode(t, { name: 'Alice', home: homes.alice, peers: [addressOf(carla)] })
  const delivered = await messageWith(aliceAgain, brunoId, m => m.id === sent.id && m.state === 'delivered')
  assert.ok(delivered.stateTimes.sent !== undefined && delivered.stateTimes.delivered !== undefined)

  // Bruno reads it: the read receipt travels the same way.
  await brunoAgain.markRead(received.conversation)
  await messageWith(aliceAgain, brunoId, m => m.id === sent.id && m.state === 'read')

  // Nothing was shown twice, on either side.
  assert.equal((await brunoAgain.messages({ with: aliceId, limit: 100 })).length, 1)
  assert.equal((await aliceAgain.messages({ with: brunoId, limit: 100 })).length, 1)

  // Carla's journal shows that she carried, for whom and how much, and never what.
  const carlas = await exportOf(t, carla)
  const carries = entries(carlas, 'carry')
  assert.ok(carries.some(e => e.action === 'held' && e.author === aliceId && e.recipient === brunoId && e.count === 1))
  assert.ok(carries.some(e => e.action === 'handed-over' && e.author === aliceId && e.recipient === brunoId))
  assert.ok(carries.some(e => e.action === 'held' && e.author === brunoId && e.recipient === aliceId), 'the receipt was carried back')
  assert.ok(!carlas.includes('contract') && entries(carlas, 'message-received').length === 0)

  // Alice's journal holds Bruno's signed receipts (the verifier checked their signatures).
  const receipts = entries(await exportOf(t, aliceAgain), 'receipt')
  await exportOf(t, brunoAgain)
  assert.deepEqual(receipts.map(r => r.receipt).sort(), ['delivered', 'read'])
  assert.ok(receipts.every(r => typeof r.signed === 'string' && typeof r.signature === 'string' && (r.messages as string[]).includes(sent.id)))
})
