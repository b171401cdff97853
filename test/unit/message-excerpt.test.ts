// A message as a short plain line (ui/src/chat/text/excerpt.ts, with the renderer's reading of its
// markup, message-tree.ts's readableText): what the reply banner, a quote, the sidebar preview and a
// notification show. Mentions read as "@Name", Markdown markers gone exactly where the renderer
// interprets them, nothing else touched.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mentionToken } from '../../core/mentions.js'
import { excerpt } from '../../ui/src/chat/text/excerpt.js'
import { MAX_FORMATTED_LENGTH, readableText } from '../../ui/src/chat/text/message-tree.js'
import { messageLine } from '../../ui/src/files/attachment-words.js'

const ALICE = '12D3KooWA1iceMartin111111111111111111111111111111'
const rendered = (text: string, length?: number): string => excerpt(text, length, readableText)

describe('a message excerpt', () => {
  it('reads a mention as the name', () => {
    assert.equal(rendered(`Merci ${mentionToken('Alice Martin', ALICE)} pour le devis`), 'Merci @Alice Martin pour le devis')
  })

  it('drops the Markdown markers the renderer interprets', () => {
    assert.equal(rendered('Le **devis** et *le plan*, `npm test`'), 'Le devis et le plan, npm test')
    assert.equal(rendered('> cité\n\n- un\n- deux\n\n1. trois'), 'cité un deux trois')
    assert.equal(rendered('```ts\nlet a = 1\n```'), 'ts let a = 1', 'a code block keeps its label, as shown')
    assert.equal(rendered(`**${mentionToken('Alice Martin', ALICE)}** relis`), '@Alice Martin relis')
  })

  it('keeps what the renderer shows as written', () => {
    for (const text of ['2 * 3 * 4 = 24', 'snake_case_name', '# title', '[bank](https://evil.example)', 'a ** b', '<b>x</b>', 'https://intranet.example/wiki']) {
      assert.equal(rendered(text), text, text)
    }
    assert.equal(rendered('\\*not italic\\*'), '*not italic*', 'an escape is read as the renderer reads it')
    assert.equal(rendered('2*3*4'), '234', 'the renderer reads this * as emphasis (CommonMark), so does the excerpt')
  })

  it('puts blocks on one line and cuts at the length, with an ellipsis', () => {
    assert.equal(rendered('first line\nsecond\n\nthird   para'), 'first line second third para')
    assert.equal(rendered('**abcdefghij**', 5), 'abcd…')
    assert.equal(rendered('abcde', 5), 'abcde')
  })

  it('names people in a text too long to parse', () => {
    const long = `${mentionToken('Alice Martin', ALICE)} ${'x'.repeat(MAX_FORMATTED_LENGTH)}`
    assert.equal(rendered(long, 20), '@Alice Martin xxxxx…')
  })

  it('reads mentions alone until the parser is loaded', () => {
    assert.equal(excerpt(`**Hi** ${mentionToken('Alice Martin', ALICE)}`), '**Hi** @Alice Martin')
  })

  it('is the sidebar preview and notification line of a message with text', () => {
    assert.equal(messageLine({ text: `Le **devis**\n${mentionToken('Alice Martin', ALICE)}` }, readableText), 'Le devis @Alice Martin')
    assert.equal(messageLine({ text: '', attachments: [] }, readableText), 'Sent 0 files')
  })
})
