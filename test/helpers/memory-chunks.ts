// The transfer ports (core/protocol/file-ports.ts) in memory, for tests: a holder of whole or
// partial files, and a sink for one file that outlives the node fetching it (as a store on disk
// would), so that a test can stop a node half-way and resume into the same sink.
import { randomBytes } from 'node:crypto'
import { CausetteError } from '../../core/errors.js'
import { chunkListOf, chunkListSha256, matchesEntry, type ChunkBytes, type ChunkHolder, type ChunkList, type ChunkSink } from '../../core/protocol/file-ports.js'

/** A file as a holder keeps it: its id, its ciphertext chunks and the descriptor's chunksSha256. */
export interface MemoryFile {
  fileId: string
  chunks: Uint8Array[]
  list: ChunkList
  chunksSha256: Uint8Array
}

/** `totalBytes` of random "ciphertext" in chunks of `chunkBytes` (the last shorter); its id derived from it. */
export function randomFile (totalBytes: number, chunkBytes: number): MemoryFile {
  const chunks: Uint8Array[] = []
  for (let offset = 0; offset < totalBytes || chunks.length === 0; offset += chunkBytes) {
    chunks.push(new Uint8Array(randomBytes(Math.min(chunkBytes, totalBytes - offset))))
  }
  return fileOf(chunks)
}

export function fileOf (chunks: Uint8Array[]): MemoryFile {
  const list = chunkListOf(chunks)
  const chunksSha256 = chunkListSha256(list)
  return { fileId: Buffer.from(chunksSha256).toString('hex'), chunks, list, chunksSha256 }
}

export class MemoryHolder implements ChunkHolder {
  readonly #files = new Map<string, { list: ChunkList, chunks: Array<Uint8Array | undefined> }>()
  /** Chunks read, for tests of what was served. */
  reads = 0

  /** Holds `file`; with `heldChunks`, only its first chunks (a colleague still fetching it). */
  add (file: MemoryFile, heldChunks = file.chunks.length): this {
    this.#files.set(file.fileId, { list: file.list, chunks: file.chunks.map((chunk, index) => index < heldChunks ? chunk : undefined) })
    return this
  }

  async chunkList (fileId: string): Promise<ChunkList | undefined> {
    return this.#files.get(fileId)?.list
  }

  async readChunk (fileId: string, index: number): Promise<Uint8Array | undefined> {
    this.reads++
    return this.#files.get(fileId)?.chunks[index]
  }
}

/** A sink that keeps what it is given in memory; `written` is the file once complete. */
export class MemorySink implements ChunkSink {
  #list: ChunkList | undefined
  readonly #chunks: Uint8Array[] = []
  completed = false

  async chunkList (): Promise<ChunkList | undefined> { return this.#list }
  async saveChunkList (list: ChunkList): Promise<void> { this.#list = list }
  async nextChunk (): Promise<number> { return this.#chunks.length }

  /** Keeps the chunk only if it is its list entry's, as a sink must (FILE_BAD_CHUNK otherwise). */
  async writeChunk (index: number, data: ChunkBytes): Promise<void> {
    if (index !== this.#chunks.length) throw new Error(`chunk ${index} written out of order (next is ${this.#chunks.length})`)
    const entry = this.#list?.[index]
    if (entry === undefined || !matchesEntry(data, entry)) throw new CausetteError('FILE_BAD_CHUNK', `chunk ${index} is not the one the chunk list names`)
    this.#chunks.push(data.subarray())
  }

  async complete (): Promise<void> { this.completed = true }

  /** The chunks written so far. */
  get chunks (): readonly Uint8Array[] { return this.#chunks }

  /** The file's bytes, whole. */
  bytes (): Buffer { return Buffer.concat(this.#chunks) }
}
