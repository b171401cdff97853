// The words the index knows, in memory and sorted, so that a query word can stand for every word it
// starts ("sign" → "signature", "signe"). Loaded from the sealed `searchWords` sub-database; a word
// whose messages were all removed stays (it then matches nothing). It holds at most
// MAX_LEXICON_WORDS: a word past them is still indexed and found whole, only not by its start.

/** At most this many words stand for one query word: the word itself first, then the shortest ones. */
export const MAX_EXPANSIONS = 64
/** A short prefix ("s") is read this far in sorted order, not through the whole lexicon. */
const MAX_PREFIX_SCAN = 4096
/**
 * Words known at most: about 70 MB of a node's memory when full (measured). A language's common
 * words, with names and an office's jargon, number in the tens of thousands; numbers and codes make
 * the rest, and past the bound a new word is still found whole. Without it, a colleague's messages of
 * made-up words (9,000 in each 64 KiB) grew the memory, and what every start loads, without end:
 * 300 of them added 2.7 million words, 500 MB to the node's memory after a restart.
 */
export const MAX_LEXICON_WORDS = 250_000

export class Lexicon {
  #sorted: string[] = []
  #known = new Set<string>()
  #added: string[] = []

  constructor (private readonly maxWords = MAX_LEXICON_WORDS) {}

  has (word: string): boolean { return this.#known.has(word) }

  get size (): number { return this.#known.size }

  get full (): boolean { return this.#known.size >= this.maxWords }

  /** Adds a word; false when it was known, or the lexicon is full (the word is then not kept). */
  add (word: string): boolean {
    if (this.#known.has(word) || this.full) return false
    this.#known.add(word)
    this.#added.push(word)
    return true
  }

  /** The known words that start with `prefix`: itself first if known, then by length, at most MAX_EXPANSIONS. */
  expand (prefix: string): string[] {
    const sorted = this.#sortedWords()
    const found: string[] = []
    for (let at = firstAtLeast(sorted, prefix); at < sorted.length && found.length < MAX_PREFIX_SCAN && sorted[at].startsWith(prefix); at++) found.push(sorted[at])
    return found.sort((a, b) => a.length - b.length || (a < b ? -1 : 1)).slice(0, MAX_EXPANSIONS)
  }

  /** The words in order: those added since the last query are sorted alone and merged in (linear, not a sort of the whole lexicon). */
  #sortedWords (): string[] {
    if (this.#added.length > 0) {
      this.#sorted = mergeSorted(this.#sorted, this.#added.sort())
      this.#added = []
    }
    return this.#sorted
  }
}

function mergeSorted (a: string[], b: string[]): string[] {
  const merged = new Array<string>(a.length + b.length)
  let i = 0
  let j = 0
  for (let k = 0; k < merged.length; k++) merged[k] = j >= b.length || (i < a.length && a[i]! < b[j]!) ? a[i++]! : b[j++]!
  return merged
}

function firstAtLeast (sorted: string[], word: string): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (sorted[middle] < word) low = middle + 1
    else high = middle
  }
  return low
}
