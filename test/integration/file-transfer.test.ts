// /causette/file/1.0.0 between real libp2p hosts over TCP on loopback (the node's host
// configuration, mDNS off): a multi-MiB file moves whole while notes on another protocol still
// arrive; a fetch resumes from the last verified chunk after its holder is stopped and restarted,
// and after the requester itself is; a carrier's tampered chunk is refused and fetched from the
// author; a requester asking for too much at once is refused and the holder serves on.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { CausetteError } from '../../core/errors.js'
import { fetchFile, type FetchComponents, type HolderFault } from '../../core/files/fetcher.js'
import type { HolderLink } from '../../core/protocol/file-ports.js'
import { FileFrame, FileRequest } from '../../core/protocol/file.js'
import { frameOptions } from '../../core/protocol/length-prefix.js'
import { MAX_FILE_FRAME_BYTES, MAX_FILE_WINDOW_CHUNKS } from '../../core/protocol/limits.js'
import { FILE_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { misbehaving, tamper } from '../helpers/file-links.js'
import { fileHost, linkTo, type FileHost } from '../helpers/file-hosts.js'
import { MemoryHolder, MemorySink, randomFile } from '../helpers/memory-chunks.js'
import { eventually } from '../helpers/nodes.js'

const CHUNK = 256 * 1024 + 16
const file = randomFile(12 * 1024 * 1024 + 777, CHUNK)
const NOTE_PROTOCOL = '/causette-test/note/1.0.0'
const NOTES = 20

function assertWhole (sink: MemorySink): void {
  assert.ok(sink.completed, 'the sink was completed')
  assert.ok(sink.bytes().equals(Buffer.concat(file.chunks)), 'the bytes are the file\'s')
}

async function fetch (sink: MemorySink, holders: HolderLink[], more: Partial<FetchComponents> = {}): Promise<void> {
  await fetchFile({ fileId: file.fileId, chunksSha256: file.chunksSha256 }, { sink, holders: () => holders, ...more })
}

/** Sends `count` notes from `from` to `to`, each on a stream of its own, each answered: resolves once all are. */
async function sendNotes (from: FileHost, to: FileHost, count: number): Promise<number> {
  let answered = 0
  await Promise.all(Array.from({ length: count }, async (_, index) => {
    const stream = await from.host.dialProtocol(to.peerId, NOTE_PROTOCOL)
    const lp = lpStream(stream)
    await lp.write(new TextEncoder().encode(`note ${index}`))
    await lp.read()
    answered++
    await stream.close()
  }))
  return answered
}

test('a file moves between real hosts, resumes after restarts, and survives a lying carrier', async (t) => {
  const authorHolder = new MemoryHolder().add(file)
  const author = await fileHost(t, { holder: authorHolder })
  const requester = await fileHost(t)
  const notesReceived: string[] = []
  await requester.host.handle(NOTE_PROTOCOL, async (stream) => {
    const lp = lpStream(stream)
    notesReceived.push(new TextDecoder().decode((await lp.read()).subarray()))
    await lp.write(new Uint8Array([1]))
    await stream.close()
  })

  await t.test('12 MiB from the author, while notes on another protocol still arrive', async () => {
    const sink = new MemorySink()
    let notes: Promise<number> | undefined
    await author.host.peerStore.merge(requester.peerId, { multiaddrs: [multiaddr(requester.address)] })
    await fetch(sink, [await linkTo(requester, author)], {
      onChunk: (index) => { if (index === 3) notes = sendNotes(author, requester, NOTES) }
    })
    assertWhole(sink)
    assert.ok(notes !== undefined, 'notes were sent during the transfer')
    assert.equal(await notes, NOTES, 'every note sent during the transfer was answered')
    assert.equal(notesReceived.length, NOTES)
  })

  await t.test('the holder stopped half-way and restarted: the fetch resumes from the last verified chunk', async () => {
    const sink = new MemorySink()
    let stopping: Promise<void> | void | undefined
    const first = await linkTo(requester, author)
    await assert.rejects(fetch(sink, [first], {
      onChunk: (index) => { if (index === 15) stopping = author.host.stop() }
    }), (error: unknown) => error instanceof CausetteError && error.code === 'TRANSFER_NO_HOLDER')
    await stopping
    const kept = sink.chunks.length
    assert.ok(kept >= 15 && kept < file.chunks.length, `the chunks before the stop were kept (${kept})`)
    const readsBefore = authorHolder.reads
    const restarted = await fileHost(t, { seed: author.seed, port: author.port, holder: authorHolder })
    await fetch(sink, [await linkTo(requester, restarted)])
    assertWhole(sink)
    assert.equal(authorHolder.reads - readsBefore, file.chunks.length - kept, 'only the rest was read again')
  })

  await t.test('the requester stopped half-way and restarted: it resumes into the same sink, from a carrier', async () => {
    const carrierHolder = new MemoryHolder().add(file)
    const carrier = await fileHost(t, { holder: carrierHolder })
    const sink = new MemorySink()
    const before = await fileHost(t)
    let stopping: Promise<void> | void | undefined
    await assert.rejects(fetch(sink, [await linkTo(before, carrier)], {
      onChunk: (index) => { if (index === 10) stopping = before.host.stop() }
    }))
    await stopping
    const kept = sink.chunks.length
    assert.ok(kept >= 10 && kept < file.chunks.length, `kept ${kept} chunks`)
    const after = await fileHost(t, { seed: before.seed, port: before.port })
    const link = await linkTo(after, carrier)
    const asked: number[] = []
    await fetch(sink, [{ ...link, chunks: (fileId, list, first) => { asked.push(first); return link.chunks(fileId, list, first) } }])
    assertWhole(sink)
    assert.deepEqual(asked, [kept], 'the restarted requester asked once, from the first chunk it did not have')
  })

  await t.test('three hosts: a carrier\'s tampered chunk is refused, the carrier reported, the chunk fetched from the author', async () => {
    const author2 = await fileHost(t, { holder: new MemoryHolder().add(file) })
    const liar = await fileHost(t, { holder: misbehaving(new MemoryHolder().add(file), tamper(30)) })
    const faults: HolderFault[] = []
    const sink = new MemorySink()
    await fetch(sink, [await linkTo(requester, liar), await linkTo(requester, author2)], { onHolderFault: fault => { faults.push(fault) } })
    assertWhole(sink)
    assert.deepEqual(faults.map(fault => [fault.peer, fault.code]), [[liar.peerId.toString(), 'TRANSFER_BAD_CHUNK']])
  })

  await t.test('a requester granting more than the window is refused with a code and struck; the holder serves on', async () => {
    const holder = await fileHost(t, { holder: new MemoryHolder().add(file) })
    const greedy = await fileHost(t)
    await linkTo(greedy, holder)
    const stream = await greedy.host.dialProtocol(holder.peerId, FILE_PROTOCOL)
    const lp = lpStream(stream, frameOptions(MAX_FILE_FRAME_BYTES))
    await lp.write(FileRequest.encode({ fileId: file.fileId, list: false, first: 0, grant: MAX_FILE_WINDOW_CHUNKS + 1 }))
    const answer = FileFrame.decode(await lp.read())
    assert.equal(answer.refusal?.code, 'TRANSFER_WINDOW_EXCEEDED')
    await eventually(() => holder.host.services.limits.counts.strikes > 0 ? true : undefined, 10_000, 'a strike against the greedy requester')
    const sink = new MemorySink()
    await fetch(sink, [await linkTo(requester, holder)])
    assertWhole(sink)
  })
})
