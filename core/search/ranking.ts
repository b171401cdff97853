// The order of results. A result holds every query word (as a word or as the start of one) before
// one that holds only some; then more query words matched whole ("signe" as a word before
// "signature"); then the newest first. Decided from the message's own text, so the index only has to
// find candidates: a stale posting (a message since edited) cannot rank a message that no longer matches.
import { wordsAt } from './words.js'

export interface Candidate<M> { message: M, text: string, place: string }

export interface RankedMatch<M> extends Candidate<M> {
  /** Query words the text holds, as words or starts of words. */
  matched: number
  /** Query words the text holds as whole words. */
  whole: number
  /** The words of the text that a query word starts: [start, end) offsets into `text`. */
  highlights: Array<[number, number]>
}

export function rankMatches<M> (queryWords: string[], candidates: Array<Candidate<M>>): Array<RankedMatch<M>> {
  return candidates
    .map(candidate => scored(queryWords, candidate))
    .filter(match => match.matched > 0)
    .sort((a, b) => b.matched - a.matched || b.whole - a.whole || (a.place < b.place ? -1 : a.place > b.place ? 1 : 0))
}

function scored<M> (queryWords: string[], candidate: Candidate<M>): RankedMatch<M> {
  const words = wordsAt(candidate.text)
  const matched = queryWords.filter(query => words.some(at => at.word.startsWith(query))).length
  const whole = queryWords.filter(query => words.some(at => at.word === query)).length
  const highlights = words.filter(at => queryWords.some(query => at.word.startsWith(query))).map((at): [number, number] => [at.start, at.end])
  return { ...candidate, matched, whole, highlights }
}
