// The composer's mention autocomplete, without the DOM: which "@query" the caret is in, which
// colleagues match it, and the text once one is chosen. The box shows "@Bruno Petit" as people write
// it; only the text sent carries the token that names the colleague's PeerId (withMentionTokens).
import { mentionToken } from '../../../core/mentions.js'
import { folded } from '../lib/folded.js'

export interface Mentionable {
  peerId: string
  name: string
  /** Beside a name another colleague goes by too (core/api/schema.ts NameTag). */
  nameTag?: string | undefined
}

export interface MentionQuery {
  /** Where the `@` is. */
  start: number
  /** What was typed after it, up to the caret. */
  query: string
}

const MAX_QUERY = 40
const MAX_OPTIONS = 8

/** The "@query" that ends at the caret: an `@` at the start or after a space, then no line break or bracket. */
export function mentionQuery (text: string, caret: number): MentionQuery | undefined {
  const before = text.slice(Math.max(0, caret - MAX_QUERY - 1), caret)
  const match = /@([^\s@[\]()][^\n@[\]()]*|)$/.exec(before)
  if (match === null) return undefined
  const start = caret - match[0].length
  const previous = text[start - 1]
  if (previous !== undefined && !/[\s(]/.test(previous)) return undefined
  return { start, query: match[1]! }
}

/** Colleagues whose name (or one of its words) starts with the query, accents and case aside. */
export function mentionOptions (colleagues: readonly Mentionable[], query: string): Mentionable[] {
  const wanted = folded(query.trimEnd())
  return colleagues
    .filter(colleague => {
      const name = folded(colleague.name)
      return name.startsWith(wanted) || name.split(/\s+/).some(word => word.startsWith(wanted))
    })
    .slice(0, MAX_OPTIONS)
}

/** The text with the query replaced by "@Name " (as shown in the box); where the caret goes. */
export function insertMention (text: string, at: MentionQuery, caret: number, colleague: Mentionable): { text: string, caret: number } {
  const shown = `@${colleague.name} `
  return { text: text.slice(0, at.start) + shown + text.slice(caret), caret: at.start + shown.length }
}

/**
 * The text to send: each "@Name" of a colleague chosen from the list becomes the token that names
 * them (longest names first, so "@Bruno Petit" is never taken for "@Bruno"); the "@Name" of anyone
 * not chosen, or a name changed since, stays text.
 */
export function withMentionTokens (text: string, chosen: readonly Mentionable[]): string {
  const byLength = [...chosen].sort((a, b) => b.name.length - a.name.length)
  let result = text
  for (const colleague of byLength) {
    const shown = new RegExp(`(^|[\\s(])@${escapeRegExp(colleague.name)}(?![\\p{L}\\p{N}])`, 'gu')
    result = result.replace(shown, (_, before: string) => `${before}${mentionToken(colleague.name, colleague.peerId)}`)
  }
  return result
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
