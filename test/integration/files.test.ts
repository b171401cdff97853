// Files and images between real nodes over TCP on loopback (docs/files.md): staged, sent with a
// message, fetched by each recipient from whoever holds the file, checked whole (SHA-256 against the
// signed descriptor), and every fault leaving a clear state: waiting for a holder, paused for room,
// cancelled and retried, resumed after a restart, a lying holder journaled and skipped.
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { test } from 'node:test'
import type { AttachmentView, EventFrame } from '../../core/api/schema.js'
import type { CausetteNode } from '../../core/node/node.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { exportedMessages } from '../../ui/src/verifier/export-messages.js'
import { spawnNode } from '../helpers/node-process.js'
import { addressOf, eventually, testNode } from '../helpers/nodes.js'
import { damageStoredChunk, heldChunkIndexes, storedContentId } from '../helpers/stored-chunks.js'

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

test('1:1, both online: a file and an image with its preview, sent and fetched whole; the preview fetched first; attachment events', async (t) => {
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
  // A file's name finds its message, at both ends.
  for (const node of [alice!, bruno!]) assert.deepEqual((await node.search({ q: 'devisgpj', limit: 10 })).results.map(hit => hit.id), [sent.id])
  // Both sides count the files as the user's own: two, the image's preview a part of the image (its bytes counted, not it).
  for (const node of [alice!, bruno!]) {
    const usage = await node.filesUsage()
    assert.equal(usage.mineFiles, 2)
    assert.ok(usage.mineBytes >= file.length + photo.length + thumbnail.length, 'the preview\'s bytes count')
  }
  // The app's verifier page lists the files a journaled message carried, as an auditor checks a saved copy.
  const lines: string[] = []
  for await (const line of bruno!.exportJournal({})) lines.push(line)
  assert.deepEqual(exportedMessages(lines).find(m => m.id === sent.id)?.files, [
    { name: staged.name, size: file.length, type: 'application/pdf', sha256: sha256(file) },
    { name: 'photo.jpg', size: photo.length, type: 'image/jpeg', sha256: sha256(photo) }
  ])
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

  // Ten images with their previews fit in one channel message; a member fetches all twenty files
  // without being refused a stream by the author (the file streams to one peer are paced).
  const images = await Promise.all(Array.from({ length: 10 }, async (_, i) => ({
    file: (await stage(alice!, `shot-${i}.png`, 'image/png', randomBytes(70_000 + i))).id,
    preview: (await stage(alice!, `shot-${i}.webp`, 'image/webp', randomBytes(5_000 + i))).id,
    width: 1920,
    height: 1080
  })))
  const album = await alice!.sendToChannel(channel.id, '', { attachments: images })
  assert.equal(album.attachments?.length, 10)
  const shown = await eventually(async () => (await bruno!.channelMessages(channel.id)).find(m => m.id === album.id), 20_000, 'the album at Bruno')
  assert.deepEqual(shown.attachments?.map(a => [a.id, a.preview?.id, a.width]), images.map(i => [i.file, i.preview, 1920]))
  for (const image of images) await heldAt(bruno!, image.file)
  assert.equal(alice!.limits.counts.streamsRefused, 0, 'no file stream refused')
})

/** A channel of three with Bruno stopped: Alice sends `bytes` in it and Carla fetches them. */
async function sentWhileBrunoAway (t: Parameters<typeof workspaceOf>[0], bytes: Uint8Array) {
  const { nodes, homes } = await workspaceOf(t, ['Alice', 'Bruno', 'Carla'])
  const [alice, bruno, carla] = nodes as [CausetteNode, CausetteNode, CausetteNode]
  const channel = await alice.createChannel('contracts')
  await alice.inviteToChannel(channel.id, ['Bruno', 'Carla'])
  for (const node of [bruno, carla]) await eventually(async () => (await node.channels()).find(c => c.id === channel.id && c.members.length === 3), 20_000, 'the channel at every member')
  await bruno.stop()
  const staged = await stage(alice, 'contract.pdf', 'application/pdf', bytes)
  const sent = await alice.sendToChannel(channel.id, 'signed', { attachments: [{ file: staged.id }] })
  await heldAt(carla, staged.id)
  return { alice, carla, homes, channel, sent, id: staged.id }
}

async function restart (t: Parameters<typeof workspaceOf>[0], name: string, home: string, peers: CausetteNode[]): Promise<CausetteNode> {
  return await testNode(t, { name, home, peers: peers.map(addressOf) })
}

/** The node's journal entries of one kind, from its export. */
async function journalEntries (node: CausetteNode, kind: string): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = []
  for await (const line of node.exportJournal({})) lines.push(line)
  await verifyExport(lines, nodeLogPrimitives) // the auditor's verifier accepts the new kind
  const entries: Array<Record<string, unknown>> = []
  for (const line of lines) {
    if (!line.startsWith('entry ')) continue
    const entry = JSON.parse(Buffer.from(line.split(' ')[3]!, 'base64').toString('utf8')) as Record<string, unknown>
    if (entry.kind === kind) entries.push(entry)
  }
  return entries
}

test('a recipient away when the file was sent fetches it, back, from a colleague who holds it (the author gone)', async (t) => {
  const bytes = randomBytes(2 * 1024 * 1024 + 7)
  const { alice, carla, homes, channel, sent, id } = await sentWhileBrunoAway(t, bytes)
  await alice.stop()
  const bruno = await restart(t, 'Bruno', homes[1]!, [carla])
  const message = await eventually(async () => (await bruno.channelMessages(channel.id)).find(m => m.id === sent.id), 30_000, 'the message carried to Bruno')
  assert.equal(message.attachments?.[0]?.id, id)
  await heldAt(bruno, id)
  assert.ok((await contentOf(bruno, id)).equals(bytes))
})

test('a holder serving a tampered chunk is journaled and skipped; the file comes from the author', async (t) => {
  const bytes = randomBytes(1024 * 1024 + 99)
  const { alice, carla, homes, channel, sent, id } = await sentWhileBrunoAway(t, bytes)
  const content = await storedContentId(homes[0]!, alice.peerId, id) // what holders serve, and the journal names
  // Carla's copy goes bad on her disk: she serves a chunk that is not the one the list names.
  await damageStoredChunk(homes[2]!, content, 1)
  await alice.stop()
  const bruno = await restart(t, 'Bruno', homes[1]!, [carla])
  await eventually(async () => (await bruno.channelMessages(channel.id)).find(m => m.id === sent.id), 30_000, 'the message carried to Bruno')
  const faults = await eventually(async () => { const found = await journalEntries(bruno, 'file-fault'); return found.length > 0 ? found : undefined }, 30_000, 'the fault journaled')
  assert.deepEqual(faults.map(f => [f.peer, f.file, f.code]), [[carla.peerId, content, 'TRANSFER_BAD_CHUNK']])
  const waiting = await eventually(async () => { const a = await bruno.attachment(id); return a.state === 'waiting' ? a : undefined }, 30_000, 'waiting for another holder')
  assert.equal(waiting.error, 'TRANSFER_NO_HOLDER')
  await restart(t, 'Alice', homes[0]!, [carla, bruno])
  await heldAt(bruno, id)
  assert.ok((await contentOf(bruno, id)).equals(bytes))
})

test('a full store pauses the fetch (FILE_STORE_FULL) with what it has; a raised limit resumes it, also after a restart', async (t) => {
  const { nodes: [alice, bruno], homes } = await workspaceOf(t, ['Alice', 'Bruno']) as { nodes: CausetteNode[], homes: string[] }
  await bruno!.updateSettings({ fileLimitBytes: 2 * 1024 * 1024 })
  const bytes = randomBytes(5 * 1024 * 1024)
  const staged = await stage(alice!, 'archive.zip', 'application/zip', bytes)
  await alice!.send('Bruno', 'the archive', { attachments: [{ file: staged.id }] })
  const paused = await eventually(async () => { const a = await bruno!.attachment(staged.id).catch(() => undefined); return a?.state === 'paused' ? a : undefined }, 30_000, 'paused')
  assert.equal(paused.error, 'FILE_STORE_FULL')
  assert.ok(paused.received > 0 && paused.received < bytes.length, `${paused.received} bytes kept`)
  await assert.rejects(bruno!.attachmentContent(staged.id), { code: 'FILE_NOT_HELD' })

  await bruno!.stop()
  const again = await restart(t, 'Bruno', homes[1]!, [alice!])
  const resumed: AttachmentView[] = []
  again.events.subscribe(0, frame => { if (frame.event.type === 'attachment' && frame.event.attachment.id === staged.id) resumed.push(frame.event.attachment) })
  assert.equal((await again.attachment(staged.id)).received, paused.received, 'what was fetched is kept across the restart')
  await again.updateSettings({ fileLimitBytes: 64 * 1024 * 1024 })
  await heldAt(again, staged.id)
  const restarted = resumed.find(a => a.state === 'fetching')
  assert.ok(restarted !== undefined && restarted.received >= paused.received, 'resumed from the last checked chunk, not from the start')
  assert.equal(sha256(await contentOf(again, staged.id)), sha256(bytes))
})

test('cancel stops a fetch and keeps it stopped; retry fetches it from where it was', async (t) => {
  const { nodes: [alice, bruno] } = await workspaceOf(t, ['Alice', 'Bruno']) as { nodes: CausetteNode[] }
  await bruno!.updateSettings({ fileLimitBytes: 1024 * 1024 })
  const bytes = randomBytes(3 * 1024 * 1024)
  const staged = await stage(alice!, 'video.mp4', 'video/mp4', bytes)
  await alice!.send('Bruno', '', { attachments: [{ file: staged.id }] })
  await eventually(async () => { const a = await bruno!.attachment(staged.id).catch(() => undefined); return a?.state === 'paused' ? a : undefined }, 30_000, 'paused')
  const cancelled = await bruno!.cancelAttachment(staged.id)
  assert.equal(cancelled.state, 'cancelled')
  await bruno!.updateSettings({ fileLimitBytes: 64 * 1024 * 1024 }) // room again: a cancelled file stays cancelled
  assert.equal((await bruno!.attachment(staged.id)).state, 'cancelled')
  assert.ok((await bruno!.attachment(staged.id)).received > 0, 'what it had is kept')
  const retried = await bruno!.retryAttachment(staged.id)
  assert.notEqual(retried.state, 'cancelled')
  await heldAt(bruno!, staged.id)
  assert.ok((await contentOf(bruno!, staged.id)).equals(bytes))
  await assert.rejects(bruno!.attachment('0'.repeat(64)), { code: 'NOT_FOUND' })
})

test('a recipient killed (SIGKILL) half-way through a file resumes it at restart from its last checked chunk; the SHA-256 matches', async (t) => {
  const { nodes: [alice, bruno], homes } = await workspaceOf(t, ['Alice', 'Bruno']) as { nodes: CausetteNode[], homes: string[] }
  const brunoId = bruno!.peerId
  await bruno!.stop()
  const child = await spawnNode(t, homes[1]!, [addressOf(alice!)])
  await eventually(async () => (await alice!.peers()).find(p => p.peerId === brunoId && p.connected), 30_000, 'Bruno\'s process connected')
  const bytes = randomBytes(40 * 1024 * 1024)
  const staged = await stage(alice!, 'dataset.bin', 'application/octet-stream', bytes)
  await alice!.send(brunoId, 'the data set', { attachments: [{ file: staged.id }] })
  const chunkCount = Math.ceil(bytes.length / (256 * 1024))
  const content = await storedContentId(homes[0]!, alice!.peerId, staged.id)
  const chunksAt = async (): Promise<number> => (await heldChunkIndexes(homes[1]!, content)).length
  const before = await eventually(async () => { const held = await chunksAt(); return held > 0 ? held : undefined }, 60_000, 'the first chunks at Bruno')
  await child.kill('SIGKILL')
  const kept = await chunksAt()
  assert.ok(before > 0 && kept < chunkCount, `killed with ${kept} of ${chunkCount} chunks`)

  const again = await restart(t, 'Bruno', homes[1]!, [alice!])
  const seen: AttachmentView[] = []
  again.events.subscribe(0, frame => { if (frame.event.type === 'attachment' && frame.event.attachment.id === staged.id) seen.push(frame.event.attachment) })
  await heldAt(again, staged.id, 120_000)
  const resumed = seen.find(a => a.state === 'fetching')
  assert.ok(resumed !== undefined && resumed.received > 0, `resumed from the chunks kept, not from the start: ${JSON.stringify(resumed)}`)
  assert.equal(sha256(await contentOf(again, staged.id)), sha256(bytes))
})
