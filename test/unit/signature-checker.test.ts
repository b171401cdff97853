// Inbound signatures: a lone check is made inline (no worker started), a burst in one turn goes to the
// pool's workers, and both give ed25519Verify's answers.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { utf8 } from '../../crypto/encoding.js'
import { INLINE_BELOW, SignatureChecker } from '../../core/messaging/signature-checker.js'
import { Ed25519Pool } from '../../core/workers/ed25519-pool.js'

const keys = ed25519FromSeed(new Uint8Array(32).fill(7))
const sign = ed25519Signer(keys.seed)

function check (i: number, valid: boolean): { publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array } {
  const message = utf8(`inbound ${i}`)
  const signature = sign(message)
  if (!valid) signature[5]! ^= 1
  return { publicKey: keys.publicKey, message, signature }
}

describe('signature checker', () => {
  it('checks a lone signature inline', async (t) => {
    const pool = new Ed25519Pool({ threads: 2 })
    t.after(async () => { await pool.close() })
    const checker = new SignatureChecker(pool)
    assert.deepEqual(await Promise.all([checker.verify(check(1, true)), checker.verify(check(2, false))]), [true, false])
    assert.equal(pool.threads, 0)
  })

  it('sends a burst to the worker pool', async (t) => {
    const pool = new Ed25519Pool({ threads: 2 })
    t.after(async () => { await pool.close() })
    const checker = new SignatureChecker(pool)
    const count = INLINE_BELOW * 4
    const results = await Promise.all(Array.from({ length: count }, async (_, i) => await checker.verify(check(i, i % 3 !== 0))))
    assert.deepEqual(results, Array.from({ length: count }, (_, i) => i % 3 !== 0))
    assert.equal(pool.threads, 1)
  })
})
