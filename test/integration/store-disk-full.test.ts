// The store alone on a real full disk (a 16 MiB tmpfs): many writes in flight when the disk fills.
// Every write that resolved is still there after space comes back, more writes and a reopen; every
// write that failed says STORAGE_UNAVAILABLE; none is accepted between the first failure and the recovery.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { isCausetteError } from '../../core/errors.js'
import { openDatabase } from '../../core/store/database.js'
import { mountSmallDisk } from '../helpers/small-disk.js'

const VALUE = 'v'.repeat(6000) // larger than a tmpfs page: cut short when the disk is full

test('a full disk under concurrent writes: everything acknowledged survives a reopen', async (t) => {
  const disk = await mountSmallDisk(t)
  const home = join(disk.path, 'home')
  let db = await openDatabase(home)
  t.after(async () => { await db.close() })
  const acknowledged: string[] = []
  const put = async (key: string): Promise<boolean> => {
    try {
      await db.root.batch([{ type: 'put', key, value: VALUE }])
      acknowledged.push(key)
      return true
    } catch (error) {
      assert.ok(isCausetteError(error, 'STORAGE_UNAVAILABLE'), `a refused write says STORAGE_UNAVAILABLE, not ${String(error)}`)
      return false
    }
  }

  for (let i = 0; i < 20; i++) assert.ok(await put(`before-${i}`))
  await disk.fill()
  const outcomes = await Promise.all(Array.from({ length: 40 }, async (_, i) => await put(`full-${i}`)))
  const firstFailure = outcomes.indexOf(false)
  assert.ok(firstFailure >= 0, 'the full disk refused a write')
  assert.ok(outcomes.slice(firstFailure).every(ok => !ok), 'no write is accepted after the first failure')
  assert.equal(db.health().state, 'unwritable')
  assert.equal(await put('still-full'), false)

  await disk.free()
  for (let i = 0; i < 20; i++) assert.ok(await put(`after-${i}`), 'writes are accepted again once space is back')
  assert.equal(db.health().state, 'ok')

  await db.close()
  db = await openDatabase(home)
  for (const key of acknowledged) assert.equal(await db.root.get(key), VALUE, `${key} survived`)
  assert.deepEqual(db.damage, [], 'the new log opens clean')
  t.diagnostic(`${acknowledged.length} writes acknowledged, ${outcomes.filter(ok => !ok).length} refused while full`)
})
