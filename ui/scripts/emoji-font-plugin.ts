// The app's own emoji font (ui/src/lib/emoji/emoji-font.css), Mozilla's Twemoji COLR from
// twemoji-colr-font, mended at build time for Chromium. Its ligatures for an emoji made of several
// characters (❤️‍🔥 heart on fire, 😶‍🌫️ face in clouds, 🏳️‍🌈 rainbow flag) list the variation selector
// U+FE0F among their glyphs. Chromium shapes a selector that the font's cmap has no variation
// sequence for as if it were not there, so those ligatures never matched and each part was drawn on
// its own, side by side. The mended font carries each such ligature once more without the selector,
// as Noto Color Emoji's are; Firefox, which keeps the selector, still finds the original.
/// <reference path="./wawoff2.d.ts" />
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'
import wawoff2 from 'wawoff2'
import { readCmap } from './font-cmap.js'
import { readLigatureLookups, withLigatureLookups, type LigatureLookup } from './ligature-lookups.js'
import { readSfnt, writeSfnt } from './sfnt-tables.js'

/** What emoji-font.css names as its source; resolved to the mended file. */
const FONT_IMPORT = 'causette-emoji-font.ttf'
const FONT_FILE = fileURLToPath(new URL('../../.cache/emoji-font/twemoji-mended.ttf', import.meta.url))
const VARIATION_SELECTOR = 0xFE0F

export interface EmojiFont {
  /** The mended font, a TrueType file. */
  file: Uint8Array
  /** Whether the font draws this emoji as one glyph, in Chromium too. */
  draws: (emoji: string) => boolean
}

/** Each lookup with, after every ligature that lists the selector, the same without it (unless the font has that one already). */
function withoutSelector (lookups: LigatureLookup[], selector: number): LigatureLookup[] {
  return lookups.map(lookup => {
    const known = new Set(lookup.ligatures.map(ligature => ligature.components.join()))
    const added = lookup.ligatures.flatMap(ligature => {
      const components = ligature.components.filter(glyph => glyph !== selector)
      if (components.length === ligature.components.length || components.length < 2 || known.has(components.join())) return []
      known.add(components.join())
      return [{ components, glyph: ligature.glyph }]
    })
    return { ...lookup, ligatures: [...lookup.ligatures, ...added] }
  })
}

async function mend (): Promise<EmojiFont> {
  const packaged = await readFile(createRequire(import.meta.url).resolve('twemoji-colr-font/twemoji.woff2'))
  const sfnt = readSfnt(await wawoff2.decompress(packaged))
  const glyphOf = readCmap(sfnt.tables.get('cmap')!)
  const selector = glyphOf.get(VARIATION_SELECTOR)
  if (selector === undefined) throw new Error('the emoji font has no glyph for U+FE0F')
  const lookups = withoutSelector(readLigatureLookups(sfnt.tables.get('GSUB')!), selector)
  sfnt.tables.set('GSUB', withLigatureLookups(sfnt.tables.get('GSUB')!, lookups))
  const drawn = new Set(lookups.flatMap(lookup => lookup.ligatures.map(ligature => ligature.components.join())))
  const draws = (emoji: string): boolean => {
    const glyphs = [...emoji].map(character => character.codePointAt(0)!).filter(code => code !== VARIATION_SELECTOR).map(code => glyphOf.get(code))
    if (glyphs.includes(undefined)) return false
    return glyphs.length === 1 || drawn.has(glyphs.join())
  }
  return { file: writeSfnt(sfnt), draws }
}

let mended: Promise<EmojiFont> | undefined
/** The mended font, made once per build. */
export const emojiFont = async (): Promise<EmojiFont> => await (mended ??= mend())

/** The Vite plugin that writes the mended font where emoji-font.css finds it. */
export function emojiFontFile (): Plugin {
  return {
    name: 'causette-emoji-font',
    config: () => ({ resolve: { alias: [{ find: FONT_IMPORT, replacement: FONT_FILE }] } }),
    async buildStart () {
      await mkdir(dirname(FONT_FILE), { recursive: true })
      // Written aside then renamed: another build of the same tree never reads half a file.
      const partial = join(dirname(FONT_FILE), `.${process.pid}.ttf`)
      await writeFile(partial, (await emojiFont()).file)
      await rename(partial, FONT_FILE)
    }
  }
}
