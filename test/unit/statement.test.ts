import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { toBase64, toBase64Url, utf8 } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { bodyCommitment, signStatement, verifyStatement } from '../../crypto/statement-signature.js'
import { encodeStatement, parseStatement, StatementError, type Statement } from '../../crypto/statement.js'

const author = ed25519FromSeed(new Uint8Array(32).fill(1))
const recipient = ed25519FromSeed(new Uint8Array(32).fill(2))
const sign = ed25519Signer(author.seed)
const salt = new Uint8Array(32).fill(3)
const body = utf8('the quarterly numbers are in')

function statement (overrides: Partial<Statement> = {}): Statement {
  return {
    workspace: 'lan',
    conversation: toBase64Url(new Uint8Array(16).fill(4)),
    author: author.publicKey,
    recipients: [recipient.publicKey],
    id: toBase64Url(new Uint8Array(32).fill(5)),
    time: 1_700_000_000_000,
    seq: 7,
    bodyHash: bodyCommitment(salt, body),
    ...overrides
  }
}

test('a statement is line-oriented text that starts with its purpose label', () => {
  const text = new TextDecoder().decode(encodeStatement(statement()))
  assert.equal(text, [
    'causette/statement/v1',
    'workspace: lan',
    'conversation: BAQEBAQEBAQEBAQEBAQEBA',
    `author: ${Buffer.from(author.publicKey).toString('base64')}`,
    `recipients: ${Buffer.from(recipient.publicKey).toString('base64')}`,
    'id: BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU',
    'time: 1700000000000',
    'seq: 7',
    `body-sha256: ${Buffer.from(bodyCommitment(salt, body)).toString('base64')}`,
    ''
  ].join('\n'))
})

test('sign then verify round-trips, with the body checked against its commitment', () => {
  const { bytes, signature } = signStatement(sign, statement())
  const parsed = verifyStatement(bytes, signature, { salt, body })
  assert.deepEqual(parsed, parseStatement(bytes))
  assert.equal(parsed.time, 1_700_000_000_000)
})

test('any flipped bit in the statement or the signature fails verification', () => {
  const { bytes, signature } = signStatement(sign, statement())
  for (let i = 0; i < bytes.length; i++) {
    for (const bit of [0x01, 0x80]) {
      const tampered = bytes.slice()
      tampered[i]! ^= bit
      assert.throws(() => verifyStatement(tampered, signature), StatementError, `byte ${i} bit ${bit}`)
    }
  }
  for (let i = 0; i < signature.length; i++) {
    const tampered = signature.slice()
    tampered[i]! ^= 1
    assert.throws(() => verifyStatement(bytes, tampered), /bad signature/)
  }
})

test('a body that does not match its commitment is refused', () => {
  const { bytes, signature } = signStatement(sign, statement())
  assert.throws(() => verifyStatement(bytes, signature, { salt, body: utf8('the quarterly numbers are out') }), /commitment/)
  assert.throws(() => verifyStatement(bytes, signature, { salt: randomBytes(32), body }), /commitment/)
})

test('malformed statements are refused with a reason, never half-parsed', () => {
  const good = new TextDecoder().decode(encodeStatement(statement()))
  const cases: Array<[string, RegExp]> = [
    [good.replace('causette/statement/v1', 'causette/statement/v2'), /first line/],
    [good.slice(0, -1), /newline/],
    [good.replace('workspace: lan', 'workspace: l an'), /workspace/],
    [good.replace('time: 1700000000000', 'time: 017'), /time/],
    [good.replace('time: 1700000000000', 'time: 1e12'), /time/],
    [good.replace(/id: .*/, 'id: short'), /id/],
    [good.replace(/author: .*/, 'author: AAAA'), /author/],
    [good.replace('\nworkspace', '\nextra: 1\nworkspace'), /fields|line/],
    [good.replace(/recipients: (.*)/, 'recipients: $1,$1'), /sorted and distinct/],
    [good.replace('seq: 7', 'seq: 0'), /seq/],
    [good.replace('seq: 7', 'seq: -1'), /seq/],
    [good.replace('\nseq: 7', ''), /fields|line/],
    [good + 'urgent: \n', /urgent/],
    [good + 'urgent: server room flooding\nurgent: twice\n', /fields/],
    [good + 'urgency: high\n', /urgent/],
    [good + 'urgent:  padded\n', /urgent/]
  ]
  for (const [text, reason] of cases) assert.throws(() => parseStatement(utf8(text)), reason, text)
  assert.throws(() => encodeStatement(statement({ workspace: 'a\nb' })), StatementError)
  assert.throws(() => encodeStatement(statement({ urgent: 'two\nlines' })), StatementError)
  assert.throws(() => encodeStatement(statement({ urgent: 'x'.repeat(201) })), StatementError)
})

test('encodeStatement refuses what parseStatement would refuse, without parsing its own text', () => {
  const key = statement().author
  const refused: Array<Partial<Statement>> = [
    { workspace: '' },
    { conversation: 'not base64url!' },
    { conversation: toBase64Url(new Uint8Array(15)) },
    { author: key.subarray(1) },
    { recipients: [] },
    { recipients: [key, key] },
    { recipients: [key.subarray(1)] },
    { id: toBase64Url(new Uint8Array(31)) },
    { time: -1 },
    { time: 1.5 },
    { time: 2 ** 53 },
    { seq: 0 },
    { bodyHash: new Uint8Array(31) },
    { urgent: '' }
  ]
  for (const fields of refused) assert.throws(() => encodeStatement(statement(fields)), StatementError, JSON.stringify(Object.keys(fields)))
  const accepted = statement({ recipients: [key, new Uint8Array(32).fill(9)], time: 0, seq: 1, urgent: 'the client is on the phone' })
  const parsed = parseStatement(encodeStatement(accepted))
  assert.deepEqual({ ...parsed, recipients: parsed.recipients.map(toBase64).sort() }, { ...accepted, recipients: accepted.recipients.map(toBase64).sort() })
})

test('an urgent reason is an optional last line, signed with the rest', () => {
  const { bytes, signature } = signStatement(sign, statement({ urgent: 'the client is on the phone' }))
  assert.match(new TextDecoder().decode(bytes), /\nurgent: the client is on the phone\n$/)
  const parsed = verifyStatement(bytes, signature, { salt, body })
  assert.equal(parsed.urgent, 'the client is on the phone')
  assert.equal(parsed.seq, 7)
  assert.equal(parseStatement(encodeStatement(statement())).urgent, undefined)
})
