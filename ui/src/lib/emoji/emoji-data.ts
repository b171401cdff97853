// The shape of the emoji the picker offers. The data itself is made at build time from
// emojibase-data (ui/scripts/emoji-data-plugin.ts) and loaded only when a picker first opens.

/** One category ("Smileys & emotion"), named in English and French. */
export interface EmojiCategory { name: string, nameFr: string }

/** One emoji, without skin tones: its English and French names and search keywords. */
export interface Emoji {
  emoji: string
  name: string
  nameFr: string
  /** Index into `EmojiData.categories`. */
  category: number
  /** Keywords in both languages (emojibase's tags), for the search. */
  tags: string[]
}

export interface EmojiData { categories: EmojiCategory[], emoji: Emoji[] }
