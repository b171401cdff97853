// The verifier's strict base64 decoder agrees with Node's Buffer on valid input and refuses every
// other spelling.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64InJs } from '../../crypto/base64.js'
import { toBase64Url } from '../../crypto/encoding.js'

describe('strict base64', () => {
  it('decodes what Buffer encodes and encodes the same, for every length', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), bytes => {
      assert.deepEqual(decodeBase64(Buffer.from(bytes).toString('base64')), bytes)
      assert.equal(encodeBase64(bytes), Buffer.from(bytes).toString('base64'))
      // Ours, for engines without toBase64, and on a view into a larger buffer.
      assert.equal(encodeBase64InJs(bytes), Buffer.from(bytes).toString('base64'))
      const view = new Uint8Array(bytes.length + 2).subarray(1, bytes.length + 1)
      view.set(bytes)
      assert.equal(encodeBase64(view), Buffer.from(bytes).toString('base64'))
    }), { numRuns: 2000 })
  })

  it('accepts only the canonical spelling', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), text => {
      const decoded = decodeBase64(text)
      if (decoded !== undefined) assert.equal(Buffer.from(decoded).toString('base64'), text)
    }), { numRuns: 5000 })
    for (const bad of ['A', 'AA', 'AAA', 'AB==', 'AAB=', 'A===', '=AAA', 'AA=A', 'AA AA', 'AA\nA', 'ÄAAA', 'AAAA=', '-_AA']) {
      assert.equal(decodeBase64(bad), undefined, bad)
    }
    assert.deepEqual(decodeBase64(''), new Uint8Array(0))
    assert.equal(decodeBase64('AAAA', 2), undefined)
    assert.deepEqual(decodeBase64('AAA=', 2), new Uint8Array(2))
  })

  it('base64url (ids): the engine encodes it unpadded, and only that spelling decodes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), bytes => {
      assert.equal(toBase64Url(bytes), Buffer.from(bytes).toString('base64url'))
      assert.deepEqual(decodeBase64Url(toBase64Url(bytes)), bytes)
    }), { numRuns: 2000 })
    fc.assert(fc.property(fc.string({ maxLength: 40 }), text => {
      const decoded = decodeBase64Url(text)
      if (decoded !== undefined) assert.equal(Buffer.from(decoded).toString('base64url'), text)
    }), { numRuns: 5000 })
    for (const bad of ['A', 'AB', 'AAB', 'AA==', 'AAA=', 'AA+A', 'AA/A', 'AA AA', 'ÄAAA', 'AAAAA']) {
      assert.equal(decodeBase64Url(bad), undefined, bad)
    }
    assert.deepEqual(decodeBase64Url('-_8'), Uint8Array.of(0xfb, 0xff))
  })
})
