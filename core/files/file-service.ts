// The files of this desk's messages (docs/files.md, "Sending" and "Receiving"): files staged to send,
// a record for every attachment of a message stored here (attachment-index.ts), and their fetches
// (fetch-queue.ts); what the API shows of each.
import { CausetteError } from '../errors.js'
import { MAX_UNFETCHED_FILES_PER_AUTHOR } from '../protocol/limits.js'
import { AttachmentIndex, describesSameFile, newRecord, type AttachmentRecord, type AttachmentState, type AttachmentStatus, type NotedFile } from './attachment-index.js'
import type { FilesUsage } from './attachment-store.js'
import { filesOf, isPreviewType, type BodyAttachment } from './body-attachment.js'
import { attachmentId, type AttachmentDescriptor } from './descriptor.js'
import { authorsFileId, fileIdOf } from './file-id.js'
import { plaintextChunks } from './file-decryptor.js'
import { FetchQueue, receivedBytes, type FetchQueueComponents } from './fetch-queue.js'
import type { RecordTable } from './record-table.js'
import { StagedFiles, type StagedValue } from './staged-files.js'
import { encryptUploadToStore, type IncomingFile } from './upload-encryptor.js'

/** How often staged files are checked for expiry. */
const STAGED_SWEEP_MS = 3_600_000

/** The queue's components (fetch-queue.ts) but its index, and what staging needs. */
export interface FileServiceComponents extends Omit<FetchQueueComponents, 'index' | 'changed'> {
  records: RecordTable<AttachmentRecord>
  staged: RecordTable<StagedValue>
  /** An attachment changed state, or made progress (at most 4 times a second). */
  changed: (status: AttachmentStatus) => void
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

export class FileService {
  readonly #components: FileServiceComponents
  readonly #index: AttachmentIndex
  readonly #staged: StagedFiles
  readonly #queue: FetchQueue
  #sweep: ReturnType<typeof setInterval> | undefined
  /** Notes of stored messages, one after the other: two notes of one file never race. */
  #notes: Promise<void> = Promise.resolve()
  /**
   * The files of messages being noted, until their records are written. The node announces a stored
   * message at once: asked about meanwhile (the app loads our own image as soon as it shows), a file
   * answers as the message shows it, and a cancel or retry waits for its record.
   */
  readonly #noting = new Map<string, { record: AttachmentRecord, noted: Promise<void> }>()

  private constructor (components: FileServiceComponents, index: AttachmentIndex, staged: StagedFiles) {
    this.#components = components
    this.#index = index
    this.#staged = staged
    this.#queue = new FetchQueue({ ...components, index, changed: id => { this.#emit(id) } })
  }

  static async load (components: FileServiceComponents): Promise<FileService> {
    const staged = await StagedFiles.load(components.staged, descriptor => authorsFileId(components.self, descriptor))
    return new FileService(components, await AttachmentIndex.load(components.records), staged)
  }

  /** Resumes every unfinished fetch, and starts the retries and the expiry of staged files. */
  start (): void {
    this.#queue.start()
    this.#sweep = setInterval(() => { void this.dropExpiredStaged().catch(error => { this.#components.log('files: could not drop expired staged files: %e', error) }) }, STAGED_SWEEP_MS)
    this.#sweep.unref()
  }

  stop (): void {
    this.#queue.stop()
    clearInterval(this.#sweep)
  }

  // Sending

  /** Seals an upload into the store and stages it; `preview`: an image's preview, as the upload says. */
  async stage (file: IncomingFile & { preview?: boolean }): Promise<StagedFile> {
    const descriptor = await encryptUploadToStore(this.#components.store, file)
    const id = await this.#staged.add(descriptor, this.#components.now(), file.preview === true)
    return stagedView(id, descriptor)
  }

  /** Drops a staged file and, unless a message carries it, its chunks. */
  async dropStaged (id: string): Promise<void> {
    const content = attachmentId(this.#staged.get(id))
    await this.#staged.remove(id)
    if (!this.#index.hasContent(content)) {
      await this.#components.store.remove(content)
      this.#queue.retryWhere('paused') // room freed
    }
  }

  async dropExpiredStaged (): Promise<void> {
    for (const id of this.#staged.expired(this.#components.now())) await this.dropStaged(id)
  }

  /** What the staged file `id` holds, if it is staged: a retry's files staged again are the same files. */
  stagedContent (id: string): StagedFile | undefined {
    return this.#staged.has(id) ? stagedView(id, this.#staged.get(id)) : undefined
  }

  /**
   * A retry of a send was answered with the message sent the first time: the files it staged again
   * (a command run again uploads them anew) will not be sent, so they go now rather than in a day.
   */
  async dropRestaged (requests: readonly StagedAttachmentRequest[] | undefined): Promise<void> {
    const ids = (requests ?? []).flatMap(request => request.preview === undefined ? [request.file] : [request.file, request.preview])
    for (const id of ids) if (this.#staged.has(id)) await this.dropStaged(id)
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
    for (const { descriptor } of filesOf(attachments)) await this.#staged.remove(this.#ownId(descriptor))
  }

  /**
   * Sends a message with the staged files `requests` names (none: without files) through `send`,
   * 1:1 or in a channel, then unstages them: a send that fails leaves them staged for a retry.
   */
  async sendWith<T> (requests: readonly StagedAttachmentRequest[] | undefined, send: (attachments: BodyAttachment[] | undefined) => Promise<T>): Promise<T> {
    const attachments = requests === undefined ? undefined : this.bodyAttachments(requests)
    const sent = await send(attachments)
    if (attachments !== undefined) await this.sent(attachments)
    return sent
  }

  // Receiving

  /** A message carrying `attachments` is stored here (sent or received): each file gets its record, and a fetch unless held. */
  async noteMessage (message: { id: string, author: string }, attachments: readonly BodyAttachment[]): Promise<void> {
    const files = notedFiles(attachments)
    const noted = this.#notes.then(async () => { await this.#note(message, files) })
    this.#notes = noted.catch(() => {})
    const pending = files.map(file => ({ file, id: authorsFileId(message.author, file.descriptor) })).filter(({ id }) => !this.#index.has(id) && !this.#noting.has(id))
    for (const { file, id } of pending) this.#noting.set(id, { record: newRecord(file, message.id, message.author, this.#firstState(file.descriptor), this.#components.now()), noted })
    try {
      await noted
    } finally {
      for (const { id } of pending) this.#noting.delete(id)
    }
  }

  async #note (message: { id: string, author: string }, files: readonly NotedFile[]): Promise<void> {
    for (const file of files) {
      const id = authorsFileId(message.author, file.descriptor)
      const content = attachmentId(file.descriptor)
      if (this.#components.store.state(content)?.owner === 'carried') await this.#components.store.begin(content, 'mine') // a carried copy is the user's now
      const state = this.#firstState(file.descriptor)
      const added = await this.#index.note(file, message.id, message.author, state, this.#components.now())
      if (!added) continue
      // Files nobody may hold (a colleague's made-up ones) would be tried again for ever: past the
      // bound an author's file is shown, fetched when the user asks (retry).
      if (state === 'waiting' && this.#index.unfetchedFrom(message.author) > MAX_UNFETCHED_FILES_PER_AUTHOR) await this.#index.setState(id, 'cancelled', 'FILE_TOO_MANY_WAITING')
      else this.#queue.add(id)
      this.#emit(id)
    }
  }

  /** A new record's state: held when every chunk is in the store already (a file we sent, or another author named), else waiting for its fetch. */
  #firstState (descriptor: AttachmentDescriptor): AttachmentState {
    return this.#components.store.state(attachmentId(descriptor))?.complete === true ? 'held' : 'waiting'
  }

  /** The id a file of ours shows: staged, then sent. */
  #ownId (descriptor: AttachmentDescriptor): string {
    return authorsFileId(this.#components.self, descriptor)
  }

  /** Whether every file of `attachments`, in a message by `author`, has its record (else the message is noted again). */
  knows (attachments: readonly BodyAttachment[], author: string): boolean {
    return filesOf(attachments).every(file => this.#index.has(authorsFileId(author, file.descriptor)))
  }

  /**
   * How the attachments of a message by `author` show now, in the order sent, each as its author
   * signed it: by the id bound to that author (file-id.ts), so a colleague naming the same content
   * in a message of its own (an id it read in a channel or a deposit, with its own name, key and
   * preview) has a record of its own. Only the author's own other description of a file it named
   * before shows set aside (FILE_ID_TAKEN): never the record's name or preview, nor opened with its key.
   */
  shown (attachments: readonly BodyAttachment[], author: string): AttachmentStatus[] {
    return attachments.map(a => {
      const id = authorsFileId(author, a)
      const record = this.#recordOf(id)
      if (record === undefined) return this.#statusOf(id, this.#provisional(a, author), a)
      return this.#statusOf(id, describesSameFile(record, notedFileOf(a)) ? record : takenRecord(a, author), a)
    })
  }

  attachment (id: string): AttachmentStatus {
    return this.#statusOf(id, this.#require(id))
  }

  /** The checked plaintext of a held attachment. */
  async content (id: string): Promise<{ attachment: AttachmentStatus, content: AsyncIterable<Uint8Array> }> {
    const attachment = this.attachment(id)
    if (attachment.state !== 'held') throw new CausetteError('FILE_NOT_HELD', `the attachment is ${attachment.state}, not held yet`)
    return { attachment, content: plaintextChunks(this.#components.store, this.#require(id).descriptor) } // by its content id, opened with this record's key
  }

  async cancel (id: string): Promise<AttachmentStatus> {
    await this.#written(id)
    await this.#queue.cancel(id)
    return this.attachment(id)
  }

  async retry (id: string): Promise<AttachmentStatus> {
    await this.#written(id)
    await this.#queue.retry(id)
    return this.attachment(id)
  }

  /** A member connected: it may hold what waits. */
  memberConnected (): void {
    this.#queue.retryWhere('waiting')
  }

  /** A new limit for the store: what was paused for room is tried again. */
  setLimit (limitBytes: number): void {
    this.#components.store.setLimit(limitBytes)
    this.#queue.retryWhere('paused')
  }

  /**
   * What the files take; an image's preview is part of its image: its bytes count, and it is not
   * counted as a file, whether a message carries it (its record says so) or it is staged as one.
   */
  usage (): FilesUsage {
    return this.#components.store.usage(content => this.#index.hasContent(content) ? this.#index.isPreviewContent(content) : this.#staged.isPreview(fileIdOf(this.#components.self, content)))
  }

  #emit (id: string): void {
    const record = this.#index.get(id)
    if (record !== undefined) this.#components.changed(this.#statusOf(id, record))
  }

  /** The record of `id`, written or being written. */
  #recordOf (id: string): AttachmentRecord | undefined {
    return this.#index.get(id) ?? this.#noting.get(id)?.record
  }

  #require (id: string): AttachmentRecord {
    return this.#recordOf(id) ?? notCarried()
  }

  /** The record of `id` once written (a note under way is waited for): what a cancel or retry changes. */
  async #written (id: string): Promise<AttachmentRecord> {
    await this.#noting.get(id)?.noted.catch(() => {})
    return this.#index.get(id) ?? notCarried()
  }

  /** A record for a message whose note failed (shown until it is noted again). */
  #provisional (attachment: BodyAttachment, author: string): AttachmentRecord {
    return { ...newRecord(notedFileOf(attachment), '', author, this.#firstState(attachment), 0), messages: [] }
  }

  /** The status of `record`; `own`: the attachment of the message shown, whose preview must be the one its record describes. */
  #statusOf (id: string, record: AttachmentRecord, own?: BodyAttachment): AttachmentStatus {
    const { descriptor } = record
    // The id's fetch is the record's, not a description set aside.
    const taken = record.error === 'FILE_ID_TAKEN'
    const progress = taken ? undefined : this.#queue.progressOf(id)
    const received = taken ? 0 : record.state === 'held' ? descriptor.size : progress?.received ?? receivedBytes(descriptor, this.#components.store.nextChunk(attachmentId(descriptor)))
    const preview = this.#previewOf(record, own)
    const speed = record.state === 'fetching' ? progress?.bytesPerSecond : undefined
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
      ...(preview !== undefined && record.previewId !== undefined && isPreviewType(preview.descriptor.type) ? { preview: { id: record.previewId, type: preview.descriptor.type, state: preview.state } } : {})
    }
  }

  /**
   * The record of `record`'s preview. One that another message's description made is not shown: the
   * app takes each event of an id as every message's that shows it.
   */
  #previewOf (record: AttachmentRecord, own: BodyAttachment | undefined): AttachmentRecord | undefined {
    const preview = record.previewId === undefined ? undefined : this.#recordOf(record.previewId)
    if (preview === undefined || own?.preview === undefined || describesSameFile(preview, { descriptor: own.preview, preview: true })) return preview // the same author's other description of its preview
    return undefined
  }
}

function notCarried (): never {
  throw new CausetteError('NOT_FOUND', 'no message here carries that attachment')
}

/** Every file of a message, each preview before its file, with the attachment it is (none for a preview). */
function notedFiles (attachments: readonly BodyAttachment[]): NotedFile[] {
  const byId = new Map(attachments.map(a => [attachmentId(a), a]))
  return filesOf(attachments).map(file => {
    const attachment = file.preview ? undefined : byId.get(attachmentId(file.descriptor))
    return { ...file, ...(attachment !== undefined ? { attachment } : {}) }
  })
}

/** A file of a message, as it is noted (attachment-index.ts). */
function notedFileOf (attachment: BodyAttachment): NotedFile {
  const { width: _w, height: _h, preview: _p, ...descriptor } = attachment
  return { descriptor, preview: false, attachment }
}

/** How a file shows in a message whose description of it is not its record's: its own words, set aside. */
function takenRecord (attachment: BodyAttachment, author: string): AttachmentRecord {
  const file = notedFileOf(attachment)
  return { ...newRecord(file, '', author, 'cancelled', 0), messages: [], error: 'FILE_ID_TAKEN' }
}

function stagedView (id: string, descriptor: AttachmentDescriptor): StagedFile {
  return { id, name: descriptor.name, size: descriptor.size, type: descriptor.type, sha256: descriptor.sha256 }
}
