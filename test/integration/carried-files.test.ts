// A colleague carries a file for an absent member, between real nodes over TCP on loopback: Alice
// sends Bruno a file while he is away; Carla holds the message and fetches the file from Alice as a
// carried copy (she cannot open it); Alice leaves; Bruno comes back knowing only Carla and gets the
// message and the file from her, whole (SHA-256). A carrier whose file limit is too small carries the
// message without the file; Bruno then waits for a holder and fetches from Alice once she is back.
// A channel message's copy for an absent member names its files too: a colleague outside the channel
// carries the copy and the file.
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { test, type TestContext } from 'node:test'
import type { AttachmentView } from '../../core/api/schema.js'
import type { CausetteNode } from '../../core/node/node.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { addressOf, eventually, testNode } from '../helpers/nodes.js'

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')
/** What a store holds of a whole file: its ciphertext (16 bytes of tag a chunk of 256 KiB) and its chunk list (36 bytes a chunk). */
const storedBytes = (bytes: number): number => bytes + Math.max(1, Math.ceil(bytes / (256 * 1024))) * (16 + 36)

async function * pieces (bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += 100_003) yield bytes.subarray(at, Math.min(bytes.length, at + 100_003))
}

async function contentOf (node: CausetteNode, id: string): Promise<Buffer> {
  const { content } = await node.attachmentContent(id)
  const parts: Uint8Array[] = []
  for await (const part of content) parts.push(part)
  return Buffer.concat(parts)
}

async function attachmentAt (node: CausetteNode, id: string, state: AttachmentView['state'], ms = 60_000): Promise<AttachmentView> {
  return await eventually(async () => {
    const attachment = await node.attachment(id).catch(() => undefined)
    return attachment?.state === state ? attachment : undefined
  }, ms, `attachment ${id.slice(0, 8)} ${state}`)
}

/** Alice, Bruno and Carla; Bruno stopped. Alice sends him `bytes` as a file; resolves once Carla holds the message. */
async function sentWhileAway (t: TestContext, bytes: Uint8Array, carlaLimitBytes?: number) {
  const { nodes: [alice, bruno, carlaNode], homes } = await workspaceOf(t, ['Alice', 'Bruno', 'Carla'])
  if (carlaLimitBytes !== undefined) await carlaNode!.updateSettings({ fileLimitBytes: carlaLimitBytes })
  await eventually(async () => (await alice!.peers()).find(p => p.peerId === carlaNode!.peerId && p.connected), 20_000, 'alice to reach carla')
  const brunoId = bruno!.peerId
  await bruno!.stop()
  const staged = await alice!.stageFile({ name: 'plans.pdf', type: 'application/pdf', content: pieces(bytes) })
  const sent = await alice!.send(brunoId, 'the plans', { attachments: [{ file: staged.id }] })
  await eventually(async () => (await alice!.messages({ with: brunoId, limit: 10 })).find(m => m.id === sent.id && m.state === 'sent'), 30_000, 'the message given to carla')
  return { alice: alice!, carla: carlaNode!, brunoId, brunoHome: homes[1]!, aliceHome: homes[0]!, staged, sent }
}

test('a carrier holds the file for the absent recipient, who fetches it from her while its author is away', async (t) => {
  const bytes = randomBytes(3 * 1024 * 1024 + 4321)
  const { alice, carla, brunoId, brunoHome, staged, sent } = await sentWhileAway(t, bytes)
  const usage = await eventually(async () => { const u = await carla.filesUsage(); return u.carriedBytes === storedBytes(bytes.length) ? u : undefined }, 60_000, 'carla to hold the file whole')
  assert.deepEqual([usage.carriedFiles, usage.mineFiles], [1, 0])
  await assert.rejects(carla.attachment(staged.id), 'the carrier knows no descriptor: she cannot open, name or show the file')
  const aliceId = alice.peerId
  await alice.stop()

  const bruno = await testNode(t, { name: 'Bruno', home: brunoHome, peers: [addressOf(carla)] })
  const received = await eventually(async () => (await bruno.messages({ with: aliceId, limit: 10 })).find(m => m.id === sent.id), 30_000, 'the carried message')
  assert.equal(received.attachments?.[0]?.id, staged.id)
  const held = await attachmentAt(bruno, staged.id, 'held')
  assert.equal(held.sha256, sha256(bytes))
  assert.equal(sha256(await contentOf(bruno, staged.id)), sha256(bytes), 'fetched from the carrier alone, whole')
  assert.equal((await bruno.peers()).find(p => p.peerId === aliceId)?.connected, false)
  assert.equal(brunoId, bruno.peerId)
})

test('a carrier without room carries the message without the file; the recipient fetches it from its author once back', async (t) => {
  const bytes = randomBytes(2 * 1024 * 1024)
  const { alice, carla, brunoHome, aliceHome, staged, sent } = await sentWhileAway(t, bytes, 1024 * 1024)
  // Carla tried (the deposit named the file), found it too big for her limit and dropped what she had.
  await eventually(async () => (await carla.filesUsage()).carriedFiles === 0 || undefined, 60_000, 'no carried copy at carla')
  const aliceId = alice.peerId
  await alice.stop()

  const bruno = await testNode(t, { name: 'Bruno', home: brunoHome, peers: [addressOf(carla)] })
  await eventually(async () => (await bruno.messages({ with: aliceId, limit: 10 })).find(m => m.id === sent.id), 30_000, 'the carried message')
  await attachmentAt(bruno, staged.id, 'waiting')
  await testNode(t, { name: 'Alice', home: aliceHome, peers: [addressOf(bruno)] })
  await attachmentAt(bruno, staged.id, 'held')
  assert.equal(sha256(await contentOf(bruno, staged.id)), sha256(bytes))
})

test('a channel message for an absent member: a colleague outside the channel carries the copy and its file', async (t) => {
  const { nodes: [alice, bruno, carla], homes } = await workspaceOf(t, ['Alice', 'Bruno', 'Carla']) as { nodes: CausetteNode[], homes: string[] }
  const channel = await alice!.createChannel('board')
  await alice!.inviteToChannel(channel.id, ['Bruno'])
  await eventually(async () => (await bruno!.channels()).find(c => c.id === channel.id && c.members.length === 2), 20_000, 'the channel at Bruno')
  await eventually(async () => (await alice!.peers()).find(p => p.peerId === carla!.peerId && p.connected), 20_000, 'alice to reach carla')
  await bruno!.stop()
  const bytes = randomBytes(1024 * 1024 + 7)
  const staged = await alice!.stageFile({ name: 'minutes.odt', type: 'application/vnd.oasis.opendocument.text', content: pieces(bytes) })
  const sent = await alice!.sendToChannel(channel.id, 'the minutes', { attachments: [{ file: staged.id }] })
  await eventually(async () => (await carla!.filesUsage()).carriedBytes === storedBytes(bytes.length) || undefined, 60_000, 'carla (not a member of the channel) to carry the file')
  assert.equal((await carla!.channels()).some(c => c.id === channel.id), false)
  await alice!.stop()

  const brunoAgain = await testNode(t, { name: 'Bruno', home: homes[1]!, peers: [addressOf(carla!)] })
  const message = await eventually(async () => (await brunoAgain.channelMessages(channel.id)).find(m => m.id === sent.id), 30_000, 'the carried channel message')
  assert.equal(message.attachments?.[0]?.id, staged.id)
  await attachmentAt(brunoAgain, staged.id, 'held')
  assert.equal(sha256(await contentOf(brunoAgain, staged.id)), sha256(bytes), 'fetched from the carrier alone')
})
