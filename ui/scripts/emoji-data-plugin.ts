// Builds the emoji the picker offers from emojibase-data (MIT), at build time, into one module of the
// app (`virtual:emoji-data`, a lazy chunk): English and French names and keywords, no skin tones, no
// components. The app is served offline by the node: nothing is fetched at run time.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Plugin } from 'vite'
import type { Emoji, EmojiData } from '../src/lib/emoji/emoji-data.js'
import { emojiFont } from './emoji-font-plugin.js'

const MODULE_ID = 'virtual:emoji-data'
const RESOLVED_ID = '\0' + MODULE_ID
/** Emoji newer than this are still missing from many systems' fonts: they would show as boxes. */
const NEWEST_EMOJI_VERSION = 15
/** emojibase's group of skin-tone and hair components, not emoji on their own. */
const COMPONENT_GROUP = 2

interface SourceEmoji { hexcode: string, label: string, emoji: string, group?: number, order?: number, tags?: string[], version: number }
interface SourceMessages { groups: Array<{ key: string, message: string, order: number }> }

const load = createRequire(import.meta.url)
const source = (locale: 'en' | 'fr', file: 'data' | 'messages'): unknown => load(`emojibase-data/${locale}/${file}.json`)

/** `👍️` as `👍`: a variation selector after a character shown as emoji anyway, so that a reaction picked here and one typed elsewhere are the same text. */
export function plainEmoji (emoji: string): string {
  return emoji.replace(/(\p{Emoji_Presentation})\uFE0F/gu, '$1')
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

/** `draws` says whether the app's emoji font draws an emoji as one glyph (emoji-font-plugin.ts): the picker offers no other. */
export function buildEmojiData (draws: (emoji: string) => boolean = () => true): EmojiData {
  const english = source('en', 'data') as SourceEmoji[]
  const french = new Map((source('fr', 'data') as SourceEmoji[]).map(item => [item.hexcode, item]))
  const groupsFr = (source('fr', 'messages') as SourceMessages).groups
  const groups = (source('en', 'messages') as SourceMessages).groups.filter(group => group.order !== COMPONENT_GROUP)
  const categoryOf = new Map(groups.map((group, index) => [group.order, index]))
  const emoji: Array<Emoji & { order: number }> = english
    .filter(item => item.group !== undefined && categoryOf.has(item.group) && item.version <= NEWEST_EMOJI_VERSION && draws(item.emoji))
    .map(item => {
      const fr = french.get(item.hexcode)
      return {
        emoji: plainEmoji(item.emoji),
        name: item.label,
        nameFr: fr?.label ?? item.label,
        category: categoryOf.get(item.group!)!,
        tags: [...new Set([...item.tags ?? [], ...fr?.tags ?? []])],
        order: item.order ?? 0
      }
    })
  emoji.sort((a, b) => a.order - b.order)
  return {
    categories: groups.map(group => ({
      name: capitalised(group.message),
      nameFr: capitalised(groupsFr.find(fr => fr.key === group.key)?.message ?? group.message)
    })),
    emoji: emoji.map(({ order: _order, ...item }) => item)
  }
}

/** The packages whose data or font the app carries: their licences go with it, in `licenses/`. */
const BUNDLED_PACKAGES = ['emojibase-data', 'twemoji-colr-font']

/** The Vite plugin that serves `virtual:emoji-data` and puts the licences of what it bundles beside the app. */
export function emojiData (): Plugin {
  return {
    name: 'causette-emoji-data',
    resolveId: id => id === MODULE_ID ? RESOLVED_ID : undefined,
    // JSON.parse of one string loads faster than the same data as a JavaScript literal.
    load: async id => id === RESOLVED_ID ? `export default JSON.parse(${JSON.stringify(JSON.stringify(buildEmojiData((await emojiFont()).draws)))})` : undefined,
    generateBundle () {
      for (const name of BUNDLED_PACKAGES) {
        const source = readFileSync(join(dirname(load.resolve(`${name}/package.json`)), 'LICENSE'), 'utf8')
        this.emitFile({ type: 'asset', fileName: `licenses/${name}.txt`, source })
      }
    }
  }
}
