// What arrived while notifications were held (focus or mute), as the node summarised it: shown in
// the sidebar until the user dismisses it. Digests that follow each other add up by conversation
// (a 1:1 conversation or a channel), and a line goes once its conversation is opened.
import type { DigestView } from '../../../core/api/schema.js'

export interface DigestLine {
  conversation: string
  /** The author of the latest held message, and their name */
  peer: string
  name: string
  count: number
}

export class Digests {
  #lines = $state.raw<DigestLine[]>([])

  get lines (): DigestLine[] { return this.#lines }
  get total (): number { return this.#lines.reduce((sum, line) => sum + line.count, 0) }

  add (digest: DigestView): void {
    const byConversation = new Map(this.#lines.map(line => [line.conversation, { ...line }]))
    for (const from of digest.from) {
      const line = byConversation.get(from.conversation) ?? { conversation: from.conversation, peer: from.peer, name: from.name, count: 0 }
      byConversation.set(from.conversation, { ...line, peer: from.peer, name: from.name, count: line.count + from.count })
    }
    this.#lines = [...byConversation.values()]
  }

  /** The conversation was opened: what it held has been seen. */
  seen (conversation: string | undefined): void {
    this.#lines = this.#lines.filter(line => line.conversation !== conversation)
  }

  dismiss (): void {
    this.#lines = []
  }
}
