// The attachment store (docs/files.md): ciphertext chunks under the profile's `files/`, content-
// addressed by the attachment id (the chunk list's SHA-256), so a file received or sent twice is kept
// once. It holds only ciphertext and never a key: the key travels in the signed, sealed message.
// A chunk is written only once its SHA-256 is the one the stored chunk list names, and the list only
// once its SHA-256 is the id. The chunks of a file share one data file, with a held log saying which
// are whole (chunk-file.ts): what it says after a SIGKILL or a power cut is checked, and a download
// resumes at `nextChunk`. A per-profile limit evicts carried copies, oldest first,
// before refusing a write with FILE_STORE_FULL (the state a full disk gives too).
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { toHex } from '../../crypto/encoding.js'
import { CausetteError } from '../errors.js'
import { isDiskFull, storeFullError, syncDirectory, writeAtomically } from './atomic-write.js'
import { checkChunkListShape, readChunkList } from './chunk-list.js'
import { chunkOffset, ChunkReader, ChunkWriter, loadHeldChunks, recordDropped, WriterClosedError } from './chunk-file.js'
import { isAttachmentId } from './descriptor.js'
import { newDraft, type FileDraft } from './file-draft.js'
import { DEFAULT_FILE_LIMIT_BYTES, evictionFor, type QuotaEntry } from './quota.js'
import { CHUNK_LIST_FILE, encodeMeta, isFileDirName, META_FILE, readMeta, storeRoot, TMP_DIR, type Owner } from './store-layout.js'
import { CHUNK_ENTRY_BYTES, chunkListSha256, chunkParts, decodeChunkList, encodeChunkList, matchesEntry, type ChunkBytes, type ChunkEntry, type ChunkHolder, type ChunkList, type ChunkSink, type ChunkSource } from '../protocol/file-ports.js'

export interface AttachmentStoreInit {
  /** Bytes of stored files allowed in this profile; DEFAULT_FILE_LIMIT_BYTES (5 GiB) unless set. */
  limitBytes?: number
}

/** What `causette files` shows. */
export interface FilesUsage {
  limitBytes: number
  mineBytes: number
  carriedBytes: number
  mineFiles: number
  carriedFiles: number
}

/** One stored file as the store counts it. */
interface StoredFile extends QuotaEntry {
  dir: string
  /** Indexes of the verified chunks on disk. */
  held: Set<number>
  /** Set once the chunk list is stored. */
  chunkCount?: number
  /** The length of every chunk but the last (the first's), set with chunkCount: chunk i is at i × stride in the data file. */
  stride?: number
  /** The data file and held log, open while chunks are being written (closed by complete or release). */
  writer?: Promise<ChunkWriter>
  /** Evicted or removed while a write was under way: that write's chunk goes too. */
  removed: boolean
  /** The data file open for holders serving it (openChunks), closed when the file goes. */
  readers: Set<ChunkReader>
  /** The page of the stored chunk list read last (#listEntry). */
  listPage?: { first: number, entries: readonly ChunkEntry[] }
}

/** Chunk list entries read at once when a chunk is checked: 9 KiB. */
const LIST_PAGE_ENTRIES = 256

export class AttachmentStore implements ChunkHolder {
  readonly #root: string
  readonly #tmp: string
  readonly #files = new Map<string, StoredFile>()
  readonly #beginning = new Map<string, Promise<StoredFile>>()
  #limitBytes: number
  /** Bytes of every stored file, draft and write under way. */
  #usedBytes = 0

  private constructor (home: string, init: AttachmentStoreInit) {
    this.#root = storeRoot(home)
    this.#tmp = join(this.#root, TMP_DIR)
    this.#limitBytes = DEFAULT_FILE_LIMIT_BYTES
    if (init.limitBytes !== undefined) this.setLimit(init.limitBytes)
  }

  /** Opens the store of the profile at `home`: drops unfinished writes, counts what is stored. */
  static async open (home: string, init: AttachmentStoreInit = {}): Promise<AttachmentStore> {
    const store = new AttachmentStore(home, init)
    await mkdir(store.#root, { recursive: true, mode: 0o700 })
    await rm(store.#tmp, { recursive: true, force: true })
    await mkdir(store.#tmp, { mode: 0o700 })
    for (const name of await readdir(store.#root)) {
      if (isFileDirName(name)) await store.#load(name)
    }
    return store
  }

  async #load (id: string): Promise<void> {
    const dir = join(this.#root, id)
    const meta = await readMeta(dir)
    const list = meta === undefined ? undefined : await readListFile(dir, id)
    if (meta === undefined || list === 'damaged') {
      await rm(dir, { recursive: true, force: true })
      return
    }
    const file: StoredFile = { id, dir, ...meta, held: new Set(), bytes: 0, removed: false, readers: new Set() }
    if (list !== undefined) {
      file.chunkCount = list.length
      file.stride = list[0]!.bytes
      file.held = await loadHeldChunks(dir, this.#tmp, list)
      file.bytes = list.length * CHUNK_ENTRY_BYTES + [...file.held].reduce((sum, index) => sum + list[index]!.bytes, 0)
    }
    this.#files.set(id, file)
    this.#usedBytes += file.bytes
  }

  /**
   * What the stored files take, and how many there are; one `partOfAnother` names (an image's preview,
   * part of the image a person sent or received: file-service.ts) adds its bytes and is not counted.
   */
  usage (partOfAnother: (id: string) => boolean = () => false): FilesUsage {
    const usage: FilesUsage = { limitBytes: this.#limitBytes, mineBytes: 0, carriedBytes: 0, mineFiles: 0, carriedFiles: 0 }
    for (const file of this.#files.values()) {
      const counted = partOfAnother(file.id) ? 0 : 1
      if (file.owner === 'mine') { usage.mineBytes += file.bytes; usage.mineFiles += counted } else { usage.carriedBytes += file.bytes; usage.carriedFiles += counted }
    }
    usage.mineBytes += this.#usedBytes - usage.mineBytes - usage.carriedBytes // drafts and writes under way are the user's
    return usage
  }

  /** A new limit; it applies from the next write (nothing is evicted until room is needed). */
  setLimit (limitBytes: number): void {
    if (!Number.isSafeInteger(limitBytes) || limitBytes < 0) throw new CausetteError('BAD_REQUEST', 'a file limit is a whole number of bytes')
    this.#limitBytes = limitBytes
  }

  /** The carried copies and when each came: what a carrier's sweep looks at (core/files/carried-files.ts). */
  carriedFiles (): Array<{ id: string, addedAt: number, bytes: number }> {
    return [...this.#files.values()].filter(file => file.owner === 'carried').map(({ id, addedAt, bytes }) => ({ id, addedAt, bytes }))
  }

  /** Whether the store holds every chunk of `id`, and whose it is. */
  state (id: string): { owner: Owner, complete: boolean } | undefined {
    const file = this.#files.get(id)
    return file === undefined ? undefined : { owner: file.owner, complete: isComplete(file) }
  }

  async chunkList (id: string): Promise<ChunkList | undefined> {
    const file = this.#files.get(id)
    if (file?.chunkCount === undefined) return undefined
    const list = await readListFile(file.dir, id)
    return list === 'damaged' ? undefined : list
  }

  async readChunk (id: string, index: number): Promise<Uint8Array | undefined> {
    if (this.#files.get(id)?.held.has(index) !== true) return undefined // no file to open for it
    const source = await this.openChunks(id)
    try {
      return await source.read(index)
    } finally {
      await source.close()
    }
  }

  /**
   * The chunks of `id` for a holder serving a run of them, its data file open until `close`: a
   * chunk held meanwhile (a colleague still fetching the file) can be read too, and none once the
   * file is evicted or removed (its readers are closed then).
   */
  async openChunks (id: string): Promise<ChunkSource> {
    const file = this.#files.get(id)
    const reader = file === undefined || file.chunkCount === undefined ? undefined : await ChunkReader.open(file.dir)
    if (file === undefined || reader === undefined) return { read: async () => undefined, close: async () => {} }
    file.readers.add(reader)
    if (file.removed) void reader.close() // evicted while it opened
    return {
      read: async index => {
        if (!file.held.has(index)) return undefined
        const entry = await this.#listEntry(file, index)
        return await reader.read(chunkOffset(file.stride!, index), entry.bytes)
      },
      close: async () => {
        file.readers.delete(reader)
        await reader.close()
      }
    }
  }

  /** The first chunk not held: where a download starts or resumes (chunkCount once whole). */
  nextChunk (id: string): number {
    const file = this.#files.get(id)
    let index = 0
    while (file?.held.has(index) === true) index++
    return index
  }

  /** Makes room for a file to fetch, as the user's own or carried for a colleague; a carried file the user now receives becomes theirs. */
  async begin (id: string, owner: Owner): Promise<void> {
    if (!isAttachmentId(id)) throw new CausetteError('FILE_BAD_DESCRIPTOR', 'an attachment id is 64 lower-case hex digits')
    const file = this.#files.get(id) ?? await this.#create(id, owner)
    if (owner === 'mine' && file.owner === 'carried') await this.#claim(file)
  }

  #create (id: string, owner: Owner): Promise<StoredFile> {
    const pending = this.#beginning.get(id) ?? this.#makeDir(id, owner).finally(() => this.#beginning.delete(id))
    this.#beginning.set(id, pending)
    return pending
  }

  async #makeDir (id: string, owner: Owner): Promise<StoredFile> {
    const dir = join(this.#root, id)
    const file: StoredFile = { id, dir, owner, addedAt: Date.now(), held: new Set(), bytes: 0, removed: false, readers: new Set() }
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 })
    } catch (error) {
      throw isDiskFull(error) ? storeFullError(error) : error
    }
    await writeAtomically(this.#tmp, join(dir, META_FILE), encodeMeta(file))
    this.#files.set(id, file)
    return file
  }

  async #claim (file: StoredFile): Promise<void> {
    await writeAtomically(this.#tmp, join(file.dir, META_FILE), encodeMeta({ ...file, owner: 'mine' }))
    file.owner = 'mine'
  }

  /** Keeps the chunk list of `id` once its SHA-256 is the id (the descriptor's chunksSha256). */
  async saveChunkList (id: string, list: ChunkList): Promise<void> {
    const file = this.#require(id)
    if (file.chunkCount !== undefined) return
    checkChunkListShape(list)
    if (toHex(chunkListSha256(list)) !== id) throw new CausetteError('FILE_BAD_CHUNK_LIST', 'the chunk list is not the one the attachment id names')
    const bytes = encodeChunkList(list)
    await this.#writeCounted(file, join(file.dir, CHUNK_LIST_FILE), bytes)
    file.stride ??= list[0]!.bytes
    file.chunkCount ??= list.length
  }

  /**
   * Keeps chunk `index` of `id` once its length and SHA-256 are the ones its chunk list names. The
   * chunk may be the buffers it arrived in: hashed and written part after part, never joined.
   */
  async writeChunk (id: string, index: number, data: ChunkBytes): Promise<void> {
    const file = this.#require(id)
    if (file.chunkCount === undefined) throw new CausetteError('FILE_NOT_HELD', 'no chunk list is stored for this attachment yet')
    if (!Number.isSafeInteger(index) || index < 0 || index >= file.chunkCount) throw new CausetteError('FILE_BAD_CHUNK', `the attachment has no chunk ${index}`)
    if (file.held.has(index)) return
    const parts = chunkParts(data)
    const bytes = data.byteLength
    // Counted before any wait, in the order the chunks are given: a full store refuses the later
    // chunks under way, never an earlier one (the fetch resumes at the first chunk not kept).
    await this.#reserve(bytes, file.id)
    try {
      const entry = await this.#listEntry(file, index)
      if (!matchesEntry(data, entry)) throw new CausetteError('FILE_BAD_CHUNK', `chunk ${index} is not the one the chunk list names`)
      await this.#writeToData(file, index, parts)
    } catch (error) {
      this.#usedBytes -= bytes
      if (file.removed) return // evicted meanwhile: its writer closed under this chunk
      throw isDiskFull(error) ? storeFullError(error) : error
    }
    if (file.removed || file.held.has(index)) {
      this.#usedBytes -= bytes // evicted meanwhile (its folder is gone), or written twice
      return
    }
    file.held.add(index)
    file.bytes += bytes
  }

  /** Refuses unless every chunk of `id` is held; makes them durable, log and folder included. */
  async complete (id: string): Promise<void> {
    const file = this.#require(id)
    if (!isComplete(file)) throw new CausetteError('FILE_NOT_HELD', 'the attachment is not held whole yet')
    if (file.writer === undefined) return
    await this.#closeWriter(file, true)
    await syncDirectory(file.dir)
  }

  /** The fetch of `id` stopped: what it wrote is made durable and its files are closed. */
  async release (id: string): Promise<void> {
    const file = this.#files.get(id)
    if (file !== undefined) await this.#closeWriter(file, false)
  }

  /** Forgets chunk `index` of `id` (it failed authentication when opened: damaged on disk), so it is fetched again. */
  async dropChunk (id: string, index: number): Promise<void> {
    const file = this.#files.get(id)
    if (file === undefined || !file.held.has(index)) return
    const { bytes } = await this.#listEntry(file, index)
    await recordDropped(file.dir, index)
    if (!file.held.delete(index)) return // dropped meanwhile
    file.bytes -= bytes
    this.#usedBytes -= bytes
  }

  async remove (id: string): Promise<void> {
    const file = this.#files.get(id)
    if (file === undefined) return
    await this.#forget(file)
    await rm(file.dir, { recursive: true, force: true })
  }

  /** What a recipient's download writes into: the port core/files/fetch uses. */
  sink (id: string, owner: Owner): ChunkSink {
    return {
      chunkList: async () => await this.chunkList(id),
      saveChunkList: async list => { await this.begin(id, owner); await this.saveChunkList(id, list) },
      nextChunk: async () => this.nextChunk(id),
      writeChunk: async (index, data) => { await this.writeChunk(id, index, data) },
      complete: async () => { await this.complete(id) },
      end: async () => { await this.release(id) }
    }
  }

  /** A file the user sends: its chunks are written as they are sealed, and it gets its id at commit. */
  async draft (): Promise<FileDraft> {
    return await newDraft({
      tmpDir: this.#tmp,
      reserve: async bytes => { await this.#reserve(bytes, '') },
      release: bytes => { this.#usedBytes -= bytes },
      adopt: async (dir, list, bytes) => await this.#adoptDraft(dir, list, bytes)
    })
  }

  /** A sealed draft becomes a stored file of the user's, or is dropped for the copy already stored. */
  async #adoptDraft (draftDir: string, list: ChunkEntry[], draftBytes: number): Promise<string> {
    const id = toHex(chunkListSha256(list))
    const existing = this.#files.get(id)
    if (existing !== undefined && isComplete(existing)) {
      if (existing.owner === 'carried') await this.#claim(existing)
      this.#usedBytes -= draftBytes
      await rm(draftDir, { recursive: true, force: true })
      return id
    }
    if (existing !== undefined) await this.remove(id) // a partial download of the same ciphertext: the draft is whole
    const listBytes = encodeChunkList(list)
    await this.#reserve(listBytes.length, '')
    const file: StoredFile = { id, dir: join(this.#root, id), owner: 'mine', addedAt: Date.now(), held: new Set(list.keys()), chunkCount: list.length, stride: list[0]!.bytes, bytes: draftBytes + listBytes.length, removed: false, readers: new Set() }
    try {
      await writeAtomically(this.#tmp, join(draftDir, CHUNK_LIST_FILE), listBytes)
      await writeAtomically(this.#tmp, join(draftDir, META_FILE), encodeMeta(file))
      // The file a message names must not vanish with a power cut: its chunks' entries, then its own.
      await syncDirectory(draftDir)
      await rename(draftDir, file.dir)
      await syncDirectory(this.#root)
    } catch (error) {
      this.#usedBytes -= listBytes.length
      throw error
    }
    this.#files.set(id, file)
    return id
  }

  /** Writes one file of `file` atomically, counted against the limit; not kept if the file went meanwhile. */
  async #writeCounted (file: StoredFile, path: string, data: Uint8Array): Promise<void> {
    const bytes = data.byteLength
    await this.#reserve(bytes, file.id)
    try {
      await writeAtomically(this.#tmp, path, data)
    } catch (error) {
      this.#usedBytes -= bytes
      throw error
    }
    if (file.removed) {
      this.#usedBytes -= bytes
      await rm(path, { force: true })
      return
    }
    file.bytes += bytes
  }

  #writerOf (file: StoredFile): Promise<ChunkWriter> {
    if (file.writer !== undefined) return file.writer
    const opening = ChunkWriter.open(file.dir)
    file.writer = opening
    opening.catch(() => { if (file.writer === opening) file.writer = undefined }) // a failed open (a full disk) is tried again at the next chunk
    return opening
  }

  /** Writes a checked chunk to the file's data; a writer another fetch of the file closed meanwhile is opened again. */
  async #writeToData (file: StoredFile, index: number, parts: readonly Uint8Array[]): Promise<void> {
    const offset = chunkOffset(file.stride!, index)
    try {
      await (await this.#writerOf(file)).write(index, offset, parts)
    } catch (error) {
      if (!(error instanceof WriterClosedError) || file.removed) throw error
      await (await this.#writerOf(file)).write(index, offset, parts)
    }
  }

  async #closeWriter (file: StoredFile, durableLog: boolean): Promise<void> {
    const writer = file.writer
    file.writer = undefined
    await (await writer?.catch(() => undefined))?.close(durableLog)
  }

  /** Counts `bytes` more, evicting carried files (oldest first, never `keepId`) if needed; refuses when that would not do. */
  async #reserve (bytes: number, keepId: string): Promise<void> {
    const victims = evictionFor(this.#files.values(), this.#usedBytes, this.#limitBytes, bytes, keepId)
    if (victims === undefined) {
      throw new CausetteError('FILE_STORE_FULL', `the profile's file limit (${this.#limitBytes} bytes) is reached: the file is paused until space is freed; nothing stored was lost`)
    }
    const forgotten = victims.map(victim => this.#forget(this.#files.get(victim.id)!))
    this.#usedBytes += bytes
    await Promise.all(victims.map(async (victim, at) => {
      await forgotten[at]
      await rm(join(this.#root, victim.id), { recursive: true, force: true })
    }))
  }

  /**
   * Forgets `file` at once (its bytes no longer count); resolves once the holders serving it have
   * closed its data file, which Windows needs before its folder can go.
   */
  async #forget (file: StoredFile): Promise<void> {
    file.removed = true
    this.#files.delete(file.id)
    this.#usedBytes -= file.bytes
    // Its folder goes: the writes under way end in files already unlinked, then the writer closes.
    this.#closeWriter(file, false).catch(() => {})
    await Promise.allSettled([...file.readers].map(async reader => { await reader.close() }))
  }

  #require (id: string): StoredFile {
    const file = this.#files.get(id)
    if (file === undefined) throw new CausetteError('FILE_NOT_HELD', 'this attachment is not in the store')
    return file
  }

  /**
   * Entry `index` of the stored chunk list, read a page at a time (LIST_PAGE_ENTRIES, 9 KiB) and the
   * last page kept: memory stays flat whatever the list's size, and a download opens the list once a
   * page rather than once a chunk. The list never changes once stored.
   */
  async #listEntry (file: StoredFile, index: number): Promise<ChunkEntry> {
    const page = file.listPage
    const cached = page !== undefined ? page.entries[index - page.first] : undefined
    if (cached !== undefined) return cached
    const first = index - index % LIST_PAGE_ENTRIES
    const handle = await open(join(file.dir, CHUNK_LIST_FILE), 'r')
    try {
      const bytes = new Uint8Array(LIST_PAGE_ENTRIES * CHUNK_ENTRY_BYTES)
      const { bytesRead } = await handle.read(bytes, 0, bytes.byteLength, first * CHUNK_ENTRY_BYTES)
      const entries = decodeChunkList(bytes.subarray(0, bytesRead - bytesRead % CHUNK_ENTRY_BYTES))!
      const entry = entries[index - first]
      if (entry === undefined) throw new CausetteError('FILE_BAD_CHUNK_LIST', 'the stored chunk list is shorter than its chunk count')
      file.listPage = { first, entries }
      return entry
    } finally {
      await handle.close()
    }
  }
}

function isComplete (file: StoredFile): boolean {
  return file.chunkCount !== undefined && file.held.size === file.chunkCount
}

/** The stored chunk list, undefined when none is stored, 'damaged' when it no longer decodes or proves its id. */
async function readListFile (dir: string, id: string): Promise<ChunkEntry[] | undefined | 'damaged'> {
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await readFile(join(dir, CHUNK_LIST_FILE)))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    const list = readChunkList(bytes)
    return toHex(chunkListSha256(list)) === id ? list : 'damaged'
  } catch {
    return 'damaged'
  }
}
