// The emoji picker's pieces that need no browser: the data made from emojibase-data at build time,
// the search over English and French names, and where the arrow keys move in its grid.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildEmojiData, plainEmoji } from '../../ui/scripts/emoji-data-plugin.js'
import { emojiFont } from '../../ui/scripts/emoji-font-plugin.js'
import { readLigatureLookups } from '../../ui/scripts/ligature-lookups.js'
import { readSfnt } from '../../ui/scripts/sfnt-tables.js'
import { EmojiIndex } from '../../ui/src/lib/emoji/emoji-search.js'
import { folded } from '../../ui/src/lib/folded.js'
import { gridMove } from '../../ui/src/lib/emoji/grid-move.js'
import { insertAtCaret } from '../../ui/src/lib/emoji/insert-at-caret.js'

const data = buildEmojiData()
const index = new EmojiIndex(data.emoji)
const firstOf = (query: string): string | undefined => index.search(query)[0]?.emoji

describe('emoji data', () => {
  it('has every category but the skin-tone components, each emoji once, without skin-tone variants', () => {
    assert.deepEqual(data.categories.map(category => category.name), ['Smileys & emotion', 'People & body', 'Animals & nature', 'Food & drink', 'Travel & places', 'Activities', 'Objects', 'Symbols', 'Flags'])
    assert.equal(new Set(data.emoji.map(item => item.emoji)).size, data.emoji.length)
    assert.ok(data.emoji.every(item => !/[\u{1F3FB}-\u{1F3FF}]/u.test(item.emoji)), 'no skin tone')
    assert.ok(data.emoji.length > 1500)
  })

  it('writes an emoji as one types it: no variation selector after a character that is an emoji anyway', () => {
    assert.equal(plainEmoji('👍\uFE0F'), '👍')
    assert.equal(plainEmoji('❤\uFE0F'), '❤\uFE0F', 'a heart without it would be a text heart')
  })
})

describe("the app's emoji font, mended for Chromium", () => {
  it('draws every emoji the picker offers as one glyph, its variation selectors left out as Chromium leaves them', async () => {
    const font = await emojiFont()
    const missing = data.emoji.filter(item => !font.draws(item.emoji)).map(item => item.emoji)
    assert.deepEqual(missing, [])
    assert.ok(font.draws('\u2764\u200D\u{1F525}'), 'heart on fire, as Chromium shapes it')
    assert.ok(!font.draws('\u{1F426}\u200D\u{1F525}'), 'phoenix: Emoji 15.1, newer than the font')
  })

  it('keeps every ligature the font had, and adds each that lists U+FE0F again without it, as the table it wrote reads back', async () => {
    const mended = readLigatureLookups(readSfnt((await emojiFont()).file).tables.get('GSUB')!)
    const ligatures = mended.flatMap(lookup => lookup.ligatures)
    const keys = new Set(ligatures.map(ligature => ligature.components.join()))
    assert.equal(keys.size, ligatures.length, 'each sequence once')
    assert.ok(ligatures.length > 3000)
  })
})

describe('emoji search', () => {
  it('finds by English or French name, whatever the accents and the case', () => {
    assert.equal(firstOf('thumbs'), '👍')
    assert.equal(firstOf('pouce'), '👍', 'a common reaction first among equal matches')
    assert.equal(firstOf('Fusee'), '🚀')
    assert.equal(firstOf('fusée'), '🚀')
    assert.ok(index.search('coeur').some(item => item.emoji === '❤\uFE0F'))
    assert.equal(folded('Cœur Élan'), 'coeur elan')
  })

  it('needs every word, and prefers what was used recently', () => {
    assert.equal(firstOf('red heart'), '❤\uFE0F')
    assert.deepEqual(index.search('zzzz-nothing'), [])
    assert.deepEqual(index.search('  '), [])
    assert.equal(index.search('pouce', ['🤏'])[0]?.emoji, '🤏')
  })
})

describe('emoji grid keys', () => {
  it('moves within rows of 8 and stops at the edges; ↑ from the first row leaves for the search field', () => {
    assert.equal(gridMove('ArrowRight', 0, 20, 8), 1)
    assert.equal(gridMove('ArrowRight', 19, 20, 8), 19)
    assert.equal(gridMove('ArrowLeft', 0, 20, 8), 0)
    assert.equal(gridMove('ArrowDown', 3, 20, 8), 11)
    assert.equal(gridMove('ArrowDown', 13, 20, 8), 19, 'to the last cell of a shorter last row')
    assert.equal(gridMove('ArrowDown', 17, 20, 8), 17, 'already on the last row')
    assert.equal(gridMove('ArrowUp', 11, 20, 8), 3)
    assert.equal(gridMove('ArrowUp', 3, 20, 8), 'above')
    assert.equal(gridMove('Home', 11, 20, 8), 8)
    assert.equal(gridMove('End', 17, 20, 8), 19)
    assert.equal(gridMove('End', 3, 20, 8, true), 19)
    assert.equal(gridMove('a', 3, 20, 8), undefined)
  })

  it('puts a picked emoji at the caret, over the selection', () => {
    assert.deepEqual(insertAtCaret('See you', 3, 3, '👍'), { text: 'See👍 you', caret: 5 })
    assert.deepEqual(insertAtCaret('See you', 4, 7, '🙂'), { text: 'See 🙂', caret: 6 })
  })
})
