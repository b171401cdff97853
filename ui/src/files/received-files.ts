// Received files and images, as the message list uses them: an image's picture loaded with the
// token into a blob: URL (an <img> cannot send the Authorization header), cancel and retry of a
// fetch, and Save through a single-use download link that the browser's download manager follows.
// Only JPEG, PNG, WebP and GIF are ever drawn; nothing received is rendered as HTML or SVG.
import type { AttachmentView } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'
import { downloadLink } from '../lib/download.js'
import { INLINE_IMAGE_TYPES } from './image-preview.js'

/** Pictures kept loaded; the oldest URL is revoked past this (an <img> already drawn keeps its pixels). */
export const MAX_PICTURES = 100

export type FileAccess = Pick<ApiClient, 'inlineImage' | 'cancelAttachment' | 'retryAttachment' | 'downloadTicket'>

export class ReceivedFiles {
  #api: FileAccess
  #onChange: (view: AttachmentView) => void
  /** Pictures loaded, by attachment id: an attachment's content never changes (its id is its hash). */
  #pictures = new Map<string, Promise<string>>()

  /** `onChange`: the attachment as the node answered a cancel or retry, shown at once. */
  constructor (api: FileAccess, onChange: (view: AttachmentView) => void) {
    this.#api = api
    this.#onChange = onChange
  }

  /** A blob: URL of a held image of one of the inline types; refused for any other type, whatever the node sends. */
  async picture (id: string, type: string): Promise<string> {
    if (!INLINE_IMAGE_TYPES.has(type)) throw new Error(`${type} is not shown inline`)
    let loaded = this.#pictures.get(id)
    if (loaded === undefined) {
      loaded = this.#load(id)
      this.#pictures.set(id, loaded)
      loaded.catch(() => { this.#pictures.delete(id) })
      this.#forgetOldest()
    }
    return await loaded
  }

  async cancel (id: string): Promise<void> {
    this.#onChange(await this.#api.cancelAttachment(id))
  }

  async retry (id: string): Promise<void> {
    this.#onChange(await this.#api.retryAttachment(id))
  }

  /** Saves a held file: the browser downloads it from a link valid once, for a minute. */
  async save (id: string): Promise<void> {
    downloadLink(new URL(await this.#api.downloadTicket(id), location.origin).href)
  }

  #forgetOldest (): void {
    while (this.#pictures.size > MAX_PICTURES) {
      const [oldest, url] = this.#pictures.entries().next().value!
      this.#pictures.delete(oldest)
      url.then(URL.revokeObjectURL, () => {})
    }
  }

  async #load (id: string): Promise<string> {
    const blob = await this.#api.inlineImage(id)
    if (!INLINE_IMAGE_TYPES.has(blob.type)) throw new Error(`the node sent ${blob.type || 'no type'} for an image`)
    return URL.createObjectURL(blob)
  }
}
