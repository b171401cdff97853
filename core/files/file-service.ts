// The files of this desk's messages (docs/files.md, "Sending" and "Receiving"): files staged to send,
// a record for every attachment of a message stored here, and the fetch queue that brings each file
// received into the store: previews first, then files in arrival order, FETCH_CONCURRENCY at a
// time; from the author, then every other connected member (whoever holds it answers). No holder:
// `waiting`, tried again when a member connects (and every RETRY_WAITING_MS); the store full:
// `paused`, tried again once the limit is raised or room is freed; cancelled: stops at the next
// chunk, keeping what it has; a restart resumes every unfinished fetch from its last checked chunk.
import { fromHex } from '../../crypto/encoding.js'
import type { Sodium } from '../../crypto/sodium.js'
import { CausetteError, codedError, type ErrorCode } from '../errors.js'
import type { HolderLink } from '../protocol/file-ports.js'
import { AttachmentIndex, type AttachmentRecord, type AttachmentState, type AttachmentStatus } from './attachment-index.js'
import type { AttachmentStore, FilesUsage } from './attachment-store.js'
import { filesOf, type BodyAttachment } from './body-attachment.js'
import { attachmentId, type AttachmentDescriptor } from './descriptor.js'
import { plaintextChunks } from './file-decryptor.js'
import { fetchFile, type HolderFault } from './fetcher.js'
import { ProgressGate } from './progress.js'
import type { RecordTable } from './record-table.js'
import { StagedFiles, type StagedValue } from './staged-files.js'
import { encryptUploadToStore, type IncomingFile } from './upload-encryptor.js'

/** Files fetched at once: a big file never holds up every other. */
export const FETCH_CONCURRENCY = 2
/** How often waiting files are tried again while nobody new connects (a holder that was busy). */
export const RETRY_WAITING_MS = 30_000
/** How often staged files are checked for expiry. */
const STAGED_SWEEP_MS = 3_600_000

export interface FileServiceComponents {
  store: AttachmentStore
  sodium: Sodium
  records: RecordTable<AttachmentRecord>
  staged: RecordTable<StagedValue>
  /** Our PeerId: a file we sent is ours, held from the start. */
  self: string
  /** The connected members of the workspace other than us, asked after the author. */
  connectedMembers: () => string[]
  holderLink: (peer: string) => HolderLink
  /** A holder that served what the descriptor does not prove (the node journals it). */
  holderFault: (fault: HolderFault) => void
  /** An attachment changed state, or made progress (at most 4 times a second). */
  changed: (status: AttachmentStatus) => void
  now: () => number
  log: (format: string, ...args: unknown[]) => void
  concurrency?: number
}

/** What a send request names: staged files (core/api/schema.ts AttachmentRequest). */
export interface StagedAttachmentRequest {
  file: string
  preview?: string
  width?: number
  height?: number
}

/** A staged file as the API shows it. */
export interface StagedFile { id: string, name: string, size: number, type: string, sha256: string }

interface Running {
  cancelled: boolean
  progress: ProgressGate
  received: number
  done: Promise<void>
}

/** Thrown from a fetch's progress to end it: the user cancelled, or the node stops. */
class FetchStopped extends Error {}

export class FileService {
  readonly #c: FileServiceComponents
  readonly #index: AttachmentIndex
  readonly #staged: StagedFiles
  readonly #previews: string[] = []
  readonly #files: string[] = []
  readonly #running = new Map<string, Running>()
  /** Holders that lied about a file: not asked for it again while the node runs. */
  readonly #faulty = new Map<string, Set<string>>()
  readonly #timers: Array<ReturnType<typeof setInterval>> = []
  #started = false
  #stopped = false
  /** Notes of stored messages, one after the other: two notes of one file never race. */
  #noting: Promise<void> = Promise.resolve()

  private constructor (components: FileServiceComponents, index: AttachmentIndex, staged: StagedFiles) {
    this.#c = components
    this.#index = index
    this.#staged = staged
  }

  static async load (components: FileServiceComponents): Promise<FileService> {
    return new FileService(components, await AttachmentIndex.load(components.records), await StagedFiles.load(components.staged))
  }

  get store (): AttachmentStore { return this.#c.store }

  /** Resumes every unfinished fetch, and starts the retries and the expiry of staged files. */
  start (): void {
    this.#started = true
    for (const [id, record] of this.#index.all()) {
      if (record.state !== 'held' && record.state !== 'cancelled') this.#enqueue(id, record)
    }
    this.#every(RETRY_WAITING_MS, () => { this.#retryWhere('waiting') })
    this.#every(STAGED_SWEEP_MS, () => { void this.dropExpiredStaged().catch(error => { this.#c.log('files: could not drop expired staged files: %e', error) }) })
    this.#pump()
  }

  /** Stops starting fetches; a running one ends at its next chunk and resumes at the next start. */
  stop (): void {
    this.#stopped = true
    for (const timer of this.#timers) clearInterval(timer)
  }

  #every (ms: number, run: () => void): void {
    const timer = setInterval(run, ms)
    timer.unref()
    this.#timers.push(timer)
  }

  // Sending

  async stage (file: IncomingFile): Promise<StagedFile> {
    const descriptor = await encryptUploadToStore(this.#c.sodium, this.#c.store, file)
    await this.#staged.add(descriptor, this.#c.now())
    return stagedView(descriptor)
  }

  /** Drops a staged file and, unless a message carries it, its chunks. */
  async dropStaged (id: string): Promise<void> {
    this.#staged.get(id)
    await this.#staged.remove(id)
    if (!this.#index.has(id)) {
      await this.#c.store.remove(id)
      this.#retryWhere('paused') // room freed
    }
  }

  async dropExpiredStaged (): Promise<void> {
    for (const id of this.#staged.expired(this.#c.now())) await this.dropStaged(id)
  }

  /** The attachments a send request names, from the staged files (NOT_FOUND for one not staged). */
  bodyAttachments (requests: readonly StagedAttachmentRequest[]): BodyAttachment[] {
    return requests.map(request => ({
      ...this.#staged.get(request.file),
      ...(request.width !== undefined ? { width: request.width } : {}),
      ...(request.height !== undefined ? { height: request.height } : {}),
      ...(request.preview !== undefined ? { preview: this.#staged.get(request.preview) } : {})
    }))
  }

  /** The message that carries them is stored: they are staged no more (its record holds them now). */
  async sent (attachments: readonly BodyAttachment[]): Promise<void> {
    for (const { descriptor } of filesOf(attachments)) await this.#staged.remove(attachmentId(descriptor))
  }

  // Receiving

  /** A message carrying `attachments` is stored here (sent or received): each file gets its record, and a fetch unless held. */
  async noteMessage (message: { id: string, author: string }, attachments: readonly BodyAttachment[]): Promise<void> {
    const noted = this.#noting.then(async () => { await this.#note(message, attachments) })
    this.#noting = noted.catch(() => {})
    await noted
  }

  async #note (message: { id: string, author: string }, attachments: readonly BodyAttachment[]): Promise<void> {
    const byId = new Map(attachments.map(a => [attachmentId(a), a]))
    for (const file of filesOf(attachments)) {
      const id = attachmentId(file.descriptor)
      const stored = this.#c.store.state(id)
      if (stored?.owner === 'carried') await this.#c.store.begin(id, 'mine') // a carried copy is the user's now
      const state: AttachmentState = stored?.complete === true ? 'held' : 'waiting'
      const attachment = byId.get(id)
      const added = await this.#index.note({ ...file, ...(attachment !== undefined ? { attachment } : {}) }, message.id, message.author, state, this.#c.now())
      if (added) {
        this.#emit(id)
        if (state !== 'held') this.#enqueue(id, this.#index.get(id)!)
      }
    }
    this.#pump()
  }

  /** Whether every file of `attachments` has its record (else the message is noted again). */
  knows (attachments: readonly BodyAttachment[]): boolean {
    return filesOf(attachments).every(file => this.#index.has(attachmentId(file.descriptor)))
  }

  /** How a message's attachments show now, in the order sent. */
  shown (attachments: readonly BodyAttachment[]): AttachmentStatus[] {
    return attachments.map(a => this.#statusOf(attachmentId(a), this.#index.get(attachmentId(a)) ?? provisional(a, this.#heldState(attachmentId(a)))))
  }

  attachment (id: string): AttachmentStatus {
    const record = this.#index.get(id)
    if (record === undefined) throw new CausetteError('NOT_FOUND', 'no message here carries that attachment')
    return this.#statusOf(id, record)
  }

  /** The checked plaintext of a held attachment. */
  async content (id: string): Promise<{ attachment: AttachmentStatus, content: AsyncIterable<Uint8Array> }> {
    const attachment = this.attachment(id)
    if (attachment.state !== 'held') throw new CausetteError('FILE_NOT_HELD', `the attachment is ${attachment.state}, not held yet`)
    return { attachment, content: plaintextChunks(this.#c.sodium, this.#c.store, this.#index.get(id)!.descriptor) }
  }

  async cancel (id: string): Promise<AttachmentStatus> {
    const record = this.#require(id)
    if (record.state === 'held' || record.state === 'cancelled') return this.#statusOf(id, record)
    const running = this.#running.get(id)
    if (running !== undefined) running.cancelled = true
    this.#unqueue(id)
    await this.#setState(id, 'cancelled')
    return this.attachment(id)
  }

  async retry (id: string): Promise<AttachmentStatus> {
    const record = this.#require(id)
    const running = this.#running.get(id)
    if (running?.cancelled === true) { // cancelled, and its fetch has not reached its next chunk yet: it goes on
      running.cancelled = false
      await this.#setState(id, 'fetching')
    } else if (record.state !== 'held' && running === undefined) {
      this.#faulty.delete(id)
      await this.#setState(id, 'waiting')
      this.#enqueue(id, this.#index.get(id)!)
      this.#pump()
    }
    return this.attachment(id)
  }

  /** A member connected: it may hold what waits. */
  memberConnected (): void {
    this.#retryWhere('waiting')
  }

  /** A new limit for the store: what was paused for room is tried again. */
  setLimit (limitBytes: number): void {
    this.#c.store.setLimit(limitBytes)
    this.#retryWhere('paused')
  }

  usage (): FilesUsage {
    return this.#c.store.usage()
  }

  // The queue

  #retryWhere (state: AttachmentState): void {
    if (!this.#started || this.#stopped) return
    for (const [id, record] of this.#index.all()) if (record.state === state) this.#enqueue(id, record)
    this.#pump()
  }

  #enqueue (id: string, record: AttachmentRecord): void {
    if (this.#running.has(id) || this.#previews.includes(id) || this.#files.includes(id)) return
    ;(record.preview === true ? this.#previews : this.#files).push(id)
  }

  #unqueue (id: string): void {
    for (const queue of [this.#previews, this.#files]) {
      const at = queue.indexOf(id)
      if (at >= 0) queue.splice(at, 1)
    }
  }

  #pump (): void {
    if (!this.#started || this.#stopped) return
    while (this.#running.size < (this.#c.concurrency ?? FETCH_CONCURRENCY)) {
      const id = this.#previews.shift() ?? this.#files.shift()
      if (id === undefined) return
      const record = this.#index.get(id)
      if (record === undefined || record.state === 'held' || record.state === 'cancelled') continue
      const received = receivedBytes(record.descriptor, this.#c.store.nextChunk(id)) // kept from an earlier fetch
      const running: Running = { cancelled: false, progress: new ProgressGate(received, this.#c.now), received, done: Promise.resolve() }
      this.#running.set(id, running)
      running.done = this.#fetch(id, record, running)
        .catch(error => { this.#c.log('files: fetching %s: %e', id, error) })
        .finally(() => { this.#running.delete(id); this.#pump() })
    }
  }

  async #fetch (id: string, record: AttachmentRecord, running: Running): Promise<void> {
    const { store } = this.#c
    const descriptor = record.descriptor
    await this.#setState(id, 'fetching')
    let outcome: { state: AttachmentState, error?: ErrorCode }
    try {
      await store.begin(id, 'mine')
      await fetchFile({ fileId: id, chunksSha256: fromHex(descriptor.chunksSha256) }, {
        sink: store.sink(id, 'mine'),
        holders: () => running.cancelled || this.#stopped ? [] : this.#holdersOf(id, record).map(this.#c.holderLink),
        onHolderFault: fault => {
          this.#faultyFor(id).add(fault.peer)
          this.#c.holderFault(fault)
        },
        onChunk: next => {
          if (running.cancelled || this.#stopped) throw new FetchStopped()
          running.received = receivedBytes(descriptor, next)
          if (running.progress.due(running.received)) this.#emit(id)
        }
      })
      outcome = { state: 'held' }
    } catch (error) {
      if (this.#stopped) return // resumed at the next start: the record still says fetching
      if (running.cancelled) return // cancel() set the state
      outcome = stateAfter(error)
      if (outcome.error === undefined) throw error
    }
    if (running.cancelled && outcome.state !== 'held') return
    await this.#setState(id, outcome.state, outcome.error)
  }

  /** The author first, then every other connected member; never a holder that lied about this file. */
  #holdersOf (id: string, record: AttachmentRecord): string[] {
    const connected = this.#c.connectedMembers().filter(peer => peer !== this.#c.self)
    const ordered = [...connected.filter(peer => peer === record.author), ...connected.filter(peer => peer !== record.author)]
    const faulty = this.#faulty.get(id)
    return faulty === undefined ? ordered : ordered.filter(peer => !faulty.has(peer))
  }

  #faultyFor (id: string): Set<string> {
    const found = this.#faulty.get(id) ?? new Set<string>()
    this.#faulty.set(id, found)
    return found
  }

  async #setState (id: string, state: AttachmentState, error?: ErrorCode): Promise<void> {
    const record = this.#index.get(id)
    if (record === undefined) return
    const { error: _previous, ...rest } = record
    await this.#index.save(id, { ...rest, state, ...(error !== undefined ? { error } : {}) })
    this.#emit(id)
  }

  #emit (id: string): void {
    const record = this.#index.get(id)
    if (record !== undefined) this.#c.changed(this.#statusOf(id, record))
  }

  #require (id: string): AttachmentRecord {
    const record = this.#index.get(id)
    if (record === undefined) throw new CausetteError('NOT_FOUND', 'no message here carries that attachment')
    return record
  }

  #heldState (id: string): AttachmentState {
    return this.#c.store.state(id)?.complete === true ? 'held' : 'waiting'
  }

  #statusOf (id: string, record: AttachmentRecord): AttachmentStatus {
    const { descriptor } = record
    const running = this.#running.get(id)
    const received = record.state === 'held' ? descriptor.size : running?.received ?? receivedBytes(descriptor, this.#c.store.nextChunk(id))
    const preview = record.previewId === undefined ? undefined : this.#index.get(record.previewId)
    const speed = record.state === 'fetching' ? running?.progress.bytesPerSecond : undefined
    return {
      id,
      name: descriptor.name,
      size: descriptor.size,
      type: descriptor.type,
      sha256: descriptor.sha256,
      state: record.state,
      received,
      ...(speed !== undefined ? { bytesPerSecond: speed } : {}),
      ...(record.error !== undefined ? { error: record.error } : {}),
      ...(record.width !== undefined ? { width: record.width } : {}),
      ...(record.height !== undefined ? { height: record.height } : {}),
      ...(preview !== undefined && record.previewId !== undefined ? { preview: { id: record.previewId, type: preview.descriptor.type as 'image/jpeg', state: preview.state } } : {})
    }
  }
}

/** What a fetch that failed leaves: waiting for a holder, or paused for room; undefined error for a fault of ours. */
function stateAfter (error: unknown): { state: AttachmentState, error?: ErrorCode } {
  const code = codedError(error)?.code
  if (code === 'FILE_STORE_FULL') return { state: 'paused', error: code }
  if (code === 'TRANSFER_NO_HOLDER' || code === 'FILE_NOT_HELD' || (code?.startsWith('TRANSFER_') ?? false)) return { state: 'waiting', error: code }
  return { state: 'waiting' }
}

/** Plaintext bytes held when the chunks before `nextChunk` are. */
function receivedBytes (descriptor: AttachmentDescriptor, nextChunk: number): number {
  return Math.min(descriptor.size, nextChunk * descriptor.chunkSize)
}

/** A record for a message noted before its attachment was (shown until noteMessage writes it). */
function provisional (attachment: BodyAttachment, state: AttachmentState): AttachmentRecord {
  const { width, height, preview, ...descriptor } = attachment
  return { descriptor, author: '', messages: [], state, ...(width !== undefined ? { width } : {}), ...(height !== undefined ? { height } : {}), ...(preview !== undefined ? { previewId: preview.chunksSha256 } : {}), addedAt: 0 }
}

function stagedView (descriptor: AttachmentDescriptor): StagedFile {
  return { id: attachmentId(descriptor), name: descriptor.name, size: descriptor.size, type: descriptor.type, sha256: descriptor.sha256 }
}
