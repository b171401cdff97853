// What arrived while notifications were held (focus or mute), as the node summarised it: shown in
// the sidebar until the user dismisses it. Digests that follow each other add up by author.
import type { DigestView } from '../../../core/api/schema.js'

export interface DigestLine { peer: string, name: string, count: number }

export class Digests {
  #lines = $state.raw<DigestLine[]>([])

  get lines (): DigestLine[] { return this.#lines }
  get total (): number { return this.#lines.reduce((sum, line) => sum + line.count, 0) }

  add (digest: DigestView): void {
    const byPeer = new Map(this.#lines.map(line => [line.peer, { ...line }]))
    for (const from of digest.from) {
      const line = byPeer.get(from.peer) ?? { peer: from.peer, name: from.name, count: 0 }
      line.count += from.count
      byPeer.set(from.peer, line)
    }
    this.#lines = [...byPeer.values()]
  }

  /** The conversation was opened: what it held has been seen. */
  seen (peer: string): void {
    this.#lines = this.#lines.filter(line => line.peer !== peer)
  }

  dismiss (): void {
    this.#lines = []
  }
}
