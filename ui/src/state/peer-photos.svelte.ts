// Colleagues' photos as the node holds them (GET /peers/{peerId}/photo): each loaded once per photo
// (its SHA-256, from the peer's view) into an object URL for <img>, the one before it released
// when it changes. A person without a photo, or whose photo cannot be read, shows their initials.
import type { ApiClient } from '../api/client.js'

interface Shown { sha256: string, url: string | undefined }

export class PeerPhotos {
  #api: ApiClient
  #byPeer = $state.raw(new Map<string, Shown>())
  /** The photos asked for and not loaded yet, by `${peerId} ${sha256}`. */
  #loading = new Set<string>()

  constructor (api: ApiClient) {
    this.#api = api
  }

  /**
   * The URL of `peerId`'s photo whose SHA-256 is `sha256` (null: they have none), undefined until
   * it is loaded. Read while a component renders: the load starts after it, never during it.
   */
  url (peerId: string, sha256: string | null): string | undefined {
    const shown = this.#byPeer.get(peerId)
    if (sha256 === null) {
      if (shown !== undefined) queueMicrotask(() => { this.#forget(peerId) })
      return undefined
    }
    if (shown?.sha256 === sha256) return shown.url
    const key = `${peerId} ${sha256}`
    if (!this.#loading.has(key)) {
      this.#loading.add(key)
      queueMicrotask(() => { void this.#load(peerId, sha256).finally(() => { this.#loading.delete(key) }) })
    }
    return shown?.url // the photo before, until the new one is here
  }

  async #load (peerId: string, sha256: string): Promise<void> {
    let url: string | undefined
    try {
      url = URL.createObjectURL(await this.#api.peerPhoto(peerId))
    } catch {
      url = undefined // initials; a new photo of theirs is tried again
    }
    this.#set(peerId, { sha256, url })
  }

  #set (peerId: string, shown: Shown | undefined): void {
    const before = this.#byPeer.get(peerId)
    if (before?.url !== undefined) URL.revokeObjectURL(before.url)
    const next = new Map(this.#byPeer)
    if (shown === undefined) next.delete(peerId)
    else next.set(peerId, shown)
    this.#byPeer = next
  }

  #forget (peerId: string): void {
    if (this.#byPeer.has(peerId)) this.#set(peerId, undefined)
  }
}
