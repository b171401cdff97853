// /causette/file/1.0.0, the holder's side: serves the chunk list of a file it holds, or its chunks
// from `first` on, or both on one stream (the list, then the chunks: `thenChunks`), never more
// than the requester granted (a window of chunks in flight: memory stays flat whatever the size). The handler reads requests through framedStream (the per-peer read gate,
// stream-limiter.ts) and is wrapped by limitStreams like every protocol of ours. A request that does
// not decode, or that grants more than MAX_FILE_WINDOW_CHUNKS at once, is refused with a coded frame
// and counted against the peer (`strike`); a requester that grants nothing for FILE_IDLE_MS is let go.
// The requester's side is file-requester.ts; the protocol in docs/files.md, "Transfer".
import type { Connection, Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'
import { chunkSourceOf, encodeChunkList, type ChunkHolder, type ChunkList } from './file-ports.js'
import { codedError } from '../errors.js'
import { FileFrame, FileGrant, FileRequest } from './file.js'
import { chunkFrame, refusalFrame, transferError } from './file-frames.js'
import { framedStream } from './framed-stream.js'
import { frameFault, readFrame } from './read-frame.js'
import { FILE_IDLE_MS, FILE_LIST_ENTRIES_PER_PAGE, MAX_FILE_ID_CHARS, MAX_FILE_REQUEST_BYTES, MAX_FILE_WINDOW_CHUNKS } from './limits.js'

export interface FileServeOptions {
  /** The wait for a request, or for a grant when none is left; default FILE_IDLE_MS. */
  idleMs?: number
  /** Most chunks granted and not yet sent; default MAX_FILE_WINDOW_CHUNKS. */
  maxWindowChunks?: number
  /** A refusal the requester earned, counted against it (PeerLimits.strike). */
  strike?: (peer: string, code: string, message: string) => void
}

type Frames = ReturnType<typeof framedStream>

export async function handleFileStream (stream: Stream, connection: Connection, holder: ChunkHolder, options: FileServeOptions = {}): Promise<void> {
  const peer = connection.remotePeer.toString()
  const idleMs = options.idleMs ?? FILE_IDLE_MS
  const frames = framedStream(stream, MAX_FILE_REQUEST_BYTES)
  /** The requester's own faults count against it, as soon as they are seen. */
  const strike = (error: unknown): void => {
    const coded = codedError(error)
    if (coded !== undefined) options.strike?.(peer, coded.code, coded.message)
  }
  try {
    const request = await readRequest(frames, idleMs).catch(error => { strike(error); throw error })
    const list = await holder.chunkList(request.fileId)
    if (list === undefined) throw transferError('TRANSFER_NOT_HELD', 'this node does not hold that file')
    if (request.list) await sendList(frames, list, idleMs)
    if (!request.list || request.thenChunks) await sendChunks(frames, { stream, holder, fileId: request.fileId, list, first: request.first, grant: request.grant, idleMs, maxWindow: options.maxWindowChunks ?? MAX_FILE_WINDOW_CHUNKS, strike })
    await stream.close({ signal: AbortSignal.timeout(idleMs) })
  } catch (error) {
    await refuse(stream, frames, error, idleMs)
  }
}

async function readRequest (frames: Frames, idleMs: number): Promise<FileRequest> {
  const request = await readFrame(frames, FileRequest, 'file request', { signal: AbortSignal.timeout(idleMs) }).catch(error => { throw requesterFault(error) })
  if (request.fileId.length === 0 || request.fileId.length > MAX_FILE_ID_CHARS) throw transferError('TRANSFER_BAD_FRAME', `a file id of 1 to ${MAX_FILE_ID_CHARS} characters`)
  return request
}

/** A frame's fault as this protocol names it (TRANSFER_BAD_FRAME, struck); a stream that failed as it failed. */
function requesterFault (error: unknown): unknown {
  const fault = frameFault(error)
  return fault === undefined ? error : transferError('TRANSFER_BAD_FRAME', fault.message)
}

/** A coded refusal is written before the stream closes; anything else resets it. */
async function refuse (stream: Stream, frames: Frames, error: unknown, idleMs: number): Promise<void> {
  if (codedError(error) === undefined || stream.writeStatus !== 'writable') {
    stream.abort(error instanceof Error ? error : new Error(String(error)))
    return
  }
  try {
    await frames.write(refusalFrame(error), FileFrame, { signal: AbortSignal.timeout(idleMs) })
    await stream.close({ signal: AbortSignal.timeout(idleMs) })
  } catch (failure) {
    stream.abort(failure as Error)
  }
}

/** The list's head, then its entries in pages; the stream's window paces the writes. */
async function sendList (frames: Frames, list: ChunkList, idleMs: number): Promise<void> {
  await frames.write({ head: { chunks: list.length } }, FileFrame, { signal: AbortSignal.timeout(idleMs) })
  for (let at = 0; at < list.length; at += FILE_LIST_ENTRIES_PER_PAGE) {
    const entries = encodeChunkList(list.slice(at, at + FILE_LIST_ENTRIES_PER_PAGE))
    await frames.write({ page: { entries } }, FileFrame, { signal: AbortSignal.timeout(idleMs) })
  }
}

interface ChunkRun {
  stream: Stream
  holder: ChunkHolder
  fileId: string
  list: ChunkList
  first: number
  grant: number
  idleMs: number
  maxWindow: number
  /** Counts a requester's fault (a bad grant, a window exceeded) against it. */
  strike: (error: unknown) => void
}

/**
 * Chunks from `first` to the end, each sent only once granted; grants arrive on the same stream
 * while chunks go out. The run ends at the file's end, or when the requester closes its side.
 */
async function sendChunks (frames: Frames, run: ChunkRun): Promise<void> {
  const source = await chunkSourceOf(run.holder, run.fileId)
  const grants = new Grants(run.grant, run.maxWindow, run.strike)
  const reading = readGrants(frames, grants)
  const read = (index: number): Promise<Uint8Array | undefined> | undefined => {
    if (index >= run.list.length) return undefined
    const chunk = source.read(index)
    chunk.catch(() => {}) // awaited in its turn, or left with the run
    return chunk
  }
  let next = read(run.first)
  try {
    for (let index = run.first; index < run.list.length; index++) {
      if (!await grants.take(run.idleMs)) break
      // Read ahead, it may have come before the chunk was held (a colleague still fetching the file): read again then.
      const data = await next ?? await source.read(index)
      next = read(index + 1) // from the disk while this one is sent
      if (grants.fault !== undefined) break
      if (data === undefined) throw transferError('TRANSFER_NOT_HELD', `this node does not hold chunk ${index} of that file yet`)
      await sendWhole(run.stream, chunkFrame(index, data), run.idleMs)
      grants.sent()
    }
  } finally {
    grants.end()
    await Promise.allSettled([reading, next])
    await source.close()
  }
  if (grants.fault !== undefined) throw grants.fault
}

/** Sends bytes on the stream, waiting (at most `idleMs`) for it to drain if its buffer is full. */
async function sendWhole (stream: Stream, bytes: Uint8ArrayList, idleMs: number): Promise<void> {
  if (stream.send(bytes)) return
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error): void => {
      clearTimeout(timer)
      stream.removeEventListener('drain', drained)
      stream.removeEventListener('close', closed)
      if (error === undefined) resolve(); else reject(error)
    }
    const drained = (): void => { settle() }
    const closed = (): void => { settle(new Error('the stream closed before it drained')) }
    const timer = setTimeout(() => { settle(transferError('TRANSFER_STALLED', `the requester took nothing for ${idleMs} ms`)) }, idleMs)
    stream.addEventListener('drain', drained)
    stream.addEventListener('close', closed)
  })
}

/** Reads the requester's grants until it closes its side, a frame is bad, or the run ends. */
async function readGrants (frames: Frames, grants: Grants): Promise<void> {
  try {
    while (!grants.ended) {
      const frame = await readFrame(frames, FileGrant, 'grant', { signal: grants.signal })
      grants.add(frame.grant)
    }
  } catch (error) {
    // A bad grant is the requester's fault; the end of its side, a reset or an abort is not.
    if (!grants.ended) grants.stop(frameFault(error) === undefined ? undefined : requesterFault(error))
  }
}

/** What the requester granted and the holder has not sent yet, and the wait for more. */
class Grants {
  fault: unknown
  ended = false
  readonly #abort = new AbortController()
  #left: number
  readonly #max: number
  #stopped = false
  #wake: (() => void) | undefined
  readonly #onFault: (fault: unknown) => void

  constructor (initial: number, max: number, onFault: (fault: unknown) => void) {
    this.#max = max
    this.#left = 0
    this.#onFault = onFault
    this.add(initial)
  }

  get signal (): AbortSignal { return this.#abort.signal }

  add (grant: number): void {
    this.#left += grant
    if (this.#left > this.#max) this.stop(transferError('TRANSFER_WINDOW_EXCEEDED', `more than ${this.#max} chunks asked at once`))
    this.#wake?.()
  }

  /** No more grants will come: the requester closed its side (`fault` undefined) or erred. */
  stop (fault: unknown): void {
    if (this.fault === undefined && fault !== undefined) {
      this.fault = fault
      if (codedError(fault)?.code !== 'TRANSFER_STALLED') this.#onFault(fault)
    }
    this.#stopped = true
    this.#wake?.()
  }

  /** Waits up to `idleMs` for a grant; false if none will come. The chunk counts as granted until `sent`. */
  async take (idleMs: number): Promise<boolean> {
    if (this.fault !== undefined) return false
    if (this.#left === 0 && !this.#stopped) await this.#waitForGrant(idleMs)
    return this.fault === undefined && this.#left > 0
  }

  /** One granted chunk written. */
  sent (): void {
    this.#left--
  }

  /** The run is over: stop reading grants. */
  end (): void {
    this.ended = true
    this.#abort.abort()
  }

  async #waitForGrant (idleMs: number): Promise<void> {
    await new Promise<void>(resolve => {
      const timer = setTimeout(() => { this.stop(transferError('TRANSFER_STALLED', `no grant for ${idleMs} ms`)); resolve() }, idleMs)
      this.#wake = () => { clearTimeout(timer); this.#wake = undefined; resolve() }
    })
  }
}
