// A node killed with SIGKILL while messages flow loses nothing it acknowledged: after a restart its
// journal verifies and holds every message the sender saw delivered, each exactly once.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { MessageView } from '../../core/api/schema.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { addressOf, eventually, tempHome, testNode, waitForPeer } from '../helpers/nodes.js'
import { spawnNode } from '../helpers/node-process.js'

test('SIGKILL while messages flow: every acknowledged message survives, once, in a journal that verifies', async (t) => {
  const receiverHome = await tempHome(t)
  const receiver = await spawnNode(t, receiverHome)
  const sender = await testNode(t, { name: 'sender', peers: [receiver.address] })
  await waitForPeer(sender, receiver.peerId)

  const delivered = new Set<string>()
  sender.events.subscribe(undefined, ({ event }) => {
    if (event.type === 'message-state' && event.state === 'delivered') delivered.add(event.id)
  })
  // Keep sending until well after the kill.
  let sending = true
  const sent: string[] = []
  const flow = (async () => {
    while (sending) {
      sent.push((await sender.send(receiver.peerId, `message ${sent.length}`)).id)
      if (sent.length % 20 === 0) await new Promise(resolve => setImmediate(resolve))
    }
  })()
  await eventually(() => delivered.size >= 300 ? true : undefined, 30_000, '300 deliveries')
  await receiver.kill('SIGKILL')
  const acknowledged = new Set(delivered)
  sending = false
  await flow

  // Restarted on another port (tests use random ones), so it dials the sender itself.
  const restarted = await testNode(t, { home: receiverHome, peers: [addressOf(sender)] })
  assert.equal(restarted.peerId, receiver.peerId)
  // Every message, a duplicate too: the node's own interface takes any limit (HTTP pages hold at most
  // 1,000), and a busy machine sends more than 1,000 before the kill is over.
  const everyMessage = async (conversation: string): Promise<MessageView[]> => await restarted.messages({ conversation, limit: 2 * sent.length })
  const stored = await everyMessage((await restarted.conversations())[0]!.id)
  const storedIds = stored.map(m => m.id)
  assert.equal(new Set(storedIds).size, storedIds.length, 'no message is stored twice')
  for (const id of acknowledged) assert.ok(storedIds.includes(id), `acknowledged message ${id} survived the kill`)

  // What was queued at the kill is delivered after the restart, exactly once.
  await eventually(async () => (await sender.status()).queued === 0 ? true : undefined, 30_000, 'the outbox to drain')
  const final = await everyMessage(stored[0]!.conversation)
  assert.equal(final.length, sent.length)
  assert.equal(new Set(final.map(m => m.id)).size, sent.length)

  // The journal verifies and records every stored message once.
  const lines: string[] = []
  for await (const line of restarted.exportJournal({})) lines.push(line)
  const report = await verifyExport(lines, nodeLogPrimitives)
  assert.equal(report.kinds['message-received'], sent.length)
  t.diagnostic(`${sent.length} sent, ${acknowledged.size} acknowledged before SIGKILL, ${stored.length} stored then, journal of ${report.size} entries verifies`)
})
