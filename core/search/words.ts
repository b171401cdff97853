// The words of a text as search sees them: NFKD (a ligature or a full-width letter becomes plain
// letters), combining marks stripped ("signé" → "signe"), lower case. A word is a run of letters and
// digits; everything else separates words. Pure: the app's highlighting reads words the same way.

/** Longer words are cut here: nobody types more, and a key stays small. */
export const MAX_WORD_CHARS = 48

const WORD = /[\p{L}\p{M}\p{N}]+/gu
const MARKS = /\p{M}+/gu

/** One word, normalised: NFKD, no combining marks, lower case, at most MAX_WORD_CHARS. */
export function normaliseWord (word: string): string {
  return word.normalize('NFKD').replace(MARKS, '').toLowerCase().slice(0, MAX_WORD_CHARS)
}

/** A word of a text with where it stands there (UTF-16 offsets into the original text). */
export interface WordAt { word: string, start: number, end: number }

/** Every word of `text` in order, normalised, with its place in the original text. */
export function wordsAt (text: string): WordAt[] {
  const found: WordAt[] = []
  for (const match of text.matchAll(WORD)) {
    const word = normaliseWord(match[0])
    if (word !== '') found.push({ word, start: match.index, end: match.index + match[0].length })
  }
  return found
}

/** The distinct normalised words of `text`: what the index holds for a message. */
export function distinctWords (text: string): string[] {
  return [...new Set(wordsAt(text).map(at => at.word))]
}
