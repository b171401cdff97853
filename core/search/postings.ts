// The postings of the search index: one key per (word, message), `<word tag>!<newest-first time>!<message id>`.
// Under a word, keys sort newest first (the time is inverted and zero-padded), so the first results
// come from the front of each word's range without reading the rest.
import { WORD_TAG_CHARS } from '../../crypto/search-tag.js'

/** Times are Unix ms; inverted against the largest safe integer (16 digits), so that newest sorts first. */
const NEWEST_FIRST_BASE = Number.MAX_SAFE_INTEGER
const TIME_DIGITS = 16

/** Where a message stands among the postings of any word: `<newest-first time>!<message id>`. */
export function postingPlace (arrived: number, id: string): string {
  return `${String(NEWEST_FIRST_BASE - arrived).padStart(TIME_DIGITS, '0')}!${id}`
}

export function postingKey (tag: string, place: string): string {
  return `${tag}!${place}`
}

/** The place of a posting key (what follows its tag). */
export function placeOf (key: string): string {
  return key.slice(WORD_TAG_CHARS + 1)
}

/** The message id of a place. */
export function idOfPlace (place: string): string {
  return place.slice(TIME_DIGITS + 1)
}

/** The key range of one word's postings. */
export function wordRange (tag: string): { gte: string, lt: string } {
  return { gte: `${tag}!`, lt: `${tag}"` } // '"' is the character after '!'
}
