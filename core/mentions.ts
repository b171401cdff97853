// A mention inside a message's text: `@[Bruno Petit](12D3KooW…)`. The name is what readers see;
// the PeerId is what decides who was mentioned (two colleagues may share a name). The text stays a
// plain string, so a mention is signed, journaled and exported with it. Pure: the app imports it.

/** One mention token; the name has no brackets or line breaks, the id is a PeerId (base58). */
const MENTION = /@\[([^[\]\n]{1,100})\]\(([1-9A-HJ-NP-Za-km-z]{1,128})\)/y
const MENTION_ANYWHERE = new RegExp(MENTION.source, 'g')

export interface Mention {
  name: string
  peerId: string
  /** How many characters of the text the token takes. */
  length: number
}

/** The token for a colleague: what the composer inserts. Brackets and line breaks in a name become spaces. */
export function mentionToken (name: string, peerId: string): string {
  const shown = name.replace(/[[\]\s]+/g, ' ').trim().slice(0, 100)
  return `@[${shown === '' ? peerId.slice(-6) : shown}](${peerId})`
}

/** The mention that starts exactly at `position` of `text`, if one does. */
export function mentionAt (text: string, position: number): Mention | undefined {
  MENTION.lastIndex = position
  const match = MENTION.exec(text)
  if (match === null) return undefined
  return { name: match[1]!, peerId: match[2]!, length: match[0].length }
}

/** The colleagues the text mentions, each once, in order: what an edit of it keeps mentioning. */
export function mentionsIn (text: string): Array<{ name: string, peerId: string }> {
  const found = new Map<string, string>()
  for (const match of text.matchAll(MENTION_ANYWHERE)) if (!found.has(match[2]!)) found.set(match[2]!, match[1]!)
  return [...found].map(([peerId, name]) => ({ name, peerId }))
}

/** Every PeerId the text mentions. */
export function mentionedPeers (text: string): Set<string> {
  return new Set(mentionsIn(text).map(mention => mention.peerId))
}

/** The text as a person reads it: each token becomes `@Name` (notifications, previews). */
export function withPlainMentions (text: string): string {
  return text.replace(MENTION_ANYWHERE, (_token, name: string) => `@${name}`)
}
