// A search query: its words, normalised as the index's are. Bounded before anything is read, so a
// huge or strange query gets a clear error or nothing, never a long scan.
import { CausetteError } from '../errors.js'
import { distinctWords } from './words.js'

export const MAX_QUERY_CHARS = 256
export const MAX_QUERY_WORDS = 8

/** The distinct words of `q` (each matched as a word or as the start of one); empty when it has none (only punctuation). */
export function queryWords (q: string): string[] {
  if (q.length > MAX_QUERY_CHARS) throw new CausetteError('SEARCH_QUERY_TOO_LONG', `a search is at most ${MAX_QUERY_CHARS} characters`)
  const words = distinctWords(q)
  if (words.length > MAX_QUERY_WORDS) throw new CausetteError('SEARCH_QUERY_TOO_LONG', `a search is at most ${MAX_QUERY_WORDS} words`)
  return words
}
