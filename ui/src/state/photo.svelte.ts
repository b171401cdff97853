// The user's own photo, as the node keeps it (colleagues' nodes fetch it by the SHA-256 our presence names). The
// app makes it small before sending it (ui/src/settings/square-photo.ts); the node checks it again.
import type { ApiClient } from '../api/client.js'
import type { ProfilePhoto } from '../../../core/api/schema.js'

export class OwnPhoto {
  #api: ApiClient
  #url = $state<string>()
  #loaded: boolean | undefined

  constructor (api: ApiClient) {
    this.#api = api
  }

  /** A data: URL for <img>, undefined without a photo. */
  get url (): string | undefined { return this.#url }

  /** Follows the status's `photo` flag: loads the photo when there is one, forgets it when not. */
  async sync (has: boolean): Promise<void> {
    if (this.#loaded === has) return
    this.#loaded = has
    try {
      this.#show(has ? await this.#api.photo() : null)
    } catch (error) {
      this.#loaded = undefined // the next status tries again
      throw error
    }
  }

  async set (photo: ProfilePhoto): Promise<void> {
    await this.#api.setPhoto(photo)
    this.#loaded = true
    this.#show(photo)
  }

  async remove (): Promise<void> {
    await this.#api.removePhoto()
    this.#loaded = false
    this.#show(null)
  }

  #show (photo: ProfilePhoto | null): void {
    this.#url = photo === null ? undefined : `data:${photo.type};base64,${photo.data}`
  }
}
