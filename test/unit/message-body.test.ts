// The message body (core/messaging/body.ts), 1:1 and channel alike: messages, replies with quote,
// thread replies, reactions and their removal, edits and retractions; and how reactions add up
// (core/messaging/amendments.ts).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { toBase64Url } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { amendmentOf, encodeBody, parseBody, storedBody, type MessageBody } from '../../core/messaging/body.js'
import { checkAmendment, reactionsOf } from '../../core/messaging/amendments.js'
import { isCausetteError } from '../../core/errors.js'
import type { MessageRecord } from '../../core/store/records.js'
import { fuzzParameters } from '../helpers/fuzz-decoding.js'

const id = toBase64Url(randomBytes(32))
const coded = (code: string) => (e: unknown): boolean => isCausetteError(e) && e.code === code

describe('message body', () => {
  it('round-trips each kind, and names what an amendment changes', () => {
    const bodies: MessageBody[] = [
      { text: 'hello' }, { text: 'yes', replyTo: id }, { text: 'agreed', quote: id },
      { text: '', replyTo: id, reaction: '👍' }, { text: '', replyTo: id, reaction: '👍', removed: true },
      { text: 'hello, fixed', edit: id }, { text: '', retract: id }
    ]
    for (const body of bodies) assert.deepEqual(parseBody(encodeBody(body)), body)
    assert.deepEqual(bodies.map(b => amendmentOf(b)?.kind), [undefined, undefined, undefined, 'reaction', 'reaction', 'edit', 'retract'])
  })

  it('refuses a body out of its rules, saying why (BAD_REQUEST when sending)', () => {
    const bad = [
      { text: '', reaction: '👍' }, { text: 'hi', replyTo: id, reaction: '👍' }, { text: 'x', replyTo: 'short' },
      { text: '', replyTo: id, reaction: 'two words' }, { text: '', edit: id }, { text: 'x', retract: id },
      { text: 'x', edit: id, retract: id }, { text: 'x', removed: true }, { text: '  ' }
    ] as MessageBody[]
    for (const body of bad) assert.throws(() => encodeBody(body), (e: unknown) => coded('BAD_REQUEST')(e) && /a message body: ./.test((e as Error).message), JSON.stringify(body))
  })

  it('a received body: plain text is the text (older 1:1 bodies); JSON out of the rules is BAD_STATEMENT', () => {
    assert.deepEqual(parseBody('plain text'), { text: 'plain text' })
    for (const text of ['{"text":1}', '{"text":"a","extra":true}', '{not json', `{"text":"","retract":"${id}","edit":"${id}"}`]) assert.throws(() => parseBody(text), coded('BAD_STATEMENT'), text)
    assert.deepEqual(storedBody('{not json'), { text: '{not json' })
  })

  it('parses a body text once: the same text again is the same body, which no caller can change', () => {
    const text = encodeBody({ text: 'once', quote: id })
    const first = parseBody(text)
    assert.equal(parseBody(text), first)
    assert.equal(storedBody(text), first)
    assert.throws(() => { (first as { text: string }).text = 'changed' }, TypeError)
    assert.deepEqual(parseBody(text), { text: 'once', quote: id })
    // A body out of the rules is refused every time, never remembered as good.
    const bad = JSON.stringify({ text: '', retract: id, edit: id })
    assert.throws(() => parseBody(bad), coded('BAD_STATEMENT'))
    assert.throws(() => parseBody(bad), coded('BAD_STATEMENT'))
  })

  it('fuzz: a body is accepted exactly when it is one kind by its rules, and then round-trips', () => {
    const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined })
    const body = fc.record({
      text: fc.constantFrom('', ' ', 'hi', 'é ✓'),
      replyTo: maybe(fc.constantFrom(id, 'short')),
      quote: maybe(fc.constant(id)),
      reaction: maybe(fc.constantFrom('👍', 'ok', 'two words', '')),
      removed: maybe(fc.constant(true as const)),
      edit: maybe(fc.constant(id)),
      retract: maybe(fc.constant(id))
    }).map(b => Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)) as unknown as MessageBody)
    fc.assert(fc.property(body, b => {
      const accepted = (() => { try { return encodeBody(b) } catch (error) { assert.ok(coded('BAD_REQUEST')(error)); return undefined } })()
      assert.equal(accepted !== undefined, modelAccepts(b), JSON.stringify(b))
      if (accepted !== undefined) assert.deepEqual(parseBody(accepted), b)
    }), fuzzParameters(500))
  })
})

/** The rules, written again from docs/log-format.md §1, independently of body.ts. */
function modelAccepts (b: MessageBody): boolean {
  if (b.replyTo === 'short' || b.reaction === 'two words' || b.reaction === '') return false
  const kinds = Number(b.reaction !== undefined) + Number(b.edit !== undefined) + Number(b.retract !== undefined)
  if (kinds > 1 || (b.removed !== undefined && b.reaction === undefined)) return false
  if (b.reaction !== undefined) return b.replyTo !== undefined && b.text === '' && b.quote === undefined
  if (b.edit !== undefined) return b.text.trim() !== '' && b.replyTo === undefined && b.quote === undefined
  if (b.retract !== undefined) return b.text === '' && b.replyTo === undefined && b.quote === undefined
  return b.text.trim() !== ''
}

describe('amendments', () => {
  const original = { id, conversation: 'c1', author: 'alice' } as MessageRecord
  it('an edit or retraction of someone else\'s message is refused; a reaction is anyone\'s', () => {
    assert.throws(() => checkAmendment({ kind: 'edit', target: id, text: 'x' }, 'mallory', 'c1', original), coded('AMEND_NOT_AUTHOR'))
    assert.throws(() => checkAmendment({ kind: 'retract', target: id }, 'mallory', 'c1', original), coded('AMEND_NOT_AUTHOR'))
    assert.throws(() => checkAmendment({ kind: 'edit', target: id, text: 'x' }, 'alice', 'c2', original), coded('AMEND_BAD_TARGET'))
    checkAmendment({ kind: 'reaction', target: id, emoji: '👍', removed: false }, 'mallory', 'c1', original)
    checkAmendment({ kind: 'edit', target: id, text: 'x' }, 'mallory', 'c1', undefined) // not held yet: kept, judged when it comes
  })

  it('fuzz: each author\'s latest word on an emoji decides whether their reaction stands', () => {
    const event = fc.record({ author: fc.constantFrom('a', 'b', 'c'), emoji: fc.constantFrom('👍', '🎉'), removed: fc.boolean() })
    fc.assert(fc.property(fc.array(event, { maxLength: 30 }), events => {
      const shown = reactionsOf(events)
      for (const emoji of ['👍', '🎉']) {
        const expected = ['a', 'b', 'c'].filter(author => events.findLast(e => e.author === author && e.emoji === emoji)?.removed === false)
        assert.deepEqual([...shown.find(r => r.emoji === emoji)?.authors ?? []].sort(), expected)
      }
      assert.ok(shown.every(r => r.authors.length > 0))
    }), fuzzParameters(500))
  })
})
