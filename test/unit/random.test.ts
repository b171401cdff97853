// crypto/random.ts: small requests cut from a pool must still be exact, distinct and the caller's own.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { randomBytes } from '../../crypto/random.js'

test('random bytes: exact lengths, never handed out twice, unchanged by later draws', () => {
  for (const length of [0, 1, 31, 32, 256, 257, 4096, 70_000]) assert.equal(randomBytes(length).length, length)
  const first = randomBytes(32)
  const kept = Uint8Array.from(first)
  const seen = new Set<string>()
  for (let i = 0; i < 10_000; i++) seen.add(Buffer.from(randomBytes(32)).toString('hex'))
  assert.equal(seen.size, 10_000)
  assert.deepEqual(first, kept)
  assert.equal(first.buffer.byteLength, 32) // its own buffer, not a view of the pool
})
