// Finds emoji by their English or French names and keywords, whatever the accents and the case:
// "pouce", "thumbs" and "coeur" all find what one means. Names that start with the words come first,
// and among equals the emoji people use most (recently used here, then common reactions).
import { folded } from '../folded.js'
import type { Emoji } from './emoji-data.js'

/** Common choices, first among equal matches: "pouce" is 👍 before 🤏 ("pouce et index rapprochés"). */
export const COMMON_EMOJI = ['👍', '❤️', '😂', '😄', '🎉', '🙏', '👀', '✅', '🔥', '😊', '👏', '🚀']

interface Searchable { emoji: Emoji, names: string[], tags: string }

/** An index over the emoji, built once when the picker's data arrives. */
export class EmojiIndex {
  readonly #entries: Searchable[]

  constructor (emoji: Emoji[]) {
    this.#entries = emoji.map(item => ({ emoji: item, names: [folded(item.name), folded(item.nameFr)], tags: folded(item.tags.join('\n')) }))
  }

  /**
   * The emoji whose name or keywords contain every word of `query`, best first: a name that starts
   * with it, a word of a name that does, then the rest; among equals, `preferred` ones first (in its
   * order), then the catalogue's order.
   */
  search (query: string, preferred: string[] = COMMON_EMOJI, limit = 200): Emoji[] {
    const words = folded(query).split(/\s+/).filter(word => word !== '')
    if (words.length === 0) return []
    const whole = words.join(' ')
    const preference = (emoji: string): number => { const at = preferred.indexOf(emoji); return at === -1 ? preferred.length : at }
    const ranked: Array<{ emoji: Emoji, rank: number, preference: number }> = []
    for (const entry of this.#entries) {
      if (!words.every(word => entry.names.some(name => name.includes(word)) || entry.tags.includes(word))) continue
      ranked.push({ emoji: entry.emoji, rank: rankOf(entry, whole), preference: preference(entry.emoji.emoji) })
    }
    // Array sort is stable: equal ranks and preferences keep the catalogue's order.
    return ranked.sort((a, b) => a.rank - b.rank || a.preference - b.preference).slice(0, limit).map(hit => hit.emoji)
  }
}

function rankOf (entry: Searchable, whole: string): number {
  if (entry.names.some(name => name === whole)) return 0
  if (entry.names.some(name => name.startsWith(whole))) return 1
  if (entry.names.some(name => name.split(/[\s:,-]+/).some(word => word.startsWith(whole)))) return 2
  return 3
}
