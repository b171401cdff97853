// The attachments of the messages this desk holds (docs/files.md, "Receiving"): one record per file
// (a preview is a file of its own) with its descriptor, where its fetch stands, why it waits, its
// author and the messages that carry it. Kept in a RecordTable (LevelDB, sealed at rest: the
// descriptor holds the file's key) and in memory, so that a message's view reads it at once.
import type { ErrorCode } from '../errors.js'
import type { BodyAttachment, PreviewType } from './body-attachment.js'
import type { AttachmentDescriptor } from './descriptor.js'
import { authorsFileId, fileIdOf } from './file-id.js'
import { CachedTable, type RecordTable } from './record-table.js'

/** held: every chunk here and checked; fetching; waiting: no holder now; paused: the store is full; cancelled by the user. */
export type AttachmentState = 'held' | 'fetching' | 'waiting' | 'paused' | 'cancelled'

/** The messages named on one record at most: enough to find it, bounded whatever is sent again. */
const MAX_MESSAGES_PER_RECORD = 64

export interface AttachmentRecord {
  descriptor: AttachmentDescriptor
  /** The PeerId of the author of the messages that carry it (its id is bound to it): the first holder asked. */
  author: string
  /** Ids of the messages that carry it (first ones). */
  messages: string[]
  state: AttachmentState
  /** Why it is waiting or paused: an error code. */
  error?: ErrorCode
  /** It is an image's preview: fetched before every file. */
  preview?: true
  width?: number
  height?: number
  /** The id of its preview (bound to the same author), when it is an image sent with one. */
  previewId?: string
  addedAt: number
}

/** An attachment as the API shows it (core/api/schema.ts AttachmentView has this shape). */
export interface AttachmentStatus {
  id: string
  name: string
  size: number
  type: string
  sha256: string
  state: AttachmentState
  received: number
  bytesPerSecond?: number
  error?: string
  width?: number
  height?: number
  preview?: { id: string, type: PreviewType, state: AttachmentState }
}

/** A file a message carries, as it is noted: its descriptor, whether it is a preview, and the attachment it is (its image's size and preview). */
export interface NotedFile {
  descriptor: AttachmentDescriptor
  preview: boolean
  attachment?: BodyAttachment
}

/** The record a file gets when message `messageId` by `author` is the first to carry it. */
export function newRecord (file: NotedFile, messageId: string, author: string, state: AttachmentState, now: number): AttachmentRecord {
  const shown = file.attachment
  return {
    descriptor: file.descriptor,
    author,
    messages: [messageId],
    state,
    ...(file.preview ? { preview: true as const } : {}),
    ...(shown?.width !== undefined ? { width: shown.width } : {}),
    ...(shown?.height !== undefined ? { height: shown.height } : {}),
    ...(shown?.preview !== undefined ? { previewId: authorsFileId(author, shown.preview) } : {}),
    addedAt: now
  }
}

const DESCRIPTOR_FIELDS = ['name', 'size', 'type', 'sha256', 'key', 'nonce', 'chunkSize', 'chunkCount', 'chunksSha256'] as const

/**
 * Whether `file` is the file `record` describes, as its message's author signed it: every field of
 * the descriptor (its key too), whether it is a preview, and the image's size and preview. The id is
 * bound to the author (file-id.ts), so only that author's own messages can describe the file
 * otherwise; an honest second message naming a file (the same message again) describes it the same.
 * Both sides are read by one parser (descriptor.ts): a change to how it makes a name safe would set
 * files of earlier messages aside, unless records are read again by the new one.
 */
export function describesSameFile (record: AttachmentRecord, file: NotedFile): boolean {
  const shown = file.attachment
  return DESCRIPTOR_FIELDS.every(field => record.descriptor[field] === file.descriptor[field]) &&
    (record.preview === true) === file.preview &&
    record.width === shown?.width && record.height === shown?.height &&
    record.previewId === (shown?.preview === undefined ? undefined : authorsFileId(record.author, shown.preview))
}

/** The key of `record`: its content's id as its author names it. */
const keyOf = (record: AttachmentRecord): string => authorsFileId(record.author, record.descriptor)

/**
 * A record written before ids were bound to their author (session 30), keyed by its content id: its
 * preview's id is bound alike. The record stays its author's (the first message's, which set aside
 * any other author's description): such a message is noted again when it is next shown, and gets its own.
 */
function rebound (record: AttachmentRecord): AttachmentRecord {
  return record.previewId === undefined ? record : { ...record, previewId: fileIdOf(record.author, record.previewId) }
}

/** A record still to be fetched: counted against its author (FileService bounds how many). */
const unfetched = (record: AttachmentRecord | undefined): boolean => record !== undefined && record.state !== 'held' && record.state !== 'cancelled'

export class AttachmentIndex {
  readonly #records: CachedTable<AttachmentRecord>
  /** Author → how many of its records are still to be fetched. */
  readonly #unfetched = new Map<string, number>()
  /** Content id → the records of it (one per author that named it): what the store holds once for all. */
  readonly #byContent = new Map<string, Set<string>>()

  private constructor (records: CachedTable<AttachmentRecord>) {
    this.#records = records
    for (const [id, record] of records.entries()) {
      this.#count(record, 1)
      this.#noteContent(id, record)
    }
  }

  /** Whether a record of any author names content `contentId`. */
  hasContent (contentId: string): boolean {
    return this.#byContent.has(contentId)
  }

  /** Whether content `contentId` is a preview of some record's. */
  isPreviewContent (contentId: string): boolean {
    return [...this.#byContent.get(contentId) ?? []].some(id => this.#records.get(id)?.preview === true)
  }

  #noteContent (id: string, record: AttachmentRecord): void {
    const content = record.descriptor.chunksSha256
    const ids = this.#byContent.get(content) ?? new Set<string>()
    ids.add(id)
    this.#byContent.set(content, ids)
  }

  /** How many files of `author` are still to be fetched (waiting, fetching or paused). */
  unfetchedFrom (author: string): number {
    return this.#unfetched.get(author) ?? 0
  }

  #count (record: AttachmentRecord | undefined, sign: 1 | -1): void {
    if (record === undefined || !unfetched(record)) return
    const left = this.unfetchedFrom(record.author) + sign
    if (left > 0) this.#unfetched.set(record.author, left)
    else this.#unfetched.delete(record.author)
  }

  static async load (table: RecordTable<AttachmentRecord>): Promise<AttachmentIndex> {
    const records = await CachedTable.load(table)
    await records.rekey(keyOf, rebound)
    return new AttachmentIndex(records)
  }

  get (id: string): AttachmentRecord | undefined {
    return this.#records.get(id)
  }

  all (): IterableIterator<[string, AttachmentRecord]> {
    return this.#records.entries()
  }

  /** Whether a message carries `id`. */
  has (id: string): boolean {
    return this.#records.has(id)
  }

  /**
   * Notes that message `messageId` by `author` carries `file` (a preview when `preview`): a new
   * record starts in `state`; a known one (of the same author: the id is bound to it) only gains the
   * message, if it describes the file alike (the author's other description of it is not the
   * record's: the message shows it as FILE_ID_TAKEN). Resolves to whether it is new.
   */
  async note (file: NotedFile, messageId: string, author: string, state: AttachmentState, now: number): Promise<boolean> {
    const id = authorsFileId(author, file.descriptor)
    const known = this.#records.get(id)
    if (known !== undefined) {
      if (!describesSameFile(known, file) || known.messages.includes(messageId) || known.messages.length >= MAX_MESSAGES_PER_RECORD) return false
      await this.save(id, { ...known, messages: [...known.messages, messageId] })
      return false
    }
    await this.save(id, newRecord(file, messageId, author, state, now))
    return true
  }

  /** Sets the state (and the error, or none) of a known record; false when there is none. */
  async setState (id: string, state: AttachmentState, error?: ErrorCode): Promise<boolean> {
    const record = this.#records.get(id)
    if (record === undefined) return false
    const { error: _previous, ...rest } = record
    await this.save(id, { ...rest, state, ...(error !== undefined ? { error } : {}) })
    return true
  }

  /** Writes the record (then keeps it in memory: a failed write changes nothing). */
  async save (id: string, record: AttachmentRecord): Promise<void> {
    const previous = this.#records.get(id)
    await this.#records.put(id, record)
    this.#count(previous, -1)
    this.#count(record, 1)
    this.#noteContent(id, record)
  }
}
