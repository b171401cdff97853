// Ed25519 on worker threads gives the same answers as on the main thread, starts its workers only
// when work comes, ends them when idle, and an idle pool does not keep the process alive (this file
// would not finish otherwise). A batch picks its worker when it is handed in, so the tests count
// workers right after handing batches in; once batches are done, how long each worker stays depends
// on thread scheduling (an idle timer may fire while another worker still works), so they only wait
// for the pool to become empty.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ed25519FromSeed, ed25519Signer, ed25519Verify } from '../../crypto/ed25519.js'
import { utf8 } from '../../crypto/encoding.js'
import { Ed25519Pool } from '../../core/workers/ed25519-pool.js'
import { eventually } from '../helpers/lan-wait.js'

function signedChecks (count: number): Array<{ publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array }> {
  const keys = ed25519FromSeed(new Uint8Array(32).fill(6))
  const sign = ed25519Signer(keys.seed)
  return Array.from({ length: count }, (_, i) => {
    const message = utf8(`check ${i}`)
    return { publicKey: keys.publicKey, message, signature: sign(message) }
  })
}

/** Waits (polling, with a deadline generous for a loaded machine: see underLoad) until every worker has ended. */
async function allWorkersEnd (pool: Ed25519Pool): Promise<void> {
  await eventually('every idle worker to end', () => pool.threads === 0, { timeoutMs: 15_000, pollMs: 10 })
}

describe('Ed25519 worker pool', () => {
  it('agrees with ed25519Verify on good, bad and malformed input', async () => {
    const pool = new Ed25519Pool({ threads: 2 })
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
  it('starts no worker until a batch comes, and no more than its limit', async () => {
    const pool = new Ed25519Pool({ threads: 2 })
    assert.equal(pool.threads, 0)
    assert.deepEqual(await pool.verifyBatch(signedChecks(4)), [true, true, true, true])
    assert.equal(pool.threads, 1, 'a lone batch reuses the idle worker')
    const batches = Promise.all(Array.from({ length: 5 }, async () => await pool.verifyBatch(signedChecks(50))))
    assert.equal(pool.threads, 2, 'five batches at once share the two workers of the limit')
    assert.ok((await batches).flat().every(ok => ok))
    await pool.close()
    assert.equal(pool.threads, 0)
  })

  it('ends idle workers and starts again when work comes back', async () => {
    const pool = new Ed25519Pool({ threads: 2, idleMs: 20 })
    const both = Promise.all([pool.verifyBatch(signedChecks(50)), pool.verifyBatch(signedChecks(50))])
    assert.equal(pool.threads, 2, 'the second batch found the first worker busy')
    assert.ok((await both).flat().every(ok => ok))
    await allWorkersEnd(pool)
    const again = pool.verifyBatch(signedChecks(3))
    assert.equal(pool.threads, 1, 'work after the pool emptied starts a worker again')
    assert.deepEqual(await again, [true, true, true])
    await allWorkersEnd(pool)
  })
})
