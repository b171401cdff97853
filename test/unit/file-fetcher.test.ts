// The fetcher (core/files/fetcher.ts) with holders served by the real file protocol over in-memory
// streams: a tampered chunk is refused, the holder dropped and reported, the chunk fetched from the
// next; a stalled holder is left for the next; a holder that disconnects half-way is resumed from the
// last verified chunk, in the same fetch or the next. The network itself: test/integration/file-transfer.test.ts.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CausetteError } from '../../core/errors.js'
import { AttachmentStore } from '../../core/files/attachment-store.js'
import { fetchFile, type HolderFault } from '../../core/files/fetcher.js'
import type { HolderLink } from '../../core/protocol/file-ports.js'
import { misbehaving, pairedLink, stallAt, tamper, withList } from '../helpers/file-links.js'
import { MemoryHolder, MemorySink, randomFile, type MemoryFile } from '../helpers/memory-chunks.js'

const CHUNK = 64 * 1024
const file = randomFile(40 * CHUNK + 1234, CHUNK)

function target (of: MemoryFile = file) { return { fileId: of.fileId, chunksSha256: of.chunksSha256 } }

async function fetchInto (sink: MemorySink, holders: HolderLink[], faults: HolderFault[] = []): Promise<void> {
  await fetchFile(target(), { sink, holders: () => holders, onHolderFault: fault => { faults.push(fault) } })
}

/** Counts the SHA-256 hashes begun in this process (node:crypto's createHash, crypto/sha256.ts's), until the test ends. */
function countHashes (t: TestContext): { count: number } {
  const counted = { count: 0 }
  const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
  const { createHash, hash } = crypto
  t.mock.method(crypto, 'createHash', (algorithm: string, options?: object) => {
    if (algorithm === 'sha256') counted.count++
    return createHash(algorithm, options)
  })
  // crypto/sha256.ts hashes a chunk (long) with the one-shot hash.
  t.mock.method(crypto, 'hash', (algorithm: string, data: Uint8Array, encoding: 'buffer') => {
    if (algorithm === 'sha256') counted.count++
    return hash(algorithm, data, encoding)
  })
  syncBuiltinESMExports()
  t.after(() => { t.mock.restoreAll(); syncBuiltinESMExports() })
  return counted
}

function assertWhole (sink: MemorySink): void {
  assert.ok(sink.completed, 'the sink was completed')
  assert.ok(sink.bytes().equals(Buffer.concat(file.chunks)), 'the bytes are the file\'s')
}

describe('file fetcher', () => {
  it('fetches a file whole from one honest holder, a window at a time', async () => {
    const sink = new MemorySink()
    const link = pairedLink('honest', new MemoryHolder().add(file), { request: { windowChunks: 4 } })
    await fetchInto(sink, [link])
    assertWhole(sink)
    assert.equal(link.streams.length, 2, 'one stream for the list and the first window, one for every other chunk: the last window was granted too')
  })

  it('fetches a file within a window on one stream: its list, then its chunks', async () => {
    const small = randomFile(3 * CHUNK + 10, CHUNK)
    const sink = new MemorySink()
    const link = pairedLink('honest', new MemoryHolder().add(small))
    await fetchFile(target(small), { sink, holders: () => [link] })
    assert.ok(sink.completed && sink.bytes().equals(Buffer.concat(small.chunks)))
    assert.equal(link.streams.length, 1, 'an image costs the stream pacer one stream, not two')
  })

  it('fetches a file whole from an older holder, which answers a list and its first chunks with the list alone', async () => {
    const holder = new MemoryHolder().add(file)
    const sink = new MemorySink()
    const link = pairedLink('older', holder, { older: true })
    await fetchInto(sink, [link])
    assertWhole(sink)
    assert.equal(link.streams.length, 2, 'the list, then the chunks on a stream of their own')
    assert.equal(holder.reads, file.chunks.length, 'every chunk read once')
  })

  it('refuses a tampered chunk, drops and reports its holder, and fetches the chunk from the next', async () => {
    const honest = new MemoryHolder().add(file)
    const liar = pairedLink('liar', misbehaving(new MemoryHolder().add(file), tamper(17)))
    const faults: HolderFault[] = []
    const sink = new MemorySink()
    await fetchInto(sink, [liar, pairedLink('honest', honest)], faults)
    assertWhole(sink)
    assert.deepEqual(faults.map(fault => [fault.peer, fault.code]), [['liar', 'TRANSFER_BAD_CHUNK']])
    assert.equal(honest.reads, file.chunks.length - 17, 'the honest holder served from the tampered chunk on')
  })

  it('into the attachment store, the chunk is hashed once, by the store: its refusal of a tampered chunk is the holder\'s fault', async (t) => {
    const home = await mkdtemp(join(tmpdir(), 'causette-fetcher-'))
    t.after(async () => { await rm(home, { recursive: true, force: true }) })
    const store = await AttachmentStore.open(home)
    await store.begin(file.fileId, 'mine')
    const hashed = countHashes(t)
    const faults: HolderFault[] = []
    const honest = new MemoryHolder().add(file)
    await fetchFile(target(), {
      sink: store.sink(file.fileId, 'mine'),
      holders: () => [pairedLink('liar', misbehaving(new MemoryHolder().add(file), tamper(17))), pairedLink('honest', honest)],
      onHolderFault: fault => { faults.push(fault) }
    })
    assert.deepEqual(faults.map(fault => [fault.peer, fault.code]), [['liar', 'TRANSFER_BAD_CHUNK']])
    assert.deepEqual(store.state(file.fileId), { owner: 'mine', complete: true })
    const kept: Uint8Array[] = []
    for (let index = 0; index < file.chunks.length; index++) kept.push((await store.readChunk(file.fileId, index))!)
    assert.ok(Buffer.concat(kept).equals(Buffer.concat(file.chunks)), 'only the list\'s chunks were kept')
    const received = file.chunks.length + (file.chunks.length - 17) // at most: the liar's, then the honest holder's from chunk 17
    assert.ok(hashed.count <= received + 2, `each chunk received hashed once (${hashed.count} hashes for at most ${received} chunks received, and the list twice)`)
    assert.ok(hashed.count >= file.chunks.length, 'every chunk kept was hashed')
  })

  it('refuses a chunk list that is not the descriptor\'s and takes the next holder\'s', async () => {
    const other = randomFile(3 * CHUNK, CHUNK)
    const faults: HolderFault[] = []
    const sink = new MemorySink()
    await fetchInto(sink, [pairedLink('liar', withList(new MemoryHolder().add(file), other.list)), pairedLink('honest', new MemoryHolder().add(file))], faults)
    assertWhole(sink)
    assert.deepEqual(faults.map(fault => [fault.peer, fault.code]), [['liar', 'TRANSFER_BAD_CHUNK_LIST']])
  })

  it('cuts off a holder sending a chunk longer than its list announced', async () => {
    const faults: HolderFault[] = []
    const sink = new MemorySink()
    const longer = misbehaving(new MemoryHolder().add(file), async (index, data) => index === 3 && data !== undefined ? new Uint8Array(data.byteLength + 1) : data)
    await fetchInto(sink, [pairedLink('long', longer), pairedLink('honest', new MemoryHolder().add(file))], faults)
    assertWhole(sink)
    assert.deepEqual(faults.map(fault => [fault.peer, fault.code]), [['long', 'TRANSFER_CHUNK_TOO_LARGE']])
  })

  it('leaves a stalled holder for the next one, without blaming it', async () => {
    const stall = stallAt(5)
    const faults: HolderFault[] = []
    const sink = new MemorySink()
    try {
      await fetchInto(sink, [
        pairedLink('stalled', misbehaving(new MemoryHolder().add(file), stall.misbehave), { request: { idleMs: 1_000 } }),
        pairedLink('honest', new MemoryHolder().add(file))
      ], faults)
    } finally {
      stall.release()
    }
    assertWhole(sink)
    assert.deepEqual(faults, [], 'a stall is not a lie')
  })

  it('resumes from the last verified chunk after its only holder disconnects half-way', async () => {
    const holder = new MemoryHolder().add(file)
    let link: ReturnType<typeof pairedLink> | undefined
    const cut = misbehaving(holder, async (index, data) => {
      if (index === 20) for (const stream of link?.streams ?? []) stream.abort(new Error('the holder went away'))
      return data
    })
    link = pairedLink('flaky', cut, { request: { windowChunks: 2 } })
    const sink = new MemorySink()
    await assert.rejects(fetchInto(sink, [link]), (error: unknown) => error instanceof CausetteError && error.code === 'TRANSFER_NO_HOLDER')
    const kept = sink.chunks.length
    assert.ok(kept > 0 && kept <= 20, `the chunks before the cut were kept (${kept})`)
    holder.reads = 0
    await fetchInto(sink, [pairedLink('back', holder)])
    assertWhole(sink)
    assert.equal(holder.reads, file.chunks.length - kept, 'the fetch resumed where it stopped, nothing read twice')
  })

  it('takes the rest from a colleague holding only part of the file, then from the author', async () => {
    const partial = new MemoryHolder().add(file, 12)
    const author = new MemoryHolder().add(file)
    const sink = new MemorySink()
    const faults: HolderFault[] = []
    await fetchInto(sink, [pairedLink('colleague', partial), pairedLink('author', author)], faults)
    assertWhole(sink)
    assert.equal(author.reads, file.chunks.length - 12)
    assert.deepEqual(faults, [], 'holding part of a file is not a lie')
  })

  it('ends with the sink\'s own fault when it cannot keep the chunk list (a full store), blaming no holder', async () => {
    const sink = new MemorySink()
    sink.saveChunkList = async () => { throw new CausetteError('FILE_STORE_FULL', 'the file store is full') }
    const faults: HolderFault[] = []
    const holders = [pairedLink('author', new MemoryHolder().add(file)), pairedLink('colleague', new MemoryHolder().add(file))]
    await assert.rejects(fetchInto(sink, holders, faults), (error: unknown) => error instanceof CausetteError && error.code === 'FILE_STORE_FULL')
    assert.deepEqual(faults, [])
    assert.equal(sink.completed, false)
  })

  it('fails with TRANSFER_NO_HOLDER when nobody holds the file', async () => {
    const sink = new MemorySink()
    await assert.rejects(fetchInto(sink, [pairedLink('empty', new MemoryHolder())]), (error: unknown) => error instanceof CausetteError && error.code === 'TRANSFER_NO_HOLDER')
    assert.equal(sink.completed, false)
  })
})
