// One query word read through the index: the postings of every word it stands for (the lexicon's
// expansion), merged newest first. `seek` jumps every underlying iterator at once, which is what makes
// the intersection of a rare word and a common one cheap (leapfrog: see matches.ts).
import type { AbstractKeyIterator } from 'abstract-level'
import { placeOf, postingKey, wordRange } from './postings.js'

interface WordIterator {
  iterator: AbstractKeyIterator<any, string> // eslint-disable-line @typescript-eslint/no-explicit-any -- a sublevel's iterator
  tag: string
  head: string | undefined
}

export interface PostingSource {
  keys: (range: { gte: string, lt: string }) => AbstractKeyIterator<any, string> // eslint-disable-line @typescript-eslint/no-explicit-any -- a sublevel's iterator
}

export class TermCursor {
  #words: WordIterator[]

  private constructor (words: WordIterator[]) {
    this.#words = words
  }

  /** A cursor over the postings of `tags` (the tags of the words one query word stands for), at its newest. */
  static async open (source: PostingSource, tags: string[]): Promise<TermCursor> {
    const words = tags.map(tag => ({ iterator: source.keys(wordRange(tag)), tag, head: undefined as string | undefined }))
    const cursor = new TermCursor(words)
    await Promise.all(words.map(async word => { await cursor.#step(word) }))
    return cursor
  }

  /** The newest place not yet passed (undefined: none left). */
  get head (): string | undefined {
    let newest: string | undefined
    for (const word of this.#words) if (word.head !== undefined && (newest === undefined || word.head < newest)) newest = word.head
    return newest
  }

  /** Moves past the head. */
  async advance (): Promise<void> {
    const head = this.head
    await Promise.all(this.#words.filter(word => word.head === head).map(async word => { await this.#step(word) }))
  }

  /** Moves to the first place at or after `place` (places sort newest first). */
  async seek (place: string): Promise<void> {
    await Promise.all(this.#words.filter(word => word.head !== undefined && word.head < place).map(async word => {
      word.iterator.seek(postingKey(word.tag, place))
      await this.#step(word)
    }))
  }

  async close (): Promise<void> {
    await Promise.all(this.#words.map(async word => { await word.iterator.close() }))
  }

  async #step (word: WordIterator): Promise<void> {
    const key = await word.iterator.next()
    word.head = key === undefined ? undefined : placeOf(key)
  }
}
