// A message as a short plain line (the reply banner, a quote, the sidebar, a notification): what a
// reader sees of it rendered, never its markup. Pure, so that its tests need no browser.
import { withPlainMentions } from '../../../../core/mentions.js'

/** Reads a message's markup as the renderer shows it: message-tree.ts's `readableText`. */
export type TextReader = (text: string) => string

/**
 * The text in one line, cut at `length` characters with an ellipsis. `read`: the renderer's reading
 * (text-reader.svelte.ts gives it once the parser is loaded); mentions alone until then.
 */
export function excerpt (text: string, length = Infinity, read: TextReader = withPlainMentions): string {
  const line = read(text).replace(/\s+/g, ' ').trim()
  return line.length > length ? `${line.slice(0, length - 1)}…` : line
}
