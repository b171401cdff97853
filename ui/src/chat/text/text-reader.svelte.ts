// The message-text parser (message-tree.ts, with markdown-it: half the size of the rest of the app)
// is loaded on first use, so the app's first load stays small. It is held in state: whatever showed a
// text before it arrived (as written, mentions read) shows it again, as rendered.
import { withPlainMentions } from '../../../../core/mentions.js'
import { excerpt, type TextReader } from './excerpt.js'

type TreeModule = typeof import('./message-tree.js')
let treeModule = $state<TreeModule>()
let loading: Promise<void> | undefined

/** The parser, or undefined until it is loaded; the first call starts loading it. */
export function messageParser (): TreeModule | undefined {
  loading ??= import('./message-tree.js').then(module => { treeModule = module }, () => { loading = undefined })
  return treeModule
}

/** How a message's markup reads rendered; its mentions alone until the parser is here. */
export function textReader (): TextReader {
  return messageParser()?.readableText ?? withPlainMentions
}

/** A message as a short line, as it reads rendered (excerpt.ts): the reply banner, a quote. */
export function messageExcerpt (text: string, length?: number): string {
  return excerpt(text, length, textReader())
}
