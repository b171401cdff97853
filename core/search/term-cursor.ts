// One query word read through the index: the postings of every word it stands for (the lexicon's
// expansion), merged newest first. `seek` jumps every underlying iterator at once, which is what makes
// the intersection of a rare word and a common one cheap (leapfrog: see matches.ts).
import type { AbstractKeyIterator } from 'abstract-level'
import { placeOf, postingKey, wordRange } from './postings.js'

interface WordIterator {
  iterator: AbstractKeyIterator<any, string> // eslint-disable-line @typescript-eslint/no-explicit-any -- a sublevel's iterator
  tag: string
  head: string | undefined
  /** Moved by a seek at least once (a leapfrog): see advance. */
  sought: boolean
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
    const words = tags.map(tag => ({ iterator: source.keys(wordRange(tag)), tag, head: undefined as string | undefined, sought: false }))
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

  /**
   * Moves past the head. An iterator that was sought moves by another seek, just after its head: its
   * plain next() would read the next 1,000 keys at once (classic-level), which a leapfrog throws
   * away at its next seek; one read in order keeps that batching.
   */
  async advance (): Promise<void> {
    const head = this.head
    if (head === undefined) return
    await Promise.all(this.#words.filter(word => word.head === head).map(async word => {
      if (word.sought) word.iterator.seek(postingKey(word.tag, head) + '\u0000')
      await this.#step(word)
    }))
  }

  /** Moves to the first place at or after `place` (places sort newest first). */
  async seek (place: string): Promise<void> {
    await Promise.all(this.#words.filter(word => word.head !== undefined && word.head < place).map(async word => {
      word.iterator.seek(postingKey(word.tag, place))
      word.sought = true
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
