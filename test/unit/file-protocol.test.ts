// The bounds of /causette/file/1.0.0 on both sides, over in-memory streams: a holder that breaks the
// protocol (a list of the wrong length, a chunk longer than announced, out of order, a frame of the
// wrong kind, garbage, an oversized frame, silence) is cut off with a coded error; a requester that
// sends garbage or grants more than the window is refused with a coded frame and struck, and a holder
// never sends more chunks than granted.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Connection, Stream } from '@libp2p/interface'
import { lpStream, streamPair } from '@libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import { CausetteError } from '../../core/errors.js'
import { MAX_CIPHERTEXT_CHUNK_BYTES } from '../../crypto/file-cipher.js'
import { CHUNK_ENTRY_BYTES, encodeChunkList, type ChunkEntry, type ChunkHolder, type ChunkList, type ChunkSource, type HolderLink } from '../../core/protocol/file-ports.js'
import { FileFrame, FileGrant, FileRequest } from '../../core/protocol/file.js'
import { handleFileStream } from '../../core/protocol/file-protocol.js'
import { fileHolderLink } from '../../core/protocol/file-requester.js'
import { frameOptions } from '../../core/protocol/length-prefix.js'
import { MAX_FILE_CHUNK_BYTES, MAX_FILE_FRAME_BYTES, MAX_FILE_ID_CHARS, MAX_FILE_WINDOW_CHUNKS } from '../../core/protocol/limits.js'
import { varint } from '../helpers/fuzz-decoding.js'
import { misbehaving, stallAt } from '../helpers/file-links.js'
import { MemoryHolder, randomFile } from '../helpers/memory-chunks.js'
import { eventually } from '../helpers/nodes.js'

const file = randomFile(20 * 1000 + 5, 1000)
const entries = (list: ChunkList): Uint8Array<ArrayBuffer> => encodeChunkList(list)
const frame = (value: FileFrame): Uint8Array => FileFrame.encode(value)

/** A holder that reads the request, then writes `bytes` as they are (already framed), then stays silent or closes. */
function scripted (frames: Uint8Array[], then: 'close' | 'silent' = 'close') {
  return fileHolderLink('scripted', async () => {
    const [outbound, inbound] = await streamPair()
    void (async () => {
      const lp = lpStream(inbound, frameOptions(MAX_FILE_FRAME_BYTES))
      await lp.read()
      for (const bytes of frames) inbound.send(bytes)
      if (then === 'close') await inbound.close().catch(() => {})
    })()
    return outbound
  }, { idleMs: 500, windowChunks: 4 })
}

const lengthPrefixed = (bytes: Uint8Array): Uint8Array => Buffer.concat([varint(bytes.length), bytes])

async function refusedWith (code: string, run: () => Promise<unknown>): Promise<void> {
  await assert.rejects(run(), (error: unknown) => {
    assert.ok(error instanceof CausetteError, `a coded error, not ${String(error)}`)
    assert.equal(error.code, code, error.message)
    return true
  })
}

async function drain (chunks: AsyncIterable<unknown>): Promise<number> {
  let count = 0
  for await (const _ of chunks) count++
  return count
}

describe('file protocol: a holder breaking it is cut off', () => {
  const list = file.list
  const cases: Array<[string, string, Uint8Array[], 'list' | 'chunks']> = [
    ['a list of no chunks', 'TRANSFER_BAD_CHUNK_LIST', [frame({ head: { chunks: 0 } })], 'list'],
    ['more entries than its head announced', 'TRANSFER_BAD_CHUNK_LIST', [frame({ head: { chunks: 2 } }), frame({ page: { entries: entries(list.slice(0, 3)) } })], 'list'],
    ['a page that is not whole entries', 'TRANSFER_BAD_CHUNK_LIST', [frame({ head: { chunks: 2 } }), frame({ page: { entries: new Uint8Array(CHUNK_ENTRY_BYTES + 1) } })], 'list'],
    ['an entry over the chunk bound', 'TRANSFER_BAD_CHUNK_LIST', [frame({ head: { chunks: 1 } }), frame({ page: { entries: entries([{ bytes: MAX_FILE_CHUNK_BYTES + 1, sha256: new Uint8Array(32) }]) } })], 'list'],
    ['a page where the head was due', 'TRANSFER_UNASKED', [frame({ page: { entries: entries(list.slice(0, 1)) } })], 'list'],
    ['a chunk longer than announced', 'TRANSFER_CHUNK_TOO_LARGE', [frame({ chunk: { index: 0, data: new Uint8Array(list[0]!.bytes + 1) } })], 'chunks'],
    ['a chunk out of order', 'TRANSFER_UNASKED', [frame({ chunk: { index: 1, data: new Uint8Array(10) } })], 'chunks'],
    ['a chunk sent twice', 'TRANSFER_UNASKED', [frame({ chunk: { index: 0, data: file.chunks[0]! as Uint8Array<ArrayBuffer> } }), frame({ chunk: { index: 0, data: file.chunks[0]! as Uint8Array<ArrayBuffer> } })], 'chunks'],
    ['a list head where a chunk was due', 'TRANSFER_UNASKED', [frame({ head: { chunks: 3 } })], 'chunks'],
    ['a refusal of an unknown code', 'TRANSFER_BAD_FRAME', [frame({ refusal: { code: 'NOPE', message: 'x' } })], 'chunks'],
    ['a refusal: not held', 'TRANSFER_NOT_HELD', [frame({ refusal: { code: 'TRANSFER_NOT_HELD', message: 'no' } })], 'list'],
    ['an undecodable frame', 'TRANSFER_BAD_FRAME', [new Uint8Array([0xff, 0xff, 0xff])], 'chunks']
  ]
  for (const [what, code, frames, ask] of cases) {
    it(`${what}: ${code}`, async () => {
      const link = scripted(frames.map(lengthPrefixed), 'silent')
      await refusedWith(code, async () => ask === 'list' ? await link.chunkList(file.fileId) : await drain(link.chunks(file.fileId, list, 0)))
    })
  }

  it('asked for a list and its first chunks, a chunk before the list is whole: TRANSFER_UNASKED', async () => {
    const link = scripted([frame({ head: { chunks: 20 } }), frame({ chunk: { index: 0, data: new Uint8Array(10) } })].map(lengthPrefixed), 'silent')
    await refusedWith('TRANSFER_UNASKED', async () => await drain(link.listAndChunks(file.fileId, async () => {})))
  })

  it('asked for a list and its first chunks, the link takes the window asked and no more', async () => {
    const chunks = file.chunks.slice(0, 6).map((data, index) => frame({ chunk: { index, data: data as Uint8Array<ArrayBuffer> } }))
    const link = scripted([frame({ head: { chunks: list.length } }), frame({ page: { entries: entries(list) } }), ...chunks].map(lengthPrefixed), 'silent')
    const taken: number[] = []
    for await (const chunk of link.listAndChunks(file.fileId, async () => {})) taken.push(chunk.index)
    assert.deepEqual(taken, [0, 1, 2, 3], 'the window of 4 asked with the list; the rest is asked on a stream of its own')
  })

  it('a list refused by the fetcher ends the stream before any chunk is taken', async () => {
    const link = scripted([frame({ head: { chunks: list.length } }), frame({ page: { entries: entries(list) } }), frame({ chunk: { index: 0, data: file.chunks[0]! as Uint8Array<ArrayBuffer> } })].map(lengthPrefixed), 'silent')
    await refusedWith('TRANSFER_BAD_CHUNK_LIST', async () => await drain(link.listAndChunks(file.fileId, async () => { throw new CausetteError('TRANSFER_BAD_CHUNK_LIST', 'not the descriptor\'s') })))
  })

  it('a frame over its size limit: TRANSFER_BAD_FRAME before it is read', async () => {
    const link = scripted([varint(MAX_FILE_FRAME_BYTES + 1)], 'silent')
    await refusedWith('TRANSFER_BAD_FRAME', async () => await drain(link.chunks(file.fileId, list, 0)))
  })

  /** A list of 8 chunks of `chunkBytes` and a holder that sends them all at once, where 1 was granted. */
  function flooding (chunkBytes: number): { list: ChunkEntry[], link: HolderLink } {
    const list = Array.from({ length: 8 }, () => ({ bytes: chunkBytes, sha256: new Uint8Array(32) }))
    const flood = list.map((_, index) => lengthPrefixed(frame({ chunk: { index, data: new Uint8Array(chunkBytes) } })))
    const link = fileHolderLink('flood', async () => {
      const [outbound, inbound] = await streamPair()
      void (async () => {
        await lpStream(inbound, frameOptions(MAX_FILE_FRAME_BYTES)).read()
        inbound.send(new Uint8ArrayList(...flood)) // all at once, before any grant beyond the first
      })()
      return outbound
    }, { idleMs: 5_000, windowChunks: 1 })
    return { list, link }
  }

  it('a holder flooding more than the chunks granted: TRANSFER_UNASKED', async () => {
    // 1 MiB chunks: the in-memory pair holds back a sender past 4 MiB unread, so a flood of the
    // largest chunks (4 MiB) would wait for reads instead of piling up.
    const { list, link } = flooding(1024 * 1024)
    await refusedWith('TRANSFER_UNASKED', async () => await drain(link.chunks(file.fileId, list, 0)))
  })

  it('a flood is cut off by what the file\'s own chunks take, not by the largest chunk a file may have', async () => {
    const { list, link } = flooding(64 * 1024 + 16) // 512 KiB in all, far under 4 x MAX_FILE_FRAME_BYTES
    await assert.rejects(drain(link.chunks(file.fileId, list, 0)), (error: unknown) => {
      assert.ok(error instanceof CausetteError && error.code === 'TRANSFER_UNASKED', String(error))
      assert.match(error.message, /more bytes than the chunks granted/, 'refused as it arrived, before it was read')
      return true
    })
  })

  it('a holder that sends nothing: TRANSFER_STALLED after the idle deadline', async () => {
    const link = scripted([], 'silent')
    await refusedWith('TRANSFER_STALLED', async () => await link.chunkList(file.fileId))
  })
})

/** A holder's handler on one end of a pair; the other end is returned with its frames, and the strikes. */
async function serve (options = {}, holder: ChunkHolder = new MemoryHolder().add(file)) {
  const [outbound, inbound] = await streamPair()
  const strikes: string[] = []
  const connection = { remotePeer: { toString: () => 'requester' } } as unknown as Connection
  const served = handleFileStream(inbound, connection, holder, { strike: (_peer, code) => { strikes.push(code) }, ...options })
  return { stream: outbound as Stream, lp: lpStream(outbound, frameOptions(MAX_FILE_FRAME_BYTES)), strikes, served }
}

async function framesUntilEnd (lp: ReturnType<typeof lpStream>): Promise<FileFrame[]> {
  const frames: FileFrame[] = []
  while (true) {
    try { frames.push(FileFrame.decode(await lp.read())) } catch { return frames }
  }
}

describe('file protocol: a requester asking too much is refused', () => {
  it('garbage: a TRANSFER_BAD_FRAME refusal and a strike', async () => {
    const { lp, strikes, served } = await serve()
    await lp.write(new Uint8Array([0xff, 0x01, 0x02]))
    assert.equal((await framesUntilEnd(lp))[0]?.refusal?.code, 'TRANSFER_BAD_FRAME')
    await served
    assert.deepEqual(strikes, ['TRANSFER_BAD_FRAME'])
  })

  it('a file id over its bound: TRANSFER_BAD_FRAME', async () => {
    const { lp } = await serve()
    await lp.write(FileRequest.encode({ fileId: 'x'.repeat(MAX_FILE_ID_CHARS + 1), list: true, first: 0, grant: 0 }))
    assert.equal((await framesUntilEnd(lp))[0]?.refusal?.code, 'TRANSFER_BAD_FRAME')
  })

  it('a file not held: TRANSFER_NOT_HELD, and no strike', async () => {
    const { lp, strikes, served } = await serve()
    await lp.write(FileRequest.encode({ fileId: 'unknown', list: true, first: 0, grant: 0 }))
    assert.equal((await framesUntilEnd(lp))[0]?.refusal?.code, 'TRANSFER_NOT_HELD')
    await served
    assert.deepEqual(strikes, [])
  })

  it('grants that add up past the window: TRANSFER_WINDOW_EXCEEDED and a strike', async () => {
    // The holder's store is slow (it sends nothing yet), so every grant is still outstanding.
    const stall = stallAt(0)
    const { lp, strikes, served } = await serve({}, misbehaving(new MemoryHolder().add(file), stall.misbehave))
    await lp.write(FileRequest.encode({ fileId: file.fileId, list: false, first: 0, grant: 1 }))
    for (let i = 0; i < MAX_FILE_WINDOW_CHUNKS; i++) await lp.write(FileGrant.encode({ grant: 1 }))
    await eventually(() => strikes.length > 0 ? true : undefined, 10_000, 'a strike')
    stall.release()
    const frames = await framesUntilEnd(lp)
    assert.equal(frames.at(-1)?.refusal?.code, 'TRANSFER_WINDOW_EXCEEDED')
    assert.ok(frames.filter(f => f.chunk !== undefined).length <= 1, 'no chunk sent after the refusal')
    await served
    assert.deepEqual(strikes, ['TRANSFER_WINDOW_EXCEEDED'])
  })

  it('a list and its first chunks on one stream: the list whole, then only the chunks granted', async () => {
    const { lp, served } = await serve({ idleMs: 300 })
    await lp.write(FileRequest.encode({ fileId: file.fileId, list: true, thenChunks: true, first: 0, grant: 3 }))
    const frames = await framesUntilEnd(lp)
    assert.equal(frames[0]?.head?.chunks, file.chunks.length)
    const firstChunk = frames.findIndex(f => f.chunk !== undefined)
    assert.ok(frames.slice(1, firstChunk).every(f => f.page !== undefined), 'the pages, then the chunks')
    assert.deepEqual(frames.filter(f => f.chunk !== undefined).map(f => f.chunk?.index), [0, 1, 2])
    assert.equal(frames.at(-1)?.refusal?.code, 'TRANSFER_STALLED')
    await served
  })

  it('a list and its first chunks with a grant over the window: the list, then TRANSFER_WINDOW_EXCEEDED and a strike', async () => {
    const { lp, strikes, served } = await serve({ idleMs: 300 })
    await lp.write(FileRequest.encode({ fileId: file.fileId, list: true, thenChunks: true, first: 0, grant: MAX_FILE_WINDOW_CHUNKS + 1 }))
    const frames = await framesUntilEnd(lp)
    assert.equal(frames.filter(f => f.chunk !== undefined).length, 0)
    assert.equal(frames.at(-1)?.refusal?.code, 'TRANSFER_WINDOW_EXCEEDED')
    await served
    assert.deepEqual(strikes, ['TRANSFER_WINDOW_EXCEEDED'])
  })

  it('never more chunks than granted: 3 granted, 3 sent, then the holder lets the silent requester go', async () => {
    const { lp, served } = await serve({ idleMs: 300 })
    await lp.write(FileRequest.encode({ fileId: file.fileId, list: false, first: 2, grant: 3 }))
    const frames = await framesUntilEnd(lp)
    assert.deepEqual(frames.filter(f => f.chunk !== undefined).map(f => f.chunk?.index), [2, 3, 4])
    assert.equal(frames.at(-1)?.refusal?.code, 'TRANSFER_STALLED')
    await served
  })
})

describe('file protocol: the largest chunks travel', () => {
  it('a file cut into the largest chunks a descriptor may name (a file of over 2 TiB) is listed and fetched whole', async () => {
    const largest = randomFile(MAX_CIPHERTEXT_CHUNK_BYTES + 100, MAX_CIPHERTEXT_CHUNK_BYTES)
    const holder = new MemoryHolder().add(largest)
    const link = fileHolderLink('holder', async () => {
      const [outbound, inbound] = await streamPair() // not serve(): its own reader would take the frames too
      void handleFileStream(inbound, { remotePeer: { toString: () => 'requester' } } as unknown as Connection, holder, { strike: () => {}, idleMs: 5_000 })
      return outbound
    }, { idleMs: 5_000, windowChunks: 2 })
    const list = await link.chunkList(largest.fileId)
    assert.deepEqual(list.map(entry => entry.bytes), [MAX_CIPHERTEXT_CHUNK_BYTES, 100])
    assert.equal(await drain(link.chunks(largest.fileId, list, 0)), 2)
  })
})

describe('file protocol: a holder reads each run\'s chunks through one source', () => {
  /** A MemoryHolder that also opens its chunks for a run, as the store does: opens, closes and reads counted. */
  class SourceHolder extends MemoryHolder {
    opened = 0
    closed = 0
    async openChunks (fileId: string): Promise<ChunkSource> {
      this.opened++
      return { read: async index => await this.readChunk(fileId, index), close: async () => { this.closed++ } }
    }
  }

  it('a run opens its source once and closes it, ended whole or let go; the next chunk is read while one is sent', async () => {
    const holder = new SourceHolder().add(file)
    const link = fileHolderLink('holder', async () => (await serve({ idleMs: 300 }, holder)).stream, { idleMs: 300, windowChunks: 4 })
    assert.equal(await drain(link.chunks(file.fileId, file.list, 5)), file.chunks.length - 5)
    await eventually(() => holder.closed === 1 ? true : undefined, 20_000, 'the whole run\'s source closed')
    assert.equal(holder.opened, 1)
    assert.equal(holder.reads, file.chunks.length - 5, 'each chunk read once, none past the end')

    const cut = await serve({ idleMs: 300 }, holder)
    await cut.lp.write(FileRequest.encode({ fileId: file.fileId, list: false, first: 2, grant: 3 }))
    const frames = await framesUntilEnd(cut.lp)
    assert.deepEqual(frames.filter(f => f.chunk !== undefined).map(f => f.chunk?.index), [2, 3, 4])
    await cut.served
    assert.equal(holder.opened, 2)
    assert.equal(holder.closed, 2, 'the source of a run let go is closed too')
  })

  it('a chunk read ahead before it was held is read again in its turn', async () => {
    const partial = randomFile(4 * 1000, 1000)
    const holder = new SourceHolder().add(partial, 2) // a colleague still fetching it
    const { lp, served } = await serve({ idleMs: 300 }, holder)
    await lp.write(FileRequest.encode({ fileId: partial.fileId, list: false, first: 0, grant: 2 }))
    assert.equal(FileFrame.decode(await lp.read()).chunk?.index, 0)
    assert.equal(FileFrame.decode(await lp.read()).chunk?.index, 1)
    await eventually(() => holder.reads === 3 ? true : undefined, 20_000, 'chunk 2 read ahead, not held yet')
    holder.add(partial, 3) // chunk 2 held now
    await lp.write(FileGrant.encode({ grant: 1 }))
    assert.equal(FileFrame.decode(await lp.read()).chunk?.index, 2, 'read ahead before it was held, read again when due')
    await lp.unwrap().close()
    await served
  })
})
