// One file attached in a composer, on its way to the node: refused at once if it cannot be sent (a
// folder, an empty file: unsendable.ts), else an image's preview made and staged first, then the
// file itself uploaded with its progress; cancel aborts it (and drops what the node staged already),
// retry starts it again. Once staged, it is named in the message sent.
import type { AttachmentRequest, StagedFileView } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'
import { UploadAbortedError, type Upload } from '../api/file-upload.js'
import { sendRefusal } from '../lib/storage-words.js'
import { imagePreview, type ImagePreview } from './image-preview.js'
import { RateMeter } from './rate-meter.js'
import { unsendable } from './unsendable.js'

export type OutgoingState = 'uploading' | 'staged' | 'failed' | 'cancelled'

/** What of the API an outgoing file uses. */
export type Stager = Pick<ApiClient, 'stageFile' | 'dropStagedFile'>

/** A file with no type of its own (or an odd one) is sent as bytes; the node names it so too. */
const UNKNOWN_TYPE = 'application/octet-stream'
let nextKey = 0

export class OutgoingFile {
  /** Tells two attachments of one draft apart, even with one name. */
  readonly key = `outgoing-${++nextKey}`
  readonly file: File
  #api: Stager
  #state = $state<OutgoingState>('uploading')
  #sent = $state(0)
  #bytesPerSecond = $state<number>()
  #error = $state<string>()
  /** A local picture of the preview, shown in the composer (a blob: URL of our own bytes). */
  #thumbnail = $state<string>()
  #preview: ImagePreview | undefined
  #previewMade = false
  #staged: StagedFileView | undefined
  #stagedPreview: StagedFileView | undefined
  #upload: Upload<StagedFileView> | undefined
  #rate = new RateMeter()

  constructor (api: Stager, file: File) {
    this.#api = api
    this.file = file
  }

  get name (): string { return this.file.name === '' ? 'file' : this.file.name }
  get size (): number { return this.file.size }
  get state (): OutgoingState { return this.#state }
  /** Bytes of the file uploaded so far. */
  get sent (): number { return this.#sent }
  get bytesPerSecond (): number | undefined { return this.#bytesPerSecond }
  get error (): string | undefined { return this.#error }
  get thumbnail (): string | undefined { return this.#thumbnail }

  /** What the send request names, once the file is staged. */
  get request (): AttachmentRequest | undefined {
    if (this.#staged === undefined) return undefined
    const preview = this.#stagedPreview === undefined || this.#preview === undefined ? {} : { preview: this.#stagedPreview.id, width: this.#preview.width, height: this.#preview.height }
    return { file: this.#staged.id, ...preview }
  }

  /** Uploads the preview (an image) and the file; resolves when staged, failed or cancelled. */
  async start (): Promise<void> {
    this.#state = 'uploading'
    this.#error = undefined
    this.#sent = 0
    this.#bytesPerSecond = undefined
    this.#rate.reset()
    try {
      const refused = await unsendable(this.file)
      if (refused !== undefined) {
        this.#fail(refused)
        return
      }
      await this.#stagePreview()
      this.#staged ??= await this.#stage(this.file, this.name, this.file.type, 'file')
      if (this.#state === 'uploading') this.#state = 'staged'
    } catch (failure) {
      if (this.#state !== 'uploading') return
      if (failure instanceof UploadAbortedError) this.#state = 'cancelled'
      else this.#fail(await unsendable(this.file) ?? sendRefusal(failure))
    }
  }

  /** The upload failed for `why`, unless it was cancelled meanwhile. */
  #fail (why: string): void {
    if (this.#state !== 'uploading') return
    this.#state = 'failed'
    this.#error = why
  }

  /** Stops the upload and drops what the node staged of it; retry starts it again. */
  async cancel (): Promise<void> {
    this.#state = 'cancelled'
    this.#upload?.abort()
    await this.#dropStaged()
  }

  /** Taken out of the draft: nothing of it stays at the node, nor a picture of it here. */
  async discard (): Promise<void> {
    await this.cancel()
    if (this.#thumbnail !== undefined) URL.revokeObjectURL(this.#thumbnail)
    this.#thumbnail = undefined
  }

  /** Sent: the node holds it as part of the message now; only the local picture goes. */
  forget (): void {
    if (this.#thumbnail !== undefined) URL.revokeObjectURL(this.#thumbnail)
  }

  async #stagePreview (): Promise<void> {
    if (!this.#previewMade) {
      this.#previewMade = true
      this.#preview = await imagePreview(this.file)
      if (this.#preview !== undefined) this.#thumbnail = URL.createObjectURL(this.#preview.blob)
    }
    if (this.#preview === undefined || this.#stagedPreview !== undefined) return
    this.#stagedPreview = await this.#stage(this.#preview.blob, `preview of ${this.name}`, this.#preview.blob.type, 'preview')
  }

  /** Uploads the file or its preview; only the file's bytes move the progress bar, and the node counts a preview as part of its image. */
  async #stage (body: Blob, name: string, type: string, kind: 'file' | 'preview'): Promise<StagedFileView> {
    if (this.#state !== 'uploading') throw new UploadAbortedError()
    this.#upload = this.#api.stageFile(body, { name, type: type === '' ? UNKNOWN_TYPE : type, preview: kind === 'preview' }, ({ loaded }) => {
      if (kind === 'preview') return
      this.#sent = loaded
      this.#bytesPerSecond = this.#rate.sample(loaded, performance.now())
    })
    try {
      return await this.#upload.done
    } finally {
      this.#upload = undefined
    }
  }

  async #dropStaged (): Promise<void> {
    const staged = [this.#staged, this.#stagedPreview].filter(file => file !== undefined)
    this.#staged = undefined
    this.#stagedPreview = undefined
    // Dropped unsent after a day anyway: a refusal here loses nothing.
    await Promise.all(staged.map(async file => { await this.#api.dropStagedFile(file.id).catch(() => {}) }))
  }
}
