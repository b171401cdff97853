// What arrived while notifications were held (focus or mute), as the node summarised it: shown in
// the sidebar until the user dismisses it. The node keeps each digest until it is dismissed, so an
// app opened after focus ended loads what it missed (`load`). Digests that follow each other add up
// by conversation (a 1:1 conversation or a channel), and a line goes once its conversation is
// opened (the node drops it too, once the conversation is read).
import type { DigestView } from '../../../core/api/schema.js'
import type { ApiClient } from '../api/client.js'

export interface DigestLine {
  conversation: string
  /** The author of the latest held message, and their name */
  peer: string
  name: string
  /** Beside the name when another colleague goes by it too. */
  nameTag?: string
  count: number
}

export class Digests {
  #digests = $state.raw<DigestView[]>([])
  readonly #api: ApiClient | undefined

  constructor (api?: ApiClient) {
    this.#api = api
  }

  get lines (): DigestLine[] {
    const byConversation = new Map<string, DigestLine>()
    for (const from of this.#digests.flatMap(d => d.from)) {
      const count = (byConversation.get(from.conversation)?.count ?? 0) + from.count
      byConversation.set(from.conversation, { conversation: from.conversation, peer: from.peer, name: from.name, ...(from.nameTag !== undefined ? { nameTag: from.nameTag } : {}), count })
    }
    return [...byConversation.values()]
  }

  get total (): number { return this.lines.reduce((sum, line) => sum + line.count, 0) }

  /** The digests the node kept while no app was open (or while this one was away). */
  async load (): Promise<void> {
    if (this.#api !== undefined) this.#digests = await this.#api.digests()
  }

  add (digest: DigestView): void {
    if (this.#digests.some(d => d.id === digest.id)) return
    this.#digests = [...this.#digests, digest]
  }

  /** The conversation was opened: what it held has been seen. */
  seen (conversation: string | undefined): void {
    this.#digests = this.#digests
      .map(d => ({ ...d, from: d.from.filter(f => f.conversation !== conversation) }))
      .filter(d => d.from.length > 0)
  }

  /** Dismissed: gone here at once, and from the node (another app may have dismissed it first). */
  dismiss (): void {
    const ids = this.#digests.map(d => d.id)
    this.#digests = []
    for (const id of ids) void this.#api?.dismissDigest(id).catch(() => {})
  }
}
