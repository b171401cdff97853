// A message's text as a tree of a few allowed kinds, parsed by markdown-it with every rule off
// but the small subset we show: bold, italic, inline code, code blocks, lists, quotes, bare links
// (linkify-it) and mentions. Nothing becomes HTML: the tree is rendered by Svelte components,
// which escape text. Raw HTML, images, headings and `[text](target)` links are not parsed at
// all (they stay text), so a link always shows its own target.
import MarkdownIt from 'markdown-it'
import type { StateInline, Token } from 'markdown-it'
import { mentionAt, mentionToken, withPlainMentions } from '../../../../core/mentions.js'

export type InlineNode =
  | { kind: 'text', text: string }
  | { kind: 'break' }
  | { kind: 'code', text: string }
  | { kind: 'strong' | 'em', children: InlineNode[] }
  | { kind: 'link', href: string, children: InlineNode[] }
  | { kind: 'mention', name: string, peerId: string }

export type BlockNode =
  | { kind: 'paragraph', children: InlineNode[] }
  | { kind: 'code-block', info: string, text: string }
  | { kind: 'list', ordered: boolean, start: number, children: BlockNode[] }
  | { kind: 'item' | 'quote', children: BlockNode[] }

export type MessageNode = InlineNode | BlockNode

/** Every kind of node the tree may hold: the renderer has a branch for each, and nothing else. */
export const ALLOWED_KINDS: ReadonlySet<MessageNode['kind']> = new Set(['text', 'break', 'code', 'strong', 'em', 'link', 'mention', 'paragraph', 'code-block', 'list', 'item', 'quote'])

/** The only link targets shown as links; anything else (javascript:, data:, file:) stays text. */
const SAFE_LINK = /^(https?:\/\/|mailto:)/i

const parser = new MarkdownIt('zero', { linkify: true }) // the zero preset nests 20 levels at most
  .enable(['fence', 'blockquote', 'list', 'newline', 'escape', 'backticks', 'emphasis', 'linkify'])
parser.linkify.set({ fuzzyIP: false })
parser.inline.ruler.before('emphasis', 'mention', mentionRule)

/**
 * Past this length a text is shown as written, unparsed: markdown-it's emphasis grows faster than
 * the text (`*a*a…`: 80 ms at 16 KiB, 1.3 s at the 64 KiB a message may hold, on a busy desk).
 */
export const MAX_FORMATTED_LENGTH = 16_384

/** The tree of one message's text; a text too long, or that the parser would shorten (nesting past its limit), is shown as it is. */
export function messageTree (text: string): BlockNode[] {
  const asWritten: BlockNode[] = [{ kind: 'paragraph', children: [{ kind: 'text', text }] }]
  if (text.length > MAX_FORMATTED_LENGTH) return asWritten
  const tree = blocks(parser.parse(text, {}))
  return letters(plainText(tree, true)) === letters(text) ? tree : asWritten
}

/**
 * The text as a reader sees it rendered, its markup gone (`**`, `>`, backticks; a mention as
 * `@Name`), each block on a line of its own: what an excerpt of the message shows (excerpt.ts).
 */
export function readableText (text: string): string {
  // Too long to parse: shown as written, but an excerpt still names people the way they read.
  return text.length > MAX_FORMATTED_LENGTH ? withPlainMentions(text) : plainText(messageTree(text))
}

const BLOCK_KINDS: ReadonlySet<MessageNode['kind']> = new Set(['paragraph', 'code-block', 'list', 'item', 'quote'])

/**
 * What a reader sees of the tree, as text (a mention as `@Name`, a code block with its label, blocks
 * on lines of their own); `tokens`: a mention as its token, so that every letter of the source is
 * accounted for.
 */
export function plainText (nodes: readonly MessageNode[], tokens = false): string {
  const separator = nodes.some(node => BLOCK_KINDS.has(node.kind)) ? '\n' : ''
  return nodes.map(node => {
    switch (node.kind) {
      case 'text': case 'code': return node.text
      case 'break': return '\n'
      case 'mention': return tokens ? mentionToken(node.name, node.peerId) : `@${node.name}`
      case 'code-block': return node.info === '' ? node.text : `${node.info}\n${node.text}`
      default: return plainText(node.children, tokens)
    }
  }).join(separator)
}

function letters (text: string): string {
  return text.replace(/[^\p{L}]/gu, '')
}

function mentionRule (state: StateInline, silent: boolean): boolean {
  const mention = mentionAt(state.src, state.pos)
  if (mention === undefined) return false
  if (!silent) state.push('mention', '', 0).meta = { name: mention.name, peerId: mention.peerId }
  state.pos += mention.length
  return true
}

type Frame = { children: MessageNode[] }

/** Nests the parser's flat token stream (opening, closing and single tokens) into our nodes. */
function build (tokens: Token[], nodeOf: (token: Token) => MessageNode | MessageNode[] | undefined): MessageNode[] {
  const root: Frame = { children: [] }
  const stack: Frame[] = [root]
  for (const token of tokens) {
    if (token.nesting === -1) {
      if (stack.length > 1) stack.pop()
      continue
    }
    const top = stack.at(-1)!
    const node = nodeOf(token)
    if (Array.isArray(node)) top.children.push(...node)
    else if (node !== undefined) top.children.push(node)
    // An opening token we do not show (a refused link) keeps its content: it goes to the parent.
    if (token.nesting === 1) stack.push(node !== undefined && !Array.isArray(node) && 'children' in node ? node : top)
  }
  return root.children
}

function blocks (tokens: Token[]): BlockNode[] {
  return build(tokens, blockNode) as BlockNode[]
}

function inlines (tokens: Token[]): InlineNode[] {
  return withoutBareNames(build(tokens, inlineNode) as InlineNode[])
}

/** What linkify-it takes for a link by its ending alone (`notes.md`, `main.rs`: any country's domain) stays text. */
const WRITTEN_AS_LINK = /^(https?:\/\/|mailto:|www\.)|@/i

function withoutBareNames (nodes: InlineNode[]): InlineNode[] {
  return nodes.flatMap(node => {
    if (node.kind === 'link') return WRITTEN_AS_LINK.test(plainText(node.children)) ? [node] : node.children
    if (node.kind === 'strong' || node.kind === 'em') return [{ ...node, children: withoutBareNames(node.children) }]
    return [node]
  })
}

function blockNode (token: Token): MessageNode | MessageNode[] | undefined {
  switch (token.type) {
    case 'paragraph_open': return { kind: 'paragraph', children: [] }
    case 'blockquote_open': return { kind: 'quote', children: [] }
    case 'list_item_open': return { kind: 'item', children: [] }
    case 'bullet_list_open': return { kind: 'list', ordered: false, start: 1, children: [] }
    case 'ordered_list_open': return { kind: 'list', ordered: true, start: Number(token.attrGet('start') ?? 1), children: [] }
    case 'fence': return { kind: 'code-block', info: token.info.trim(), text: token.content.replace(/\n$/, '') }
    case 'inline': return inlines(token.children ?? [])
    default: return token.content === '' ? undefined : { kind: 'paragraph', children: [{ kind: 'text', text: token.content }] }
  }
}

function inlineNode (token: Token): InlineNode | undefined {
  switch (token.type) {
    case 'softbreak': case 'hardbreak': return { kind: 'break' }
    case 'code_inline': return { kind: 'code', text: token.content }
    case 'strong_open': return { kind: 'strong', children: [] }
    case 'em_open': return { kind: 'em', children: [] }
    case 'mention': return { kind: 'mention', name: token.meta.name, peerId: token.meta.peerId }
    case 'link_open': {
      const href = token.attrGet('href') ?? ''
      return SAFE_LINK.test(href) ? { kind: 'link', href, children: [] } : undefined
    }
    default: return token.content === '' ? undefined : { kind: 'text', text: token.content }
  }
}
