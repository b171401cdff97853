// Known-answer tests through our own wrappers, with Wycheproof subsets kept in test/fixtures/wycheproof.
import assert from 'node:assert/strict'
import { createHash, createHmac, hkdfSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import fc from 'fast-check'
import { aeadOpen, aeadSeal } from '../../crypto/e2e/aead.js'
import { E2eError } from '../../crypto/e2e/errors.js'
import { hkdfSha256, hmacSha256 } from '../../crypto/e2e/kdf.js'
import { x25519 } from '../../crypto/e2e/x25519.js'
import { ed25519Verify } from '../../crypto/ed25519.js'
import { concat, fromHex, toHex } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'

interface Vector { tcId: number, flags: string[], result: 'valid' | 'acceptable' | 'invalid', [field: string]: unknown }
interface VectorFile { testGroups: Array<{ tests: Vector[], publicKey?: { pk: string } }> }

function load (name: string): Array<{ group: VectorFile['testGroups'][number], t: Vector }> {
  const file = JSON.parse(readFileSync(new URL(`../fixtures/wycheproof/${name}`, import.meta.url), 'utf8')) as VectorFile
  return file.testGroups.flatMap(group => group.tests.map(t => ({ group, t })))
}

const hex = (t: Vector, field: string): Uint8Array => fromHex(t[field] as string)

test('X25519: Wycheproof vectors give the listed secret; all-zero secrets are refused', () => {
  const vectors = load('x25519_test.json')
  assert.ok(vectors.some(({ t }) => t.flags.includes('ZeroSharedSecret')))
  for (const { t } of vectors) {
    if (t.flags.includes('ZeroSharedSecret')) {
      assert.throws(() => x25519(hex(t, 'private'), hex(t, 'public')), (e: E2eError) => e.code === 'E2E_BAD_KEY', `tcId ${t.tcId}`)
    } else {
      assert.equal(toHex(x25519(hex(t, 'private'), hex(t, 'public'))), t.shared, `tcId ${t.tcId}`)
    }
  }
})

test('X25519: keys of the wrong length are refused', () => {
  assert.throws(() => x25519(new Uint8Array(31), new Uint8Array(32).fill(9)), (e: E2eError) => e.code === 'E2E_BAD_KEY')
  assert.throws(() => x25519(new Uint8Array(32), new Uint8Array(33)), (e: E2eError) => e.code === 'E2E_BAD_KEY')
})

test('XChaCha20-Poly1305: Wycheproof vectors seal to the listed ciphertext and open back', () => {
  for (const { t } of load('xchacha20_poly1305_test.json')) {
    const sealed = aeadSeal(hex(t, 'key'), hex(t, 'iv'), hex(t, 'msg'), hex(t, 'aad'))
    assert.equal(toHex(sealed), `${t.ct as string}${t.tag as string}`, `tcId ${t.tcId}`)
    assert.equal(toHex(aeadOpen(hex(t, 'key'), hex(t, 'iv'), sealed, hex(t, 'aad'))), t.msg, `tcId ${t.tcId}`)
  }
})

test('XChaCha20-Poly1305: every flipped bit of ciphertext, tag or associated data is refused', () => {
  const { t } = load('xchacha20_poly1305_test.json')[0]!
  const key = hex(t, 'key')
  const nonce = hex(t, 'iv')
  const aad = hex(t, 'aad')
  const sealed = concat([hex(t, 'ct'), hex(t, 'tag')])
  const refused = (s: Uint8Array, ad: Uint8Array): void => {
    assert.throws(() => aeadOpen(key, nonce, s, ad), (e: E2eError) => e.code === 'E2E_DECRYPT_FAILED')
  }
  for (let bit = 0; bit < sealed.length * 8; bit++) {
    const s = sealed.slice()
    s[bit >> 3]! ^= 1 << (bit & 7)
    refused(s, aad)
  }
  for (let bit = 0; bit < aad.length * 8; bit++) {
    const ad = aad.slice()
    ad[bit >> 3]! ^= 1 << (bit & 7)
    refused(sealed, ad)
  }
  refused(sealed.subarray(0, 15), aad)
  assert.throws(() => aeadOpen(key, nonce.subarray(0, 12), sealed, aad), (e: E2eError) => e.code === 'E2E_BAD_KEY')
})

test('HKDF-SHA256: Wycheproof vectors', () => {
  for (const { t } of load('hkdf_sha256_test.json')) {
    assert.equal(toHex(hkdfSha256(hex(t, 'ikm'), hex(t, 'salt'), hex(t, 'info'), t.size as number)), t.okm, `tcId ${t.tcId}`)
  }
  assert.throws(() => hkdfSha256(new Uint8Array(32), new Uint8Array(0), new Uint8Array(0), 255 * 32 + 1), RangeError)
})

test('SHA-256 and HMAC-SHA256: the same bytes as node:crypto for any input, short or long, in parts', () => {
  // Up to 600 bytes: both sides of the length where sha256 changes library; keys over a block are hashed first.
  const bytes = fc.uint8Array({ maxLength: 600 }).map(b => new Uint8Array(b))
  fc.assert(fc.property(bytes, fc.array(bytes, { minLength: 1, maxLength: 3 }), (key, parts) => {
    const hash = createHash('sha256')
    const mac = createHmac('sha256', key)
    for (const part of parts) { hash.update(part); mac.update(part) }
    assert.deepEqual(sha256(...parts), new Uint8Array(hash.digest()))
    assert.deepEqual(hmacSha256(key, ...parts), new Uint8Array(mac.digest()))
  }), { numRuns: 500 })
})

test('HKDF-SHA256: the same bytes as node:crypto hkdfSync for any input', () => {
  const bytes = fc.uint8Array({ maxLength: 80 }).map(b => new Uint8Array(b))
  // From 1 byte: Node 26's hkdfSync (OpenSSL 3.5) refuses a zero length, which ours returns as empty.
  fc.assert(fc.property(bytes, bytes, bytes, fc.integer({ min: 1, max: 300 }), (ikm, salt, info, length) => {
    assert.deepEqual(hkdfSha256(ikm, salt, info, length), new Uint8Array(hkdfSync('sha256', ikm, salt, info, length)))
  }), { numRuns: 300 })
})

test('Ed25519 verification (crypto/ed25519.ts): Wycheproof vectors, malleable and malformed signatures refused', () => {
  const vectors = load('ed25519_test.json')
  assert.ok(vectors.some(({ t }) => t.flags.includes('SignatureMalleability')))
  for (const { group, t } of vectors) {
    const ok = ed25519Verify(fromHex(group.publicKey!.pk), hex(t, 'msg'), hex(t, 'sig'))
    assert.equal(ok, t.result === 'valid', `tcId ${t.tcId}`)
  }
})
