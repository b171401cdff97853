// Files sealed into the store and not sent yet (docs/files.md, "Sending"): `stageFile` keeps each
// one's descriptor here (its key: the table is sealed at rest), and whether its upload said it is an
// image's preview (the usage counts it with its image), until a message names it, or for a day;
// a file staged and never sent then leaves the store too, unless a message carries it meanwhile.
import { CausetteError } from '../errors.js'
import type { AttachmentDescriptor } from './descriptor.js'
import { CachedTable, type RecordTable } from './record-table.js'

/** How long a staged file waits for the message that sends it. */
export const STAGED_FOR_MS = 24 * 3_600_000

export interface StagedValue {
  descriptor: AttachmentDescriptor
  stagedAt: number
  /** An image's preview, as its upload said: the usage does not count it as a file. */
  preview?: true
}

export class StagedFiles {
  readonly #staged: CachedTable<StagedValue>
  readonly #idOf: (descriptor: AttachmentDescriptor) => string

  private constructor (staged: CachedTable<StagedValue>, idOf: (descriptor: AttachmentDescriptor) => string) {
    this.#staged = staged
    this.#idOf = idOf
  }

  /** The staged files, each by `idOf` its descriptor (the id its message will show: file-id.ts). */
  static async load (table: RecordTable<StagedValue>, idOf: (descriptor: AttachmentDescriptor) => string): Promise<StagedFiles> {
    const staged = await CachedTable.load(table)
    await staged.rekey(value => idOf(value.descriptor)) // staged before ids were bound to their author
    return new StagedFiles(staged, idOf)
  }

  /** Stages `descriptor`'s file; resolves to its id. */
  async add (descriptor: AttachmentDescriptor, now: number, preview = false): Promise<string> {
    const id = this.#idOf(descriptor)
    await this.#staged.put(id, { descriptor, stagedAt: now, ...preview ? { preview: true } : {} })
    return id
  }

  /** The staged file `id`; NOT_FOUND if it is not staged (never, sent already, or expired). */
  get (id: string): AttachmentDescriptor {
    const staged = this.#staged.get(id)
    if (staged === undefined) throw new CausetteError('NOT_FOUND', 'no such staged file: stage it again (POST /files)')
    return staged.descriptor
  }

  has (id: string): boolean {
    return this.#staged.has(id)
  }

  /** Whether `id` is staged as an image's preview. */
  isPreview (id: string): boolean {
    return this.#staged.get(id)?.preview === true
  }

  async remove (id: string): Promise<void> {
    await this.#staged.del(id)
  }

  /** The staged files older than STAGED_FOR_MS at `now`. */
  expired (now: number): string[] {
    return [...this.#staged.entries()].filter(([, value]) => now - value.stagedAt >= STAGED_FOR_MS).map(([id]) => id)
  }
}
