// The files attached to one draft (a conversation, a channel or a thread), kept while the user
// moves between conversations, like the draft's text (state/drafts.svelte.ts).
import type { AttachmentRequest } from '../../../core/api/schema.js'
import { OutgoingFile, type Stager } from './outgoing-file.svelte.js'

/** The node takes at most this many files in one message (MAX_ATTACHMENTS_PER_MESSAGE of core/api/schema.ts, whose values the app does not import). */
export const MAX_FILES = 10

export class OutgoingFiles {
  #api: Stager
  #files = $state.raw<OutgoingFile[]>([])

  constructor (api: Stager) {
    this.#api = api
  }

  get all (): OutgoingFile[] { return this.#files }
  /** Every file is staged: the message can go. */
  get ready (): boolean { return this.#files.every(file => file.state === 'staged') }
  /** Whether more files can be attached, and how many. */
  get room (): number { return MAX_FILES - this.#files.length }

  /** Attaches files (those beyond the limit are left out: returns how many were) and starts their uploads. */
  add (files: File[]): number {
    const taken = files.slice(0, Math.max(0, this.room)).map(file => new OutgoingFile(this.#api, file))
    this.#files = [...this.#files, ...taken]
    for (const file of taken) void file.start()
    return files.length - taken.length
  }

  async remove (key: string): Promise<void> {
    const file = this.#files.find(candidate => candidate.key === key)
    this.#files = this.#files.filter(candidate => candidate.key !== key)
    await file?.discard()
  }

  /** What the send request names: every file, once all are staged. */
  requests (): AttachmentRequest[] {
    return this.#files.map(file => file.request).filter(request => request !== undefined)
  }

  /** The message went: the files are part of it now. */
  sent (): void {
    for (const file of this.#files) file.forget()
    this.#files = []
  }
}

/** The attached files of every draft, by the draft's key (a PeerId, `channel:<id>`, `thread:<id>`). */
export class AttachedFiles {
  #api: Stager
  #byDraft = new Map<string, OutgoingFiles>()

  constructor (api: Stager) {
    this.#api = api
  }

  for (draft: string): OutgoingFiles {
    let files = this.#byDraft.get(draft)
    if (files === undefined) {
      files = new OutgoingFiles(this.#api)
      this.#byDraft.set(draft, files)
    }
    return files
  }
}
