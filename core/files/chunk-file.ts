// The chunks of one stored file on disk (docs/files.md): its ciphertext chunks in one `data` file, chunk
// i at i × the first chunk's length, and the held log (held-log.ts) saying which are whole. A fetch
// keeps both open and writes the chunks under way in batches, one positioned writev and one log
// append a batch; every SYNC_EVERY_BYTES written one fdatasync makes them durable. A file, an fsync
// and a rename a chunk had cost the fetcher a third of its throughput. A holder serving the file, or
// a save, reads it through one ChunkReader a run rather than opening it for every chunk.
import { close, constants, fdatasync, fstat, ftruncate, open as openFd, read, writev } from 'node:fs'
import { open, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { writeAtomically } from './atomic-write.js'
import { compactHeldLog, decodeHeldLog, encodeHeldRecord, heldChunks, RECORD_BYTES, type HeldRecord } from './held-log.js'
import { DATA_FILE, HELD_FILE } from './store-layout.js'
import { matchesEntry, type ChunkList } from '../protocol/file-ports.js'

/**
 * Bytes of chunks written between two fdatasyncs: what the store may have to read back and hash after
 * a power cut (32 MiB, a fraction of a second), whatever the file's chunk size. Every 8 MiB, the syncs
 * cost the fetcher a fifth of its CPU a MiB (6.4-6.8 against 5.5 ms into the store, 1 GiB, bench; docs/files.md).
 */
export const SYNC_EVERY_BYTES = 32 * 2 ** 20

// Plain descriptors rather than FileHandles: a handle the garbage collector meets open is a fatal
// error in current Node, and a writer's descriptors live as long as a fetch, across many awaits.
const openFile = promisify(openFd)
const closeFile = promisify(close)
const syncData = promisify(fdatasync)
const statFile = promisify(fstat)
const writeParts = promisify(writev)
const truncateFile = promisify(ftruncate)
const readAt = promisify(read)

/** Where chunk `index` starts in `data`: every chunk but the last has the first one's length (`stride`). */
export const chunkOffset = (stride: number, index: number): number => index * stride

/** A chunk given to a writer that closed: its file was removed, or its fetch ended (another may open it again). */
export class WriterClosedError extends Error {}

/** A chunk given to the writer and not written yet. */
interface QueuedChunk {
  index: number
  offset: number
  parts: readonly Uint8Array[]
  written: () => void
  failed: (error: unknown) => void
}

/**
 * Writes the chunks of one file being fetched or sealed, then closes. Chunks given while a batch is
 * being written wait for the next batch: each batch is one writev a run of adjacent chunks (they
 * are adjacent in the data file) and one append of their held records, so a fetcher keeping a few
 * chunks under way pays a few system calls a batch rather than a few a chunk.
 */
export class ChunkWriter {
  readonly #data: number
  readonly #log: number
  /** Records appended, in order: a synced record names how many came before the fdatasync. */
  #records: number
  #sinceSync = 0
  #queue: QueuedChunk[] = []
  #writing: Promise<void> | undefined
  #logTail: Promise<unknown> = Promise.resolve()
  /** An append failed (a full disk) and may have left part of its record: cut off before the next. */
  #logTorn = false
  #syncing: Promise<void> | undefined
  #closed = false
  #closing: Promise<void> | undefined

  private constructor (data: number, log: number, records: number) {
    this.#data = data
    this.#log = log
    this.#records = records
  }

  /** Opens (creating them if needed) the data file and the held log of the file in `dir`. */
  static async open (dir: string): Promise<ChunkWriter> {
    // Read and write, created if missing, never truncated, never O_APPEND (it would ignore the offsets).
    const data = await openFile(join(dir, DATA_FILE), constants.O_RDWR | constants.O_CREAT, 0o600)
    try {
      const log = await openFile(join(dir, HELD_FILE), 'a', 0o600)
      return new ChunkWriter(data, log, await wholeRecords(log))
    } catch (error) {
      await closeFile(data)
      throw error
    }
  }

  /**
   * Writes chunk `index` at `offset` and records it held: once this resolves, a SIGKILL keeps it. Every
   * SYNC_EVERY_BYTES an fdatasync starts beside the writes, never in their way: until it
   * ends, a power cut costs only the reading back of those chunks at the next start.
   */
  async write (index: number, offset: number, parts: readonly Uint8Array[]): Promise<void> {
    if (this.#closed || this.#closing !== undefined) throw new WriterClosedError('this chunk writer is closed')
    await new Promise<void>((resolve, reject) => {
      this.#queue.push({ index, offset, parts, written: resolve, failed: reject })
      this.#writing ??= this.#writeQueued()
    })
    this.#sinceSync += parts.reduce((sum, part) => sum + part.byteLength, 0)
    if (this.#sinceSync >= SYNC_EVERY_BYTES && this.#syncing === undefined) {
      // A failed one leaves its chunks to be checked at the next start; close reports.
      this.#syncing = this.sync().catch(() => {}).finally(() => { this.#syncing = undefined })
    }
  }

  /** Makes every chunk written so far durable, and says so in the log (`durableLog`: the log too). */
  async sync (durableLog = false): Promise<void> {
    this.#sinceSync = 0
    const covered = this.#records // their chunks were written before this fdatasync began
    await syncData(this.#data)
    await this.#append([{ kind: 'synced', records: covered }])
    if (durableLog) await syncData(this.#log)
  }

  /** Waits for the writes under way, makes them durable, and closes both files (once, whoever asks). */
  async close (durableLog = false): Promise<void> {
    this.#closing ??= this.#close(durableLog)
    await this.#closing
  }

  async #close (durableLog: boolean): Promise<void> {
    try {
      await this.#writing
      await this.#syncing
      await this.sync(durableLog)
    } finally {
      this.#closed = true
      await Promise.allSettled([closeFile(this.#data), closeFile(this.#log)])
    }
  }

  /** Writes what is queued, a batch at a time, until nothing is. */
  async #writeQueued (): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.sort((a, b) => a.offset - b.offset)
      this.#queue = []
      try {
        for (const run of adjacentRuns(batch)) await writeAll(this.#data, run.flatMap(chunk => chunk.parts), run[0]!.offset)
        await this.#append(batch.map(chunk => ({ kind: 'held', index: chunk.index })))
        for (const chunk of batch) chunk.written()
      } catch (error) {
        for (const chunk of batch) chunk.failed(error)
      }
    }
    this.#writing = undefined
  }

  /** Appends records after those before it, in one write: positions in the log are the order of the calls. */
  async #append (records: readonly HeldRecord[]): Promise<void> {
    const appended = this.#logTail.then(async () => {
      if (this.#logTorn) this.#records = await wholeRecords(this.#log)
      this.#logTorn = true
      await writeAll(this.#log, records.map(encodeHeldRecord), null)
      this.#logTorn = false
      this.#records += records.length
    })
    this.#logTail = appended.catch(() => {})
    await appended
  }
}

/** The chunks of a batch sorted by offset, cut where one does not end where the next begins. */
function adjacentRuns (sorted: readonly QueuedChunk[]): QueuedChunk[][] {
  const runs: QueuedChunk[][] = []
  let end = -1
  for (const chunk of sorted) {
    if (chunk.offset !== end) runs.push([])
    runs[runs.length - 1]!.push(chunk)
    end = chunk.offset + chunk.parts.reduce((sum, part) => sum + part.byteLength, 0)
  }
  return runs
}

/** The whole records of the log open as `fd`, a record cut short (the disk filled under it) cut off so that the next ones can be read. */
async function wholeRecords (fd: number): Promise<number> {
  const { size } = await statFile(fd)
  if (size % RECORD_BYTES !== 0) await truncateFile(fd, size - size % RECORD_BYTES)
  return Math.floor(size / RECORD_BYTES)
}

/**
 * Writes every byte of `parts` at `position` (null: where an O_APPEND file ends). A write the disk
 * cuts short resolves with what it wrote; the rest is tried again, to be written or to give the error.
 */
async function writeAll (fd: number, parts: readonly Uint8Array[], position: number | null): Promise<void> {
  let rest = parts.filter(part => part.byteLength > 0)
  while (rest.length > 0) {
    const { bytesWritten } = await writeParts(fd, rest, position as number)
    if (bytesWritten === 0) throw Object.assign(new Error('the disk took none of the bytes'), { code: 'ENOSPC' })
    if (position !== null) position += bytesWritten
    rest = after(rest, bytesWritten)
  }
}

/** What is left of `parts` once their first `bytes` are written. */
function after (parts: readonly Uint8Array[], bytes: number): Uint8Array[] {
  const rest: Uint8Array[] = []
  for (const part of parts) {
    if (bytes >= part.byteLength) { bytes -= part.byteLength; continue }
    rest.push(bytes > 0 ? part.subarray(bytes) : part)
    bytes = 0
  }
  return rest
}

/**
 * The data file of one stored file, open for reading while a holder serves a run of its chunks: one
 * open and one close a run rather than a chunk. Closing waits for the reads under way, so that its
 * descriptor is never read after the system has given its number to another file.
 */
export class ChunkReader {
  readonly #fd: number
  readonly #reads = new Set<Promise<unknown>>()
  #closing: Promise<void> | undefined

  private constructor (fd: number) {
    this.#fd = fd
  }

  /** The data file in `dir`, open; undefined when it is gone (evicted meanwhile). */
  static async open (dir: string): Promise<ChunkReader | undefined> {
    try {
      return new ChunkReader(await openFile(join(dir, DATA_FILE), 'r'))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
  }

  /** The `bytes` at `offset`; undefined when the file is shorter, or this reader is closed. */
  async read (offset: number, bytes: number): Promise<Uint8Array | undefined> {
    if (this.#closing !== undefined) return undefined
    const chunk = new Uint8Array(bytes)
    const reading = readAt(this.#fd, chunk, 0, bytes, offset)
    this.#reads.add(reading)
    try {
      const { bytesRead } = await reading
      return bytesRead === bytes ? chunk : undefined
    } finally {
      this.#reads.delete(reading)
    }
  }

  /** Closes the file once the reads under way have ended (once, whoever asks). */
  async close (): Promise<void> {
    this.#closing ??= Promise.allSettled([...this.#reads]).then(async () => { await closeFile(this.#fd) })
    await this.#closing
  }
}

/** Records chunk `index` of the file in `dir` as no longer held (it failed authentication when read). */
export async function recordDropped (dir: string, index: number): Promise<void> {
  const handle = await open(join(dir, HELD_FILE), 'a', 0o600)
  try {
    await handle.write(encodeHeldRecord({ kind: 'dropped', index }))
  } finally {
    await handle.close()
  }
}

/**
 * The chunks of the file in `dir` that are whole, as its held log says, once checked: a chunk written
 * after the last fdatasync (a power cut may have lost it) is read back and hashed, and one the data
 * file is too short for is not held. A log that said more than that, or ends torn, is rewritten to
 * what was found (atomically, through `tmpDir`), so that later appends follow valid records.
 */
export async function loadHeldChunks (dir: string, tmpDir: string, list: ChunkList): Promise<Set<number>> {
  const logBytes = await readFile(join(dir, HELD_FILE)).catch(ignoreMissing)
  const { records, validBytes } = decodeHeldLog(logBytes === undefined ? new Uint8Array(0) : new Uint8Array(logBytes))
  const { trusted, unchecked } = heldChunks(records, list.length)
  const dataBytes = (await stat(join(dir, DATA_FILE)).catch(ignoreMissing))?.size ?? 0
  const stride = list[0]!.bytes
  const fits = (index: number): boolean => chunkOffset(stride, index) + list[index]!.bytes <= dataBytes
  const held = new Set([...trusted].filter(fits))
  const reader = [...unchecked].some(fits) ? await ChunkReader.open(dir) : undefined
  try {
    for (const index of unchecked) {
      if (!fits(index)) continue
      const chunk = await reader?.read(chunkOffset(stride, index), list[index]!.bytes)
      if (chunk !== undefined && matchesEntry(chunk, list[index]!)) held.add(index)
    }
  } finally {
    await reader?.close()
  }
  const logSaysSo = unchecked.size === 0 && held.size === trusted.size && validBytes === (logBytes?.byteLength ?? 0)
  if (!logSaysSo) await writeAtomically(tmpDir, join(dir, HELD_FILE), compactHeldLog(held))
  return held
}

function ignoreMissing (error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined
  throw error
}
