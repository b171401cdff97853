import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeReceiptPayload, encodeReceiptPayload, payloadKind } from '../../crypto/e2e/index.js'
import { ed25519FromSeed } from '../../crypto/ed25519.js'
import { toBase64Url, utf8 } from '../../crypto/encoding.js'
import { encodeReceipt, parseReceipt, ReceiptError, type Receipt } from '../../crypto/receipt.js'

const bruno = ed25519FromSeed(new Uint8Array(32).fill(1)).publicKey
const alice = ed25519FromSeed(new Uint8Array(32).fill(2)).publicKey
const id = (n: number): string => toBase64Url(new Uint8Array(32).fill(n))

function receipt (overrides: Partial<Receipt> = {}): Receipt {
  return { workspace: 'acme', conversation: toBase64Url(new Uint8Array(16).fill(4)), author: bruno, to: alice, state: 'delivered', time: 1_700_000_000_000, ids: [id(5), id(6)], ...overrides }
}

test('a receipt is line-oriented text with its purpose label, and reads back as written', () => {
  const bytes = encodeReceipt(receipt())
  const text = new TextDecoder().decode(bytes)
  assert.match(text, /^causette\/receipt\/v1\nworkspace: acme\n/)
  assert.match(text, /\nstate: delivered\ntime: 1700000000000\nids: BQUF[^,]+,BgYG[^\n]+\n$/)
  assert.deepEqual(parseReceipt(bytes), receipt())
})

test('malformed receipts are refused with a reason', () => {
  const good = new TextDecoder().decode(encodeReceipt(receipt()))
  const cases: Array<[string, RegExp]> = [
    [good.replace('causette/receipt/v1', 'causette/statement/v1'), /first line/],
    [good.replace('state: delivered', 'state: seen'), /state/],
    [good.replace(/ids: .*/, `ids: ${id(5)},${id(5)}`), /distinct/],
    [good.replace(/ids: .*/, 'ids: '), /id/],
    [good.replace(/ids: .*/, `ids: ${Array.from({ length: 101 }, (_, i) => id(i)).join(',')}`), /more than 100/],
    [good.replace('time: 1700000000000', 'time: 01'), /time/],
    [good + 'extra: 1\n', /fields/],
    [good.slice(0, -1), /newline/]
  ]
  for (const [text, reason] of cases) assert.throws(() => parseReceipt(utf8(text)), (e: unknown) => e instanceof ReceiptError && reason.test(e.message), text)
})

test('the end-to-end payload tells a receipt from a message by its first byte', () => {
  const bytes = encodeReceipt(receipt())
  const payload = encodeReceiptPayload({ receipt: bytes, signature: new Uint8Array(64).fill(9) })
  assert.equal(payloadKind(payload), 'receipt')
  assert.deepEqual(decodeReceiptPayload(payload).receipt, bytes)
  assert.throws(() => decodeReceiptPayload(payload.subarray(0, payload.length - 1)), /signature/)
  assert.throws(() => payloadKind(Uint8Array.of(9)), /unknown version/)
})
