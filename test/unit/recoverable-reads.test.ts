// Reads while the store reopens after a storage fault (a full disk) wait for the reopen instead of
// failing: abstract-level refuses any read while a database closes ("Database is not open"), and a
// history page asked for at that moment failed (storage-fault test, CI of session 7).
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import type { AbstractSublevel } from 'abstract-level'
import { ClassicLevel } from 'classic-level'
import { RecoverableLevel } from '../../core/store/recoverable-level.js'

type BatchFunction = (this: ClassicLevel, operations: unknown[], options: unknown) => Promise<void>

/** A store holding a, b and c whose last write failed as LevelDB reports a full disk: it is unwritable, the disk has space again. */
async function unwritableStore (t: TestContext): Promise<{ root: RecoverableLevel, notes: AbstractSublevel<RecoverableLevel, string | Uint8Array, string, { text: string }> }> {
  const home = await mkdtemp(join(tmpdir(), 'causette-recoverable-'))
  const root = new RecoverableLevel(join(home, 'db'), () => {})
  t.after(async () => { await root.close(); await rm(home, { recursive: true, force: true }) })
  const notes = root.sublevel<string, { text: string }>('notes', { valueEncoding: 'json' })
  for (const key of ['a', 'b', 'c']) await notes.put(key, { text: key.toUpperCase() })
  const prototype = ClassicLevel.prototype as unknown as { _batch: BatchFunction }
  const original = prototype._batch
  prototype._batch = async function () { throw new Error('IO error: 000012.log: No space left on device') }
  t.after(() => { prototype._batch = original })
  await assert.rejects(notes.batch([{ type: 'put', key: 'd', value: { text: 'D' } }]), { code: 'STORAGE_UNAVAILABLE' })
  assert.equal(root.health.state, 'unwritable')
  prototype._batch = original
  return { root, notes }
}

test('reads started while the store closes and reopens after a fault wait for it, and see every acknowledged write', async (t) => {
  const { root, notes } = await unwritableStore(t)

  // The next write reopens the root; reads start at the moment it is closing.
  const duringReopen = new Promise<unknown[]>((resolve, reject) => {
    root.once('closing', () => {
      assert.notEqual(root.reopening, undefined)
      Promise.all([
        notes.get('a'),
        notes.getMany(['b', 'c']),
        notes.has('a'),
        notes.values().all(),
        notes.keys({ gte: 'b' }).all(),
        (async () => { const seen: string[] = []; for await (const [key] of notes.iterator()) seen.push(key); return seen })(),
        root.keys().all()
      ]).then(resolve, reject)
    })
  })
  await notes.batch([{ type: 'put', key: 'e', value: { text: 'E' } }])
  const [one, many, has, values, keys, iterated, rootKeys] = await duringReopen
  assert.deepEqual(one, { text: 'A' })
  assert.deepEqual(many, [{ text: 'B' }, { text: 'C' }])
  assert.equal(has, true)
  assert.deepEqual((values as Array<{ text: string }>).map(value => value.text), ['A', 'B', 'C'])
  assert.deepEqual(keys, ['b', 'c'])
  assert.deepEqual(iterated, ['a', 'b', 'c'])
  assert.equal((rootKeys as string[]).length, 3)
  assert.equal(root.health.state, 'ok')
  assert.equal(root.reopening, undefined)
  assert.deepEqual(await notes.keys().all(), ['a', 'b', 'c', 'e'])
})

test('an iterator open when the store starts to reopen after a fault is let finish, not ended half-way', async (t) => {
  const { root, notes } = await unwritableStore(t)

  // A page of history half read when the next write starts the reopen (storage-fault test, CI of session 23).
  const iterator = notes.iterator()
  const first = await iterator.next()
  const write = notes.batch([{ type: 'put', key: 'e', value: { text: 'E' } }])
  while (root.reopening === undefined) await new Promise(resolve => setImmediate(resolve))
  const rest = await iterator.all()
  await write
  assert.deepEqual([first, ...rest].map(entry => entry![0]), ['a', 'b', 'c'])
  assert.equal(root.health.state, 'ok')
  assert.deepEqual(await notes.keys().all(), ['a', 'b', 'c', 'e'])
})
