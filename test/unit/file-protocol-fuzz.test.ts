// Fuzzing /causette/file/1.0.0 beside the frame decoders (fuzz-decoders.test.ts): the holder's
// handler fed random requests, grants and bytes, and the requester's link fed random holder frames,
// over in-memory streams. The handler must end every stream, write only frames that decode, refuse
// with known codes, strike only for the requester's own faults, and never send a chunk it was not
// granted or out of order; the link must return a bounded list or chunks in order no longer than
// announced, or throw a TRANSFER_* code. Both must see both outcomes (served and refused), or the
// property tested nothing. The hand-made chunk frame decodes as the generated one, and the
// requester's copy-free reading of a chunk frame (chunkOfFrame) gives what the generated decoder
// gives, or leaves the frame to it.
// FUZZ_SEED=<seed> replays a failure; FUZZ_RUNS=<n> runs longer.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { Connection } from '@libp2p/interface'
import { lpStream, streamPair } from '@libp2p/utils'
import fc from 'fast-check'
import { CausetteError, ERROR_CODES } from '../../core/errors.js'
import { encodeChunkList, type ChunkList } from '../../core/protocol/file-ports.js'
import { FileFrame, FileGrant, FileRequest } from '../../core/protocol/file.js'
import { Uint8ArrayList } from 'uint8arraylist'
import { chunkFrame, chunkOfFrame } from '../../core/protocol/file-frames.js'
import { handleFileStream } from '../../core/protocol/file-protocol.js'
import { fileHolderLink } from '../../core/protocol/file-requester.js'
import { frameOptions, prefixBytes } from '../../core/protocol/length-prefix.js'
import { MAX_FILE_CHUNK_BYTES, MAX_FILE_FRAME_BYTES, MAX_FILE_WINDOW_CHUNKS } from '../../core/protocol/limits.js'
import { fuzzBytes, fuzzParameters, FuzzTally, varint } from '../helpers/fuzz-decoding.js'
import { MemoryHolder, randomFile } from '../helpers/memory-chunks.js'

const tally = new FuzzTally()
/** What the link is asked: a list, chunks, a list and its first chunks, or that of an older holder (the list alone). */
type Ask = 'list' | 'chunks' | 'both' | 'older'
after(() => { console.log(['fuzzed file protocol:', ...tally.lines()].join('\n')) })

const file = randomFile(12 * 100 + 37, 100)
const KNOWN = new Set<string>(ERROR_CODES)
const STRIKING = new Set(['TRANSFER_BAD_FRAME', 'TRANSFER_WINDOW_EXCEEDED'])
/** Well past the handler's idle deadline in these tests (300 ms), even on a loaded machine. */
const BOUND_MS = 20_000

const fileId = fc.oneof(fc.constant(file.fileId), fc.constant('unknown'), fc.string({ maxLength: 200 }))
const request = fc.record({ fileId, list: fc.boolean(), thenChunks: fc.boolean(), first: fc.oneof(fc.nat(15), fc.nat()), grant: fc.oneof(fc.nat(MAX_FILE_WINDOW_CHUNKS + 2), fc.nat()) })
  .map(value => FileRequest.encode(value))
const grant = fc.oneof(fc.nat(8), fc.nat()).map(value => FileGrant.encode({ grant: value }))
const requesterFrames = fc.tuple(
  fc.oneof(request, fuzzBytes([FileRequest.encode({ fileId: file.fileId, list: false, first: 1, grant: 3 })], 300)),
  fc.array(fc.oneof(grant, fuzzBytes([FileGrant.encode({ grant: 2 })], 16)), { maxLength: 6 })
)

async function within<T> (what: string, run: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([run, new Promise<never>((_, reject) => { timer = setTimeout(() => { reject(new Error(`${what} did not end within ${BOUND_MS} ms`)) }, BOUND_MS) })])
  } finally {
    clearTimeout(timer)
  }
}

/** Everything the handler wrote, frame by frame, until it ended the stream. */
async function answers (lp: ReturnType<typeof lpStream>): Promise<FileFrame[]> {
  const frames: FileFrame[] = []
  while (true) {
    let bytes
    try { bytes = await lp.read() } catch { return frames }
    frames.push(FileFrame.decode(bytes)) // throws, failing the property, if the handler wrote garbage
  }
}

describe('file protocol fuzz', () => {
  it('the holder\'s handler, fed random requests, grants and bytes, stays within the protocol', async () => {
    await fc.assert(fc.asyncProperty(requesterFrames, async ([first, grants]) => {
      const [outbound, inbound] = await streamPair()
      const strikes: string[] = []
      const connection = { remotePeer: { toString: () => 'fuzzer' } } as unknown as Connection
      const served = handleFileStream(inbound, connection, new MemoryHolder().add(file), { idleMs: 300, strike: (_peer, code) => { strikes.push(code) } })
      const lp = lpStream(outbound, frameOptions(MAX_FILE_FRAME_BYTES))
      try {
        await lp.writeV([first, ...grants])
        await outbound.close()
      } catch { /* the handler may have ended the stream first */ }
      const frames = await within('the handler', answers(lp))
      await within('the handler', served)
      const decoded = tryDecode(first)
      const granted = (decoded?.grant ?? 0) + grants.map(tryGrant).reduce((sum, more) => sum + more, 0)
      const chunks = frames.flatMap(frame => frame.chunk === undefined ? [] : [frame.chunk])
      assert.ok(chunks.length <= granted, `${chunks.length} chunks sent, ${granted} granted`)
      chunks.forEach((chunk, at) => { assert.equal(chunk.index, (decoded?.first ?? 0) + at, 'chunks in order from the first asked') })
      if (decoded?.list === true && decoded.thenChunks !== true) assert.equal(chunks.length, 0, 'no chunk after a list alone')
      const firstChunk = frames.findIndex(frame => frame.chunk !== undefined)
      if (firstChunk >= 0) assert.ok(frames.slice(firstChunk).every(frame => frame.head === undefined && frame.page === undefined), 'the list, if any, before every chunk')
      for (const frame of frames) if (frame.refusal !== undefined) assert.ok(KNOWN.has(frame.refusal.code), `refused with unknown code ${frame.refusal.code}`)
      for (const code of strikes) assert.ok(STRIKING.has(code), `struck for ${code}`)
      const refusal = frames.find(frame => frame.refusal !== undefined)?.refusal?.code
      tally.count('handler', refusal ?? (frames.length > 0 ? 'served' : 'ended'))
    }), fuzzParameters(300))
    assert.ok(tally.of('handler', 'served') > 0, 'some cases were served')
    assert.ok(tally.outcomes('handler').some(outcome => outcome.startsWith('TRANSFER_')), 'some cases were refused')
  })

  /** What a link returns as a list: entries within their bound. */
  function assertBoundedList (got: ChunkList): void {
    assert.ok(got.length >= 1 && got.every(entry => entry.bytes <= MAX_FILE_CHUNK_BYTES && entry.sha256.byteLength === 32))
  }

  it('the requester\'s link, fed random holder frames, returns what is bounded or a TRANSFER_* code', async () => {
    const list = file.list
    const head = (chunks: number): Uint8Array => FileFrame.encode({ head: { chunks } })
    const page = (from: number, to: number): Uint8Array => FileFrame.encode({ page: { entries: encodeChunkList(list.slice(from, to)) } })
    const chunk = (index: number, bytes = list[index]?.bytes ?? 10): Uint8Array => FileFrame.encode({ chunk: { index, data: new Uint8Array(bytes) } })
    const holderFrame = fc.oneof(
      fc.nat(14).map(head), fc.tuple(fc.nat(12), fc.nat(12)).map(([a, b]) => page(Math.min(a, b), Math.max(a, b))),
      fc.tuple(fc.nat(13), fc.nat(110)).map(([index, bytes]) => chunk(index, bytes)), fc.nat(12).map(index => chunk(index)),
      fuzzBytes([head(12), page(0, 12), chunk(0)], 600)
    )
    /** What an honest holder sends (after a list and its first window, an older holder sends the list alone), sometimes with one frame damaged, dropped or added. */
    const listFrames = [head(12), page(0, 5), page(5, 12)]
    const honest = (ask: Ask, first: number): Uint8Array[] => ask === 'list' ? listFrames : ask === 'older' ? listFrames : ask === 'both' ? [...listFrames, ...[0, 1, 2, 3].map(index => chunk(index))] : list.slice(first).map((_, at) => chunk(first + at))
    const scenario = fc.tuple(fc.constantFrom<Ask>('list', 'chunks', 'both', 'older'), fc.nat(11)).chain(([askList, first]) => fc.tuple(fc.constant(askList), fc.constant(first), fc.oneof(
      fc.constant(honest(askList, first)),
      fc.tuple(fc.nat(12), holderFrame, fc.nat(2)).map(([at, frame, how]) => {
        const frames = honest(askList, first)
        if (how === 0) frames.splice(at, 1, frame); else if (how === 1) frames.splice(at, 0, frame); else frames.splice(at, 1)
        return frames
      }),
      fc.tuple(fc.nat(11), fc.integer({ min: -5, max: 5 })).map(([at, extra]) => {
        const frames = honest(askList, first)
        const index = first + at
        if (askList === 'chunks' && index < list.length) frames[at] = chunk(index, Math.max(0, list[index]!.bytes + extra))
        return frames
      }),
      fc.array(holderFrame, { maxLength: 16 })
    )))
    await fc.assert(fc.asyncProperty(scenario, async ([askList, first, frames]) => {
      const link = fileHolderLink('fuzzed', async () => {
        const [outbound, inbound] = await streamPair()
        void (async () => {
          await lpStream(inbound, frameOptions(MAX_FILE_FRAME_BYTES)).read().catch(() => {})
          try {
            for (const frame of frames) inbound.send(Buffer.concat([varint(frame.length), frame]))
            await inbound.close()
          } catch { /* the link may have cut us off */ }
        })()
        return outbound
      }, { idleMs: 300, windowChunks: 4 })
      try {
        if (askList === 'list') {
          assertBoundedList(await within('the link', link.chunkList(file.fileId)))
        } else if (askList === 'both' || askList === 'older') {
          let accepted: ChunkList | undefined
          let next = 0
          await within('the link', (async () => {
            for await (const got of link.listAndChunks(file.fileId, async offered => { accepted = offered })) {
              assert.ok(accepted !== undefined, 'no chunk before the list is accepted')
              assert.equal(got.index, next++, 'chunks in order from the first')
              assert.ok(got.index < 4, 'no chunk past the window asked with the list')
              assert.ok(got.data.byteLength <= accepted[got.index]!.bytes, 'no longer than announced')
            }
          })())
          assertBoundedList(accepted!)
        } else {
          let next = first
          for await (const got of link.chunks(file.fileId, list, first)) {
            assert.equal(got.index, next++, 'chunks in order')
            assert.ok(got.data.byteLength <= list[got.index]!.bytes, 'no longer than announced')
          }
        }
        tally.count('link', 'served')
      } catch (error) {
        if (!(error instanceof CausetteError)) {
          // A holder that closes early ends the stream: not a code, the next holder is asked.
          assert.match((error as Error).name, /UnexpectedEOFError|StreamResetError|StreamStateError|AbortError/, `unexpected ${String(error)}`)
          tally.count('link', 'ended')
          return
        }
        assert.ok(error.code.startsWith('TRANSFER_'), `unexpected code ${error.code}`)
        tally.count('link', error.code)
      }
    }), fuzzParameters(400))
    assert.ok(tally.of('link', 'served') > 0, 'some cases were accepted')
    assert.ok(tally.outcomes('link').some(outcome => outcome.startsWith('TRANSFER_')), 'some cases were refused')
  })

  it('the chunk frame written without a copy is the generated encoder\'s frame', () => {
    fc.assert(fc.property(fc.nat(), fc.uint8Array({ maxLength: 3000 }), (index, data) => {
      const framed = chunkFrame(index, data)
      const length = frameOptions(MAX_FILE_FRAME_BYTES).lengthDecoder(framed)
      assert.equal(framed.byteLength, prefixBytes(length) + length, 'the prefix is the frame\'s length')
      const decoded = FileFrame.decode(framed.subarray(prefixBytes(length)))
      assert.equal(decoded.chunk?.index, index)
      assert.ok(Buffer.from(decoded.chunk?.data ?? []).equals(Buffer.from(data)))
    }), fuzzParameters(500))
  })
})

/** `bytes` cut into parts at the given offsets, as a frame arrives in several messages. */
function inParts (bytes: Uint8Array, cuts: number[]): Uint8ArrayList {
  const at = [...new Set(cuts.map(cut => cut % (bytes.byteLength + 1)))].sort((a, b) => a - b)
  const list = new Uint8ArrayList()
  let from = 0
  for (const cut of [...at, bytes.byteLength]) {
    if (cut > from) list.append(bytes.subarray(from, cut))
    from = cut
  }
  return list
}

describe('the requester reads a chunk frame without copying it', () => {
  const chunkFrameBytes = fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 3000 })).map(([index, data]) => {
    const framed = chunkFrame(index, data)
    return framed.subarray(prefixBytes(frameOptions(MAX_FILE_FRAME_BYTES).lengthDecoder(framed)))
  })

  it('takes the chunk of every frame chunkFrame writes, in any parts, as views of those parts', () => {
    fc.assert(fc.property(fc.nat(), fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(), { maxLength: 8 }), (index, data, cuts) => {
      const framed = chunkFrame(index, data)
      const frame = inParts(framed.subarray(prefixBytes(frameOptions(MAX_FILE_FRAME_BYTES).lengthDecoder(framed))), cuts)
      const chunk = chunkOfFrame(frame)
      assert.ok(chunk !== undefined, 'a frame chunkFrame wrote is read without a copy')
      assert.equal(chunk.index, index)
      assert.ok(Buffer.from(chunk.data.subarray()).equals(Buffer.from(data)))
      const buffers = new Set([...frame].map(part => part.buffer))
      for (const part of chunk.data) assert.ok(buffers.has(part.buffer), 'a part of the chunk is a view of the frame, not a copy')
    }), fuzzParameters(500))
  })

  it('gives what the generated decoder gives, or leaves the frame to it', () => {
    const frames = fc.oneof(fuzzBytes([FileFrame.encode({ chunk: { index: 3, data: new Uint8Array([1, 2, 3]) } })], 40), chunkFrameBytes.chain(bytes => fuzzBytes([bytes], bytes.byteLength + 8)))
    fc.assert(fc.property(frames, fc.array(fc.nat(), { maxLength: 4 }), (bytes, cuts) => {
      const chunk = chunkOfFrame(inParts(bytes, cuts))
      if (chunk === undefined) { tally.count('chunk frame', 'left to the decoder'); return }
      const decoded = FileFrame.decode(bytes)
      assert.deepEqual(Object.keys(decoded).filter(key => decoded[key as keyof FileFrame] !== undefined), ['chunk'])
      assert.equal(decoded.chunk?.index, chunk.index)
      assert.ok(Buffer.from(decoded.chunk?.data ?? []).equals(Buffer.from(chunk.data.subarray())))
      tally.count('chunk frame', 'read without a copy')
    }), fuzzParameters(1000))
    assert.ok(tally.of('chunk frame', 'read without a copy') > 0, 'some frames were read without a copy')
    assert.ok(tally.of('chunk frame', 'left to the decoder') > 0, 'some frames were left to the decoder')
  })
})

function tryDecode (bytes: Uint8Array): FileRequest | undefined {
  try { return FileRequest.decode(bytes) } catch { return undefined }
}

function tryGrant (bytes: Uint8Array): number {
  try { return FileGrant.decode(bytes).grant } catch { return 0 }
}
