// Search's pure parts (core/search): how words are normalised and read, query bounds, the ranking,
// the excerpt, the lexicon's prefix expansion.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CausetteError } from '../../core/errors.js'
import { excerptOf, EXCERPT_CHARS } from '../../core/search/excerpt.js'
import { Lexicon, MAX_EXPANSIONS } from '../../core/search/lexicon.js'
import { queryWords } from '../../core/search/query.js'
import { rankMatches } from '../../core/search/ranking.js'
import { distinctWords, MAX_WORD_CHARS, normaliseWord, wordsAt } from '../../core/search/words.js'

test('a word loses its accents and its case, and compatibility forms become plain letters', () => {
  assert.equal(normaliseWord('Signé'), 'signe')
  assert.equal(normaliseWord('ÉCOLE'), 'ecole')
  assert.equal(normaliseWord('ﬁnancé'), 'finance') // the ﬁ ligature
  assert.equal(normaliseWord('Ｔｏｋｙｏ'), 'tokyo') // full-width letters
  assert.equal(normaliseWord('Ça'), 'ca')
  assert.equal(normaliseWord('x'.repeat(100)).length, MAX_WORD_CHARS)
})

test('words are runs of letters and digits, with their place in the original text', () => {
  const text = "L'école a signé le contrat n°42, d'accord?"
  const words = wordsAt(text)
  assert.deepEqual(words.map(at => at.word), ['l', 'ecole', 'a', 'signe', 'le', 'contrat', 'n', '42', 'd', 'accord'])
  const signe = words.find(at => at.word === 'signe')!
  assert.equal(text.slice(signe.start, signe.end), 'signé')
  // A decomposed "é" (e + combining acute) is one word too.
  assert.deepEqual(distinctWords('sig\u006e\u0065\u0301 signé'), ['signe'])
})

test('a query is its distinct words; too long or too many words is refused, punctuation alone is no word', () => {
  assert.deepEqual(queryWords('  Signé, SIGNE! contrat '), ['signe', 'contrat'])
  assert.deepEqual(queryWords('?!… -- ...'), [])
  assert.throws(() => queryWords('a'.repeat(257)), (error: unknown) => error instanceof CausetteError && error.code === 'SEARCH_QUERY_TOO_LONG')
  assert.throws(() => queryWords('one two three four five six seven eight nine'), (error: unknown) => error instanceof CausetteError && error.code === 'SEARCH_QUERY_TOO_LONG')
  assert.throws(() => queryWords(Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ').slice(0, 5000)), /at most/)
})

test('ranking: every query word first, then whole words, then the newest', () => {
  const candidate = (text: string, place: string) => ({ message: text, text, place })
  const ranked = rankMatches(['sign', 'contrat'], [
    candidate('signature du contrat', '2'), // both, "sign" only as a start
    candidate('sign the contrat', '3'), // both, whole
    candidate('sign here', '1'), // one word only, newest
    candidate('le contrat signé', '4'), // both, "sign" as a start, oldest
    candidate('nothing of it', '0') // a stale posting: dropped
  ]).map(match => match.text)
  assert.deepEqual(ranked, ['sign the contrat', 'signature du contrat', 'le contrat signé', 'sign here'])
})

test('the ranking highlights every word a query word starts, in the original text', () => {
  const [match] = rankMatches(['ecole'], [{ message: 1, text: 'À l’École, écoles', place: '0' }])
  assert.deepEqual(match.highlights.map(([from, to]) => 'À l’École, écoles'.slice(from, to)), ['École', 'écoles'])
})

test('an excerpt opens near the first match, says where it was cut, and moves the highlights with it', () => {
  const text = `${'blah '.repeat(80)}the signature here ${'tail '.repeat(80)}`
  const at = text.indexOf('signature')
  const excerpt = excerptOf(text, [[at, at + 'signature'.length]])
  assert.ok(excerpt.text.startsWith('…') && excerpt.text.endsWith('…'))
  assert.ok(excerpt.text.length <= EXCERPT_CHARS + 2)
  const [[from, to]] = excerpt.highlights
  assert.equal(excerpt.text.slice(from, to), 'signature')
  assert.deepEqual(excerptOf('short signé', [[6, 11]]), { text: 'short signé', highlights: [[6, 11]] })
})

test('the lexicon expands a prefix to the word itself first, then the shortest, at most MAX_EXPANSIONS', () => {
  const lexicon = new Lexicon()
  for (const word of ['signature', 'signe', 'sign', 'signal', 'sigma', 'assign']) lexicon.add(word)
  assert.deepEqual(lexicon.expand('sign'), ['sign', 'signe', 'signal', 'signature'])
  assert.deepEqual(lexicon.expand('zzz'), [])
  for (let i = 0; i < 200; i++) lexicon.add(`sign${i}`)
  assert.equal(lexicon.expand('sign').length, MAX_EXPANSIONS)
  assert.equal(lexicon.expand('sign')[0], 'sign')
})

