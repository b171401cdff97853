// Random bytes: small values cut from a pool are each fresh and whole, across the pool's refills,
// and owned by the caller (changing one changes no other).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { randomBytes, smallRandomBytes } from '../../crypto/random.js'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

test('pooled values are distinct, of the length asked, across several refills of the pool', () => {
  // 24-byte nonces do not divide 4 KiB: the refills fall mid-value.
  const values = Array.from({ length: 2000 }, () => smallRandomBytes(24))
  assert.ok(values.every(value => value.length === 24))
  assert.equal(new Set(values.map(hex)).size, values.length)
  assert.ok(values.every(value => value.some(byte => byte !== 0)), 'no value is the zeroed remains of the pool')
})

test('a pooled value is the caller\'s own copy', () => {
  const first = smallRandomBytes(16)
  const kept = hex(first)
  first.fill(0)
  const second = smallRandomBytes(16)
  assert.notEqual(hex(second), '0'.repeat(32))
  first.set(second)
  assert.equal(hex(first), hex(second))
  assert.notEqual(kept, hex(second))
})

test('large values bypass the pool, and any length is served', () => {
  assert.equal(smallRandomBytes(1000).length, 1000)
  assert.equal(smallRandomBytes(0).length, 0)
  assert.equal(randomBytes(70_000).length, 70_000)
})
