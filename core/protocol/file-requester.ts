// /causette/file/1.0.0, the requester's side: a HolderLink (core/protocol/file-ports.ts) over libp2p
// for the fetcher. It asks one holder for a chunk list, or for chunks from `first` with a window of
// FILE_WINDOW_CHUNKS granted at a time, or for both on one stream (the list, then a first window),
// and cuts the holder off with a coded error when it breaks the protocol: a list head or page of the
// wrong length, a chunk longer than announced, out of order or never asked for, more bytes than the
// chunks granted, a frame of the wrong kind, nothing for FILE_IDLE_MS. A list's pages pause the
// stream past two frames unread (read-gate.ts's ReadGate), so a holder cannot push a list
// faster than it is read. Hashes are the sink's to check (the fetcher's, for the list).
import type { Libp2p, PeerId, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { decodeChunkList, type ChunkBytes, type ChunkEntry, type ChunkList, type FetchedChunk, type HolderLink } from './file-ports.js'
import { FileFrame, FileGrant, FileRequest } from './file.js'
import { CHUNK_HEADS_BYTES, chunkOfFrame, refusalError, transferError } from './file-frames.js'
import { frameOptions, prefixBytes } from './length-prefix.js'
import { FILE_FIRST_WINDOW_CHUNKS, FILE_IDLE_MS, FILE_WINDOW_CHUNKS, MAX_FILE_CHUNK_BYTES, MAX_FILE_CHUNKS, MAX_FILE_FRAME_BYTES } from './limits.js'
import { FILE_PROTOCOL } from './protocol-ids.js'
import { frameFault } from './read-frame.js'
import { ReadGate } from './read-gate.js'

export interface FileRequesterOptions {
  /** Chunks asked for and not yet received; default FILE_WINDOW_CHUNKS. */
  windowChunks?: number
  /** The wait for any one frame; default FILE_IDLE_MS. */
  idleMs?: number
}

/** Opens a stream of the file protocol to the holder. */
export type OpenFileStream = (signal: AbortSignal) => Promise<Stream>

/**
 * A HolderLink to `peer` through `host`: each chunk list or run of chunks on a stream of its own,
 * opened once `beforeDial` lets it (the node paces the streams it opens to one peer).
 */
export function libp2pHolderLink (host: Pick<Libp2p, 'dialProtocol'>, peer: PeerId, options: FileRequesterOptions & { beforeDial?: () => Promise<void> } = {}): HolderLink {
  return fileHolderLink(peer.toString(), async signal => {
    await options.beforeDial?.()
    return await host.dialProtocol(peer, FILE_PROTOCOL, { signal })
  }, options)
}

export function fileHolderLink (peer: string, open: OpenFileStream, options: FileRequesterOptions = {}): HolderLink {
  const idleMs = options.idleMs ?? FILE_IDLE_MS
  const windowChunks = Math.max(1, options.windowChunks ?? FILE_WINDOW_CHUNKS)
  const firstWindow = Math.min(windowChunks, FILE_FIRST_WINDOW_CHUNKS)
  return {
    peer,
    chunkList: async fileId => await withStream(open, idleMs, async frames => {
      await frames.write({ fileId, list: true, first: 0, grant: 0 }, FileRequest)
      return await readList(frames)
    }),
    chunks: (fileId, list, first) => readChunks(open, { fileId, list, first, idleMs, windowChunks }),
    listAndChunks: (fileId, accept) => readListAndChunks(open, { fileId, accept, idleMs, windowChunks: firstWindow })
  }
}

/** A holder's frame as read: a chunk's data is the buffers it arrived in, not copied into one. */
type ReadFrame = Omit<FileFrame, 'chunk'> & { chunk?: { index: number, data: ChunkBytes } }

/** Frames in both directions, each read awaited at most `idleMs`, what is read reported to the stream's gate. */
interface Frames {
  read: () => Promise<ReadFrame>
  write: <T>(message: T, codec: { encode: (message: T) => Uint8Array }) => Promise<void>
}

/**
 * A chunk list's pages come unasked, so what is read of them goes through a ReadGate that pauses the
 * stream (and the holder) past two frames unread (`gated`; a stream of the list and a first window
 * too). Chunks come only as granted: at most `granted` frames can be buffered, and a gate on a
 * stream of chunks alone would only add a timer per message.
 */
function framesOf (stream: Stream, idleMs: number, granted?: number, gated = granted === undefined, frameBytes = MAX_FILE_FRAME_BYTES): Frames {
  const gate = gated ? new ReadGate(stream, 2 * (MAX_FILE_FRAME_BYTES + prefixBytes(MAX_FILE_FRAME_BYTES)) + 1) : undefined
  const lp = lpStream(stream, { ...frameOptions(MAX_FILE_FRAME_BYTES), maxBufferSize: (Math.max(3, granted ?? 0) + 1) * frameBytes })
  const idle = new IdleDeadline(idleMs)
  stream.addEventListener('close', () => { idle.clear() })
  return {
    read: async () => {
      let frame
      try {
        frame = await lp.read({ signal: idle.start() })
      } catch (error) {
        if (idle.expired) throw transferError('TRANSFER_STALLED', `the holder sent nothing for ${idleMs} ms`)
        const fault = frameFault(error) // a frame over its bound, or a length prefix that does not decode
        if (fault !== undefined) throw transferError('TRANSFER_BAD_FRAME', fault.message)
        // More arrived than the chunks granted can take (lpStream's buffer bound): a flood.
        if ((error as Error).name === 'StreamBufferError') throw transferError('TRANSFER_UNASKED', 'more bytes than the chunks granted')
        throw error
      } finally {
        idle.stop()
      }
      gate?.consumed(frame.byteLength + prefixBytes(frame.byteLength))
      const chunk = chunkOfFrame(frame)
      if (chunk !== undefined) return { chunk }
      try {
        return FileFrame.decode(frame)
      } catch {
        throw transferError('TRANSFER_BAD_FRAME', 'an undecodable frame')
      }
    },
    write: async (message, codec) => {
      try {
        await lp.write(codec.encode(message), { signal: idle.start() })
      } catch (error) {
        if (idle.expired) throw transferError('TRANSFER_STALLED', `the holder took nothing for ${idleMs} ms`)
        throw error
      } finally {
        idle.stop()
      }
    }
  }
}

/**
 * The wait for one frame, bounded: one timer per stream, restarted for each read, rather than a new
 * AbortSignal.timeout (a timer of its own, kept for the whole idle time) for every frame.
 */
class IdleDeadline {
  expired = false
  readonly #controller = new AbortController()
  readonly #timer: ReturnType<typeof setTimeout>
  #reading = false

  constructor (idleMs: number) {
    this.#timer = setTimeout(() => {
      if (!this.#reading) return
      this.expired = true
      this.#controller.abort()
    }, idleMs)
    this.#timer.unref?.()
  }

  /** A read begins: the deadline runs from now. */
  start (): AbortSignal {
    this.#reading = true
    this.#timer.refresh()
    return this.#controller.signal
  }

  /** The read ended: time spent between reads (the fetcher writing a chunk) is not the holder's. */
  stop (): void { this.#reading = false }

  clear (): void { clearTimeout(this.#timer) }
}

/** Runs `use` on a new stream: closed if it returns, aborted if it throws or is left early. */
async function withStream<T> (open: OpenFileStream, idleMs: number, use: (frames: Frames) => Promise<T>): Promise<T> {
  const stream = await open(AbortSignal.timeout(idleMs))
  try {
    const result = await use(framesOf(stream, idleMs))
    await stream.close({ signal: AbortSignal.timeout(idleMs) }).catch(() => { stream.abort(new Error('file stream: close failed')) })
    return result
  } catch (error) {
    stream.abort(error as Error)
    throw error
  }
}

/** The frame's content of the kind expected; a refusal is thrown as the holder's coded error. */
function expect<K extends 'head' | 'page' | 'chunk'> (frame: ReadFrame, kind: K): NonNullable<ReadFrame[K]> {
  if (frame.refusal !== undefined) throw refusalError(frame.refusal)
  const content = frame[kind]
  if (content === undefined || content === null) throw transferError('TRANSFER_UNASKED', `a frame of another kind where a ${kind} was due`)
  return content as NonNullable<ReadFrame[K]>
}

async function readList (frames: Frames): Promise<ChunkList> {
  const { chunks } = expect(await frames.read(), 'head')
  if (chunks < 1 || chunks > MAX_FILE_CHUNKS) throw transferError('TRANSFER_BAD_CHUNK_LIST', `a chunk list of ${chunks} chunks (1 to ${MAX_FILE_CHUNKS})`)
  const list: ChunkEntry[] = []
  while (list.length < chunks) {
    const entries = decodeChunkList(expect(await frames.read(), 'page').entries)
    if (entries === undefined || entries.length === 0) throw transferError('TRANSFER_BAD_CHUNK_LIST', 'a chunk list page that is not whole entries')
    if (list.length + entries.length > chunks) throw transferError('TRANSFER_BAD_CHUNK_LIST', `more than the ${chunks} chunks the list announced`)
    if (entries.some(entry => entry.bytes > MAX_FILE_CHUNK_BYTES)) throw transferError('TRANSFER_BAD_CHUNK_LIST', `a chunk over ${MAX_FILE_CHUNK_BYTES} bytes`)
    list.push(...entries)
  }
  return list
}

interface ChunkRun {
  fileId: string
  list: ChunkList
  first: number
  idleMs: number
  windowChunks: number
}

/**
 * Chunks `first` to the end of the list as they arrive. The holder may send only what was granted:
 * `windowChunks` at first, then more each time half the window has arrived, so that at most a
 * window is in flight and the holder is never idle waiting for a grant.
 */
async function * readChunks (open: OpenFileStream, run: ChunkRun): AsyncGenerator<FetchedChunk> {
  const { list, first, windowChunks } = run
  if (first >= list.length) return
  const stream = await open(AbortSignal.timeout(run.idleMs))
  let finished = false
  try {
    // The frames buffered are bounded by the file's own chunks, not the largest a file may have.
    const frames = framesOf(stream, run.idleMs, windowChunks, false, Math.min(MAX_FILE_FRAME_BYTES, list[0]!.bytes + CHUNK_HEADS_BYTES + prefixBytes(MAX_FILE_FRAME_BYTES)))
    const granted = Math.min(list.length, first + windowChunks)
    await frames.write({ fileId: run.fileId, list: false, first, grant: granted - first }, FileRequest)
    yield * chunksOf(frames, run, granted, list.length)
    finished = true
  } finally {
    await endStream(stream, finished, run.idleMs)
  }
}

/** The chunks from `first` as they arrive, granting more as they do, up to chunk `last` (excluded). */
async function * chunksOf (frames: Frames, run: ChunkRun, granted: number, last: number): AsyncGenerator<FetchedChunk> {
  const { list, first, windowChunks } = run
  for (let index = first; index < last; index++) {
    yield checkedChunk(expect(await frames.read(), 'chunk'), index, list, granted)
    const more = Math.min(last, index + 1 + windowChunks) - granted
    if (more > 0 && (more >= windowChunks / 2 || granted + more === last)) {
      await frames.write({ grant: more }, FileGrant)
      granted += more
    }
  }
}

/** A stream whose run is over: closed when it ended as it should, else aborted. */
async function endStream (stream: Stream, finished: boolean, idleMs: number): Promise<void> {
  if (finished) await stream.close({ signal: AbortSignal.timeout(idleMs) }).catch(() => { stream.abort(new Error('file stream: close failed')) })
  else stream.abort(new Error('file fetch ended early'))
}

interface ListRun {
  fileId: string
  /** Checks the list (and keeps it) before any chunk is taken; throws if it is not the one wanted. */
  accept: (list: ChunkList) => Promise<void>
  idleMs: number
  windowChunks: number
}

/**
 * The chunk list, then the file's first window of chunks, on one stream: a file that fits in a
 * window (an image, a preview) costs one stream, not two. The rest of a bigger file is asked on a
 * stream of its own (readChunks). The list's pages come unasked: the stream is gated as for a list
 * alone. A holder that does not know `thenChunks` sends the list and closes: no chunks then.
 */
async function * readListAndChunks (open: OpenFileStream, run: ListRun): AsyncGenerator<FetchedChunk> {
  const stream = await open(AbortSignal.timeout(run.idleMs))
  let finished = false
  try {
    const frames = framesOf(stream, run.idleMs, run.windowChunks, true)
    await frames.write({ fileId: run.fileId, list: true, thenChunks: true, first: 0, grant: run.windowChunks }, FileRequest)
    const list = await readList(frames)
    await run.accept(list)
    const granted = Math.min(list.length, run.windowChunks)
    const chunks = chunksOf(frames, { fileId: run.fileId, list, first: 0, idleMs: run.idleMs, windowChunks: run.windowChunks }, granted, granted)
    let taken = 0
    try {
      for await (const chunk of chunks) {
        taken++
        yield chunk
      }
    } catch (error) {
      if (taken > 0 || (error as Error).name !== 'UnexpectedEOFError') throw error
      // An older holder: the list alone, then the end of its side. The chunks come on a stream of their own.
    }
    finished = true
  } finally {
    await endStream(stream, finished, run.idleMs)
  }
}

/** The chunk due and granted, no longer than its list entry says: anything else cuts the holder off. */
function checkedChunk (chunk: FetchedChunk, index: number, list: ChunkList, granted: number): FetchedChunk {
  if (chunk.index !== index || index >= granted) throw transferError('TRANSFER_UNASKED', `chunk ${chunk.index} where chunk ${index} was due (${granted} granted)`)
  const announced = list[index]?.bytes ?? 0
  if (chunk.data.byteLength > announced) throw transferError('TRANSFER_CHUNK_TOO_LARGE', `chunk ${index} of ${chunk.data.byteLength} bytes, announced ${announced}`)
  return { index, data: chunk.data }
}
