// How a message's text is parsed for display (ui/src/chat/text/message-tree.ts) and the mention
// token (core/mentions.ts): hostile input yields only allowed nodes, never an unsafe link, and
// loses no letter of what was written.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { mentionAt, mentionedPeers, mentionsIn, mentionToken, withPlainMentions } from '../../core/mentions.js'
import { insertMention, mentionOptions, mentionQuery, withMentionTokens } from '../../ui/src/chat/mention-query.js'
import { ALLOWED_KINDS, MAX_FORMATTED_LENGTH, messageTree, plainText, type MessageNode } from '../../ui/src/chat/text/message-tree.js'

const BRUNO = '12D3KooWBrunoPetit1111111111111111111111111111111'

function* walk (nodes: readonly MessageNode[]): Generator<MessageNode> {
  for (const node of nodes) {
    yield node
    if ('children' in node) yield * walk(node.children)
  }
}

const kinds = (text: string): string[] => [...walk(messageTree(text))].map(node => node.kind)
const links = (text: string): string[] => [...walk(messageTree(text))].flatMap(node => node.kind === 'link' ? [node.href] : [])
const letters = (text: string): string => text.replace(/[^\p{L}]/gu, '')

describe('message text', () => {
  it('renders the subset: bold, italic, code, code blocks, lists, quotes, bare links, mentions', () => {
    assert.deepEqual(kinds('**b** *i* `c`'), ['paragraph', 'strong', 'text', 'text', 'em', 'text', 'text', 'code'])
    assert.deepEqual(kinds('```ts\nlet a\n```'), ['code-block'])
    assert.deepEqual(kinds('- a\n1. b'), ['list', 'item', 'paragraph', 'text', 'list', 'item', 'paragraph', 'text'])
    assert.deepEqual(kinds('> q'), ['quote', 'paragraph', 'text'])
    assert.deepEqual(links('see https://intranet.example/x?y=1, www.example.org and mail bruno@example.com, not notes.md or **main.rs**'),
      ['https://intranet.example/x?y=1', 'http://www.example.org', 'mailto:bruno@example.com'])
    assert.deepEqual(messageTree(`hi ${mentionToken('Bruno Petit', BRUNO)}!`)[0],
      { kind: 'paragraph', children: [{ kind: 'text', text: 'hi ' }, { kind: 'mention', name: 'Bruno Petit', peerId: BRUNO }, { kind: 'text', text: '!' }] })
  })

  it('keeps HTML, images, headings, script links and links whose text differs from their target as text', () => {
    for (const hostile of ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '![x](https://a.example/i.png)', '# title',
      '[click](javascript:alert(1))', 'javascript:alert(1)', '<javascript:alert(1)>', '[bank](https://evil.example)', 'data:text/html,<b>x</b>', 'file:///etc/passwd']) {
      const tree = messageTree(hostile)
      assert.deepEqual([...walk(tree)].filter(node => node.kind === 'link' && node.href !== plainText(node.children) && `http://${plainText(node.children)}` !== node.href), [], hostile)
      assert.ok(links(hostile).every(href => /^(https?:|mailto:)/.test(href)), hostile)
      assert.equal(plainText(tree), hostile.replace(/^# /, '# '), hostile)
    }
    assert.deepEqual(links('[bank](https://evil.example)'), ['https://evil.example']) // the target is shown, never "bank"
  })

  it('shows a nesting bomb as the text it is', () => {
    const bomb = `${'> '.repeat(2000)}deep ${'*'.repeat(1000)}x${'_'.repeat(1000)} ${'- '.repeat(1000)}end`
    assert.ok(bomb.length < MAX_FORMATTED_LENGTH, 'parsed, not cut by length')
    assert.equal(letters(plainText(messageTree(bomb))), letters(bomb))
    assert.ok([...walk(messageTree(bomb))].length < 100)
    const long = '*a'.repeat(MAX_FORMATTED_LENGTH)
    assert.deepEqual(messageTree(long), [{ kind: 'paragraph', children: [{ kind: 'text', text: long }] }], 'too long to parse in time: shown as written')
  })

  it('fuzz: only allowed nodes, only http(s)/mailto links, every letter kept', () => {
    const piece = fc.constantFrom('*', '**', '_', '`', '```', '\n', '\n\n', '> ', '- ', '1. ', ' ', '<script>', '</p>', '<img onerror=x>',
      '[', ']', '(', ')', 'javascript:', 'https://', 'example.com', 'mailto:', '@', '@[Bruno](12D3KooWx)', '\\', 'a', 'é', 'Z', '&amp;', '\u0000')
    fc.assert(fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 60 }), parts => {
      const text = parts.join('')
      const tree = messageTree(text)
      for (const node of walk(tree)) {
        assert.ok(ALLOWED_KINDS.has(node.kind), node.kind)
        if (node.kind === 'link') assert.match(node.href, /^(https?:\/\/|mailto:)/)
      }
      assert.equal(letters(plainText(tree, true)), letters(text.replace(/\u0000/g, '')))
    }), { numRuns: 3000 })
  })

  it('collapses nothing in the tree itself: a long text keeps all its blocks', () => {
    const long = Array.from({ length: 40 }, (_, index) => `line ${index}`).join('\n')
    assert.equal(plainText(messageTree(long)), long)
  })
})

describe('mention tokens', () => {
  it('names a colleague by PeerId, shows the name', () => {
    const token = mentionToken('Bruno [the] Petit', BRUNO)
    assert.equal(token, `@[Bruno the Petit](${BRUNO})`)
    assert.deepEqual(mentionAt(`x ${token}`, 2), { name: 'Bruno the Petit', peerId: BRUNO, length: token.length })
    assert.equal(mentionAt(`x ${token}`, 0), undefined)
    assert.deepEqual([...mentionedPeers(`${token} and @[Chloé](12D3KooWCh9oe) and @[x](not a peer id) and @[y]()`)], [BRUNO, '12D3KooWCh9oe'])
    assert.equal(withPlainMentions(`ping ${token}`), 'ping @Bruno the Petit')
  })
})

describe('mention autocomplete', () => {
  const colleagues = [{ peerId: BRUNO, name: 'Bruno Petit' }, { peerId: '12D3KooWCh9oe', name: 'Chloé Martin' }, { peerId: '12D3KooWAnna', name: 'Anna' }]

  it('finds the @query at the caret, only after a space or at the start', () => {
    assert.deepEqual(mentionQuery('hi @chl', 7), { start: 3, query: 'chl' })
    assert.deepEqual(mentionQuery('@', 1), { start: 0, query: '' })
    assert.deepEqual(mentionQuery('hi @Bruno Pe', 12), { start: 3, query: 'Bruno Pe' })
    assert.equal(mentionQuery('mail bruno@example', 18), undefined)
    assert.equal(mentionQuery('hi @chl\nnext', 12), undefined)
    assert.equal(mentionQuery(`${'x'.repeat(100)} @br`, 104)?.query, 'br')
  })

  it('offers colleagues by any word of their name, accents and case aside; inserts the name as shown', () => {
    assert.deepEqual(mentionOptions(colleagues, 'chlo').map(c => c.name), ['Chloé Martin'])
    assert.deepEqual(mentionOptions(colleagues, 'MAR').map(c => c.name), ['Chloé Martin'])
    assert.deepEqual(mentionOptions(colleagues, '').length, 3)
    const at = mentionQuery('hi @chl and', 7)!
    assert.deepEqual(insertMention('hi @chl and', at, 7, colleagues[1]!), { text: 'hi @Chloé Martin  and', caret: 17 })
  })

  it('sends the token for each colleague chosen from the list, never for a name typed by hand or changed since', () => {
    const chloe = colleagues[1]!
    const token = `@[Chloé Martin](${chloe.peerId})`
    assert.equal(withMentionTokens('hi @Chloé Martin and (@Chloé Martin)', [chloe]), `hi ${token} and (${token})`)
    assert.equal(withMentionTokens('hi @Chloé Martin', []), 'hi @Chloé Martin', 'not chosen: text')
    assert.equal(withMentionTokens('hi @Chloé Martine', [chloe]), 'hi @Chloé Martine', 'a longer word is another name')
    assert.equal(withMentionTokens('mail x@Chloé Martin', [chloe]), 'mail x@Chloé Martin', 'inside a word: text')
    const bruno = { peerId: '12D3KooWBr', name: 'Bruno' }
    const brunoPetit = { peerId: '12D3KooWBp', name: 'Bruno Petit' }
    assert.equal(withMentionTokens('@Bruno Petit and @Bruno', [bruno, brunoPetit]), '@[Bruno Petit](12D3KooWBp) and @[Bruno](12D3KooWBr)')
  })

  it('an edit shows a message\'s mentions as names and keeps them mentions', () => {
    const sent = `Ready ${mentionToken('Chloé Martin', '12D3KooWCh9oe')}? ${mentionToken('Anna', '12D3KooWAnna')} too, ${mentionToken('Anna', '12D3KooWAnna')}`
    const mentioned = mentionsIn(sent)
    assert.deepEqual(mentioned, [{ name: 'Chloé Martin', peerId: '12D3KooWCh9oe' }, { name: 'Anna', peerId: '12D3KooWAnna' }])
    const shown = withPlainMentions(sent)
    assert.equal(shown, 'Ready @Chloé Martin? @Anna too, @Anna')
    assert.equal(withMentionTokens(shown, mentioned), sent, 'saved unchanged: the same tokens')
  })
})
