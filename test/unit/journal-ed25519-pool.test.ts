// Ed25519 on worker threads gives the same answers as on the main thread, and an idle pool does
// not keep the process alive (this file would not finish otherwise).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ed25519FromSeed, ed25519Signer, ed25519Verify } from '../../crypto/ed25519.js'
import { utf8 } from '../../crypto/encoding.js'
import { Ed25519Pool } from '../../core/workers/ed25519-pool.js'

describe('Ed25519 worker pool', () => {
  it('agrees with ed25519Verify on good, bad and malformed input', async () => {
    const pool = new Ed25519Pool(2)
    const keys = ed25519FromSeed(new Uint8Array(32).fill(5))
    const sign = ed25519Signer(keys.seed)
    const checks = Array.from({ length: 600 }, (_, i) => {
      const message = utf8(`message ${i}`)
      const signature = sign(message)
      if (i % 3 === 1) signature[0]! ^= 1
      const publicKey = i % 7 === 2 ? new Uint8Array(31) : i % 11 === 3 ? new Uint8Array(32).fill(0xff) : keys.publicKey
      return { publicKey, message, signature: i % 13 === 4 ? signature.subarray(1) : signature }
    })
    const results = (await Promise.all([pool.verifyBatch(checks.slice(0, 300)), pool.verifyBatch(checks.slice(300))])).flat()
    assert.deepEqual(results, checks.map(c => ed25519Verify(c.publicKey, c.message, c.signature)))
    assert.ok(results.includes(true) && results.includes(false))
  })
})
