// Files and images between real nodes over TCP on loopback (docs/files.md): staged, sent with a
// message, fetched by each recipient from whoever holds the file, checked whole (SHA-256 against the
// signed descriptor), and every fault leaving a clear state: waiting for a holder, paused for room,
// cancelled and retried, resumed after a restart, a lying holder journaled and skipped.
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { test } from 'node:test'
import type { AttachmentView, EventFrame } from '../../core/api/schema.js'
import type { CausetteNode } from '../../core/node/node.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { eventually } from '../helpers/nodes.js'

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** `bytes` as an upload arrives: in pieces of uneven size. */
async function * pieces (bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += 100_003) yield bytes.subarray(at, Math.min(bytes.length, at + 100_003))
}

async function stage (node: CausetteNode, name: string, type: string, bytes: Uint8Array) {
  return await node.stageFile({ name, type, content: pieces(bytes) })
}

/** The attachment's plaintext as the node serves it, checked whole. */
async function contentOf (node: CausetteNode, id: string): Promise<Buffer> {
  const { content } = await node.attachmentContent(id)
  const parts: Uint8Array[] = []
  for await (const part of content) parts.push(part)
  return Buffer.concat(parts)
}

async function heldAt (node: CausetteNode, id: string, ms = 60_000): Promise<AttachmentView> {
  return await eventually(async () => {
    const attachment = await node.attachment(id).catch(() => undefined)
    return attachment?.state === 'held' ? attachment : undefined
  }, ms, `attachment ${id.slice(0, 8)} held`)
}

test('1:1, both online: a file and an image with its preview, sent and fetched whole; previews first; progress events', async (t) => {
  const { nodes: [alice, bruno] } = await workspaceOf(t, ['Alice', 'Bruno']) as { nodes: CausetteNode[] }
  const file = randomBytes(3 * 1024 * 1024 + 12_345)
  const photo = randomBytes(700_000)
  const thumbnail = randomBytes(20_000)
  const staged = await stage(alice!, '../../Devis\u202Egpj.pdf', 'application/pdf', file)
  assert.equal(staged.name, '_.._Devisgpj.pdf', 'a name with separators or controls is made safe')
  assert.equal(staged.sha256, sha256(file))
  const image = await stage(alice!, 'photo.jpg', 'image/jpeg', photo)
  const preview = await stage(alice!, 'photo.webp', 'image/webp', thumbnail)
  const events: EventFrame[] = []
  bruno!.events.subscribe(0, frame => { if (frame.event.type === 'attachment') events.push(frame) })

  const sent = await alice!.send('Bruno', '', { attachments: [{ file: staged.id }, { file: image.id, preview: preview.id, width: 4000, height: 3000 }] })
  assert.equal(sent.text, '')
  assert.deepEqual(sent.attachments?.map(a => [a.id, a.state, a.name, a.sha256]), [[staged.id, 'held', staged.name, sha256(file)], [image.id, 'held', 'photo.jpg', sha256(photo)]])
  assert.deepEqual(sent.attachments?.[1]?.preview, { id: preview.id, type: 'image/webp', state: 'held' })
  await assert.rejects(alice!.dropStagedFile(staged.id), { code: 'NOT_FOUND' }, 'a file sent is staged no more')

  const received = await eventually(async () => (await bruno!.messages({ with: 'Alice', limit: 10 })).find(m => m.id === sent.id), 20_000, 'the message at Bruno')
  assert.deepEqual(received.attachments?.map(a => [a.id, a.name, a.size, a.type, a.sha256, a.width, a.height]), [[staged.id, staged.name, file.length, 'application/pdf', sha256(file), undefined, undefined], [image.id, 'photo.jpg', photo.length, 'image/jpeg', sha256(photo), 4000, 3000]])
  await heldAt(bruno!, staged.id)
  await heldAt(bruno!, image.id)
  assert.ok((await contentOf(bruno!, staged.id)).equals(file))
  assert.ok((await contentOf(bruno!, image.id)).equals(photo))
  assert.ok((await contentOf(bruno!, preview.id)).equals(thumbnail))
  const shown = (await bruno!.messages({ with: 'Alice', limit: 10 })).find(m => m.id === sent.id)!
  assert.deepEqual(shown.attachments?.map(a => [a.state, a.received]), [['held', file.length], ['held', photo.length]])
  assert.equal(shown.attachments?.[1]?.preview?.state, 'held')

  const states = events.map(frame => frame.event.type === 'attachment' ? frame.event.attachment : undefined).filter(a => a !== undefined)
  const firstFetching = (id: string): number => states.findIndex(a => a.id === id && a.state === 'fetching')
  assert.ok(firstFetching(preview.id) >= 0 && firstFetching(preview.id) < firstFetching(staged.id), 'the preview is fetched before the files')
  assert.ok(states.some(a => a.id === staged.id && a.state === 'held' && a.received === file.length))
  // Both sides count the files as the user's own.
  for (const node of [alice!, bruno!]) assert.equal((await node.filesUsage()).mineFiles, 3)
})

test('a channel of three: one file encrypted once, fetched by each member; a message with attachments only needs no text', async (t) => {
  const { nodes: [alice, bruno, carla] } = await workspaceOf(t, ['Alice', 'Bruno', 'Carla']) as { nodes: CausetteNode[] }
  const channel = await alice!.createChannel('design')
  await alice!.inviteToChannel(channel.id, ['Bruno', 'Carla'])
  for (const node of [bruno!, carla!]) await eventually(async () => (await node.channels()).find(c => c.id === channel.id && c.members.length === 3), 20_000, 'the channel at every member')
  const bytes = randomBytes(600_000)
  const staged = await stage(alice!, 'plan.png', 'image/png', bytes)
  const sent = await alice!.sendToChannel(channel.id, 'the plan', { attachments: [{ file: staged.id }] })
  assert.equal(sent.attachments?.[0]?.state, 'held')
  for (const node of [bruno!, carla!]) {
    const message = await eventually(async () => (await node.channelMessages(channel.id)).find(m => m.id === sent.id), 20_000, 'the message at each member')
    assert.equal(message.attachments?.[0]?.id, staged.id, 'one ciphertext for every member')
    await heldAt(node, staged.id)
    assert.ok((await contentOf(node, staged.id)).equals(bytes))
  }
  await assert.rejects(alice!.sendToChannel(channel.id, 'again', { attachments: [{ file: staged.id }] }), { code: 'NOT_FOUND' }, 'a staged file is sent once')
})
