// The search index's word tags: HMAC-SHA-256 of a normalised word under the profile's search key,
// cut to 12 bytes (base64url, 16 characters). The index is keyed by them, so its files name no word
// in clear; without the key, a word cannot be checked against them. 96 bits: no collision in a
// lexicon of millions of words.
import { createHmac } from 'node:crypto'

export const WORD_TAG_CHARS = 16
const TAG_BYTES = 12

export type WordTagger = (word: string) => string

export function wordTagger (key: Uint8Array): WordTagger {
  return word => createHmac('sha256', key).update(word, 'utf8').digest().subarray(0, TAG_BYTES).toString('base64url')
}
