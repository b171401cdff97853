// The LAN test for files (issue 16), end to end as people would do it: three real
// `causette start` daemons, each in its own network namespace on one bridge, finding each other by
// mDNS, driven through the `causette` CLI. Alice sends Bruno a 50 MiB file while he is away; Carla
// carries the message and the file; Alice leaves; Bruno comes back and fetches it from Carla, is
// killed with SIGKILL half-way, starts again and resumes from the chunks he had (none fetched twice),
// and the SHA-256 matches. Then an image in a channel of the three, fetched by each member. Then a
// carried copy tampered with on Carla's disk: Bruno refuses the chunk, journals the fault, and
// fetches the file from Alice once she is back.
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { crc32, deflateSync } from 'node:zlib'
import type { ChannelView, FilesUsage, InviteView, MessageView, PeerView, WorkspaceView } from '../../core/api/schema.js'
import type { AttachmentSummary } from '../../core/cli/attachment-format.js'
import { LAN_POLL, sees, startLanDaemon, type LanDaemon } from '../helpers/lan-daemon.js'
import { lanAvailable } from '../helpers/lan-requirement.js'
import { eventually } from '../helpers/lan-wait.js'
import { createLan, type LanHost } from '../helpers/netns.js'
import { tempHome } from '../helpers/nodes.js'
import { damageStoredChunk, heldChunkIndexes, heldRecords, storedContentId } from '../helpers/stored-chunks.js'

const MIB = 1024 * 1024
const CHUNK_BYTES = 256 * 1024
/** What a carrier stores of a file: each chunk's 16-byte tag and its 36-byte entry in the chunk list, besides the bytes. */
const storedBytes = (bytes: number): number => bytes + Math.max(1, Math.ceil(bytes / CHUNK_BYTES)) * (16 + 36)
/** A 50 MiB transfer on a loaded two-core machine, fsync per chunk: minutes, not seconds. */
const TRANSFER_POLL = { timeoutMs: 300_000, pollMs: 500 }

type Listed = Omit<MessageView, 'attachments'> & { attachments?: AttachmentSummary[] }

async function sha256Of (path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** `bytes` of random content in a file of `name`; its path and SHA-256. */
async function randomFile (t: TestContext, name: string, bytes: number): Promise<{ path: string, sha256: string }> {
  const path = join(await tempHome(t, 'causette-lan-file-'), name)
  const file = await open(path, 'w')
  for (let written = 0; written < bytes; written += MIB) await file.write(randomBytes(Math.min(MIB, bytes - written)))
  await file.close()
  return { path, sha256: await sha256Of(path) }
}

/** A real PNG of `side` × `side` pixels of noise (RGB, 8 bits), so that the image is an image. */
function png (side: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(side, 0)
  header.writeUInt32BE(side, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8 bits, RGB, deflate, no filter method, no interlace
  const rows = Buffer.concat(Array.from({ length: side }, () => Buffer.concat([Buffer.of(0), randomBytes(side * 3)])))
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))])
}

async function usage (daemon: LanDaemon): Promise<FilesUsage> {
  return await daemon.cli<FilesUsage>('files')
}

async function attachmentAt (daemon: LanDaemon, from: LanDaemon, id: string): Promise<AttachmentSummary | undefined> {
  const messages = await daemon.cli<Listed[]>('messages', '--with', from.peerId)
  return messages.flatMap(message => message.attachments ?? []).find(attachment => attachment.id === id)
}

async function attachmentState (daemon: LanDaemon, from: LanDaemon, id: string, state: string, poll = TRANSFER_POLL): Promise<AttachmentSummary> {
  return await eventually(`${daemon.name} to see ${id.slice(0, 8)} ${state}`, async () => {
    const attachment = await attachmentAt(daemon, from, id)
    return attachment?.state === state ? attachment : undefined
  }, poll)
}

/** `causette file save` and the SHA-256 of what it wrote. */
async function savedSha256 (t: TestContext, daemon: LanDaemon, id: string): Promise<string> {
  const out = join(await tempHome(t, 'causette-lan-saved-'), 'saved')
  await daemon.cli('file', 'save', id, '--out', out)
  return await sha256Of(out)
}

async function disconnected (daemon: LanDaemon, from: LanDaemon): Promise<void> {
  await eventually(`${daemon.name} to see ${from.name} gone`, async () =>
    !(await daemon.cli<PeerView[]>('peers')).some(peer => peer.peerId === from.peerId && peer.connected), LAN_POLL)
}

/** The journal's entries of one kind, from a `causette log export`. */
async function journalEntries (t: TestContext, daemon: LanDaemon, kind: string): Promise<Array<Record<string, unknown>>> {
  const out = join(await tempHome(t, 'causette-lan-export-'), 'export.txt')
  await daemon.cli('log', 'export', '--out', out)
  return (await readFile(out, 'utf8')).split('\n').filter(line => line.startsWith('entry '))
    .map(line => JSON.parse(Buffer.from(line.split(' ')[3]!, 'base64').toString('utf8')) as Record<string, unknown>)
    .filter(entry => entry.kind === kind)
}

test('files on a LAN: carried for an absent member, resumed after a SIGKILL, an image in a channel, a tampered carried copy refused', async (t) => {
  if (!await lanAvailable(t)) return
  const lan = await createLan(t, { hosts: 3 })
  const [aliceHost, brunoHost, carlaHost] = lan.hosts as [LanHost, LanHost, LanHost]
  let alice = await startLanDaemon(t, aliceHost, 'alice')
  await alice.cli<WorkspaceView>('workspace', 'create', 'Acme')
  const [forBruno, forCarla] = [await alice.cli<InviteView>('invite'), await alice.cli<InviteView>('invite')]
  let [bruno, carla] = await Promise.all([
    startLanDaemon(t, brunoHost, 'bruno', ['--join', forBruno.code]),
    startLanDaemon(t, carlaHost, 'carla', ['--join', forCarla.code])
  ]) as [LanDaemon, LanDaemon]
  const everyone = (): LanDaemon[] => [alice, bruno, carla]
  await Promise.all(everyone().map(async daemon => { await sees(daemon, everyone().filter(other => other !== daemon)) }))
  const restart = async (daemon: LanDaemon): Promise<LanDaemon> => await startLanDaemon(t, daemon.host, daemon.name, [], { home: daemon.home })

  await t.test('50 MiB to Bruno while he is away: Carla carries it; Bruno, back, is killed half-way and resumes; the SHA-256 matches', async () => {
    const archive = await randomFile(t, 'archive.tar', 50 * MIB)
    await bruno.stop('SIGTERM')
    await disconnected(alice, bruno)
    const sent = await alice.cli<Listed>('send', bruno.peerId, '--file', archive.path, '--text', 'the archive')
    const id = sent.attachments![0]!.id
    // The stores keep it by its content id; a desk shows it by the id bound to its author, Alice.
    const content = await storedContentId(alice.home, alice.peerId, id)
    assert.equal(sent.attachments![0]!.sha256, archive.sha256)
    await eventually('Alice\'s message to be given to Carla', async () =>
      (await alice.cli<Listed[]>('messages', '--with', bruno.peerId)).find(message => message.id === sent.id)?.state === 'sent', LAN_POLL)
    await eventually('Carla to hold the whole file for Bruno', async () => (await usage(carla)).carriedBytes === storedBytes(50 * MIB), TRANSFER_POLL)
    assert.equal((await usage(carla)).mineFiles, 0, 'Carla holds it for Bruno, not as hers')
    await alice.stop('SIGTERM')

    bruno = await restart(bruno)
    // Half-way by the chunks on Bruno's disk (read directly: a CLI call takes seconds), then SIGKILL.
    const chunks = Math.ceil(50 * MIB / CHUNK_BYTES)
    await eventually('Bruno to hold half of the chunks', async () => (await heldChunkIndexes(bruno.home, content)).length >= chunks / 2, { timeoutMs: TRANSFER_POLL.timeoutMs, pollMs: 20 })
    await bruno.stop('SIGKILL')
    const kept = await heldChunkIndexes(bruno.home, content)
    t.diagnostic(`Bruno was killed holding ${kept.length} of ${chunks} chunks`)
    assert.ok(kept.length < chunks, 'killed before the end (else nothing would resume)')

    bruno = await restart(bruno)
    const held = await attachmentState(bruno, alice, id, 'held')
    assert.equal(held.sha256, archive.sha256)
    assert.equal(await savedSha256(t, bruno, id), archive.sha256, 'the saved file is the one Alice sent')
    // A chunk is written (and its held record appended) only when it is not held: each chunk once in
    // the log means none held before the kill was fetched again (the store rewrites the log at open).
    const written = await heldRecords(bruno.home, content)
    assert.deepEqual([...written].sort((a, b) => a - b), Array.from({ length: chunks }, (_, index) => index), 'every chunk written once')
    assert.ok(kept.every(index => written.includes(index)))
  })

  await t.test('an image in a channel of three: encrypted once, fetched by each member, the same bytes', async () => {
    alice = await restart(alice)
    await Promise.all(everyone().map(async daemon => { await sees(daemon, everyone().filter(other => other !== daemon)) }))
    const channel = await alice.cli<ChannelView>('channel', 'create', 'design')
    await alice.cli('channel', 'invite', channel.id, bruno.peerId, carla.peerId)
    for (const member of [bruno, carla]) {
      await eventually(`${member.name} to be in the channel`, async () =>
        (await member.cli<ChannelView[]>('channel', 'list')).some(c => c.id === channel.id && c.members.length === 3), LAN_POLL)
    }
    const path = join(await tempHome(t, 'causette-lan-image-'), 'plan.png')
    await writeFile(path, png(512))
    const sha256 = await sha256Of(path)
    const sent = await alice.cli<Listed>('channel', 'send', channel.id, '--file', path, '--text', 'the plan')
    const image = sent.attachments![0]!
    assert.deepEqual([image.type, image.name, image.sha256], ['image/png', 'plan.png', sha256])
    for (const member of [bruno, carla]) {
      await eventually(`${member.name} to hold the image`, async () => {
        const messages = await member.cli<Listed[]>('channel', 'messages', channel.id)
        return messages.find(message => message.id === sent.id)?.attachments?.[0]?.state === 'held'
      }, TRANSFER_POLL)
      assert.equal(await savedSha256(t, member, image.id), sha256, `${member.name} saved the same image`)
    }
  })

  await t.test('a chunk tampered with on the carrier\'s disk is refused, journaled, and fetched from the author', async () => {
    const report = await randomFile(t, 'report.pdf', 3 * MIB)
    const carriedBefore = (await usage(carla)).carriedBytes
    await bruno.stop('SIGTERM')
    await disconnected(alice, bruno)
    const sent = await alice.cli<Listed>('send', bruno.peerId, '--file', report.path)
    const id = sent.attachments![0]!.id
    const content = await storedContentId(alice.home, alice.peerId, id)
    await eventually('Carla to hold the report for Bruno', async () => (await usage(carla)).carriedBytes >= carriedBefore + storedBytes(3 * MIB) && (await heldChunkIndexes(carla.home, content)).length === 12, TRANSFER_POLL)
    await alice.stop('SIGTERM')

    // One bit of chunk 2 flipped on Carla's disk: same length, so her store still serves it.
    await damageStoredChunk(carla.home, content, 2, 100)

    bruno = await restart(bruno)
    await eventually('Bruno to receive the carried message', async () =>
      (await bruno.cli<Listed[]>('messages', '--with', alice.peerId)).find(message => message.id === sent.id), LAN_POLL)
    await attachmentState(bruno, alice, id, 'waiting')
    // Chunks 0 and 1 are kept, 2 is not; the sink's writes of chunks after it, already under way and each
    // checked against the list, may be kept too (the fetch resumes at 2 and skips what is held).
    const kept = await heldChunkIndexes(bruno.home, content)
    assert.ok(kept.includes(0) && kept.includes(1) && !kept.includes(2), `the chunks before the tampered one are kept, it is not (kept: ${kept.join(', ')})`)
    const faults = await journalEntries(t, bruno, 'file-fault')
    assert.deepEqual(faults.map(fault => [fault.peer, fault.file, fault.code]), [[carla.peerId, content, 'TRANSFER_BAD_CHUNK']], 'the journal names the content Carla served')

    alice = await restart(alice)
    const held = await attachmentState(bruno, alice, id, 'held')
    assert.equal(held.sha256, report.sha256)
    assert.equal(await savedSha256(t, bruno, id), report.sha256, 'the rest came from Alice: the file is whole')
  })
})
