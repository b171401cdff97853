import assert from 'node:assert/strict'
import { appendFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { decodeRecords, encodeRecord } from '../../core/store/ahead-log.js'
import { openDatabase } from '../../core/store/database.js'
import { tempHome } from '../helpers/nodes.js'

const AHEAD_LOG = 'db-ahead.log'

test('a record round-trips; a cut or damaged record ends the replay, the records before it stay', () => {
  const first = encodeRecord([{ type: 'put', key: '!a!1', value: 'one' }, { type: 'del', key: new Uint8Array([1, 2]) }])
  const second = encodeRecord([{ type: 'put', key: '!a!2', value: new Uint8Array([0, 255]) }])
  const ops = decodeRecords(Buffer.concat([first, second]))
  assert.deepEqual(ops.map(op => [op.type, op.key.toString('hex'), op.value?.toString('hex')]), [
    ['put', Buffer.from('!a!1').toString('hex'), Buffer.from('one').toString('hex')],
    ['del', '0102', undefined],
    ['put', Buffer.from('!a!2').toString('hex'), '00ff']
  ])
  assert.equal(decodeRecords(Buffer.concat([first, second.subarray(0, second.length - 1)])).length, 2, 'a cut record is dropped')
  const damaged = Buffer.from(second)
  damaged[damaged.length - 1] ^= 1
  assert.equal(decodeRecords(Buffer.concat([first, damaged, first])).length, 2, 'nothing after a damaged record is applied')
})

test('what the ahead log holds when the process died before LevelDB took it is applied at the next open, once', async (t) => {
  const home = await tempHome(t)
  const db = await openDatabase(home)
  await db.messageIndex.put('before', 'k0')
  await db.close()
  // As a killed process leaves it: two whole batches LevelDB never took, then one cut in write().
  const whole = [
    encodeRecord([{ type: 'put', key: '!message-index!m1', value: '"k1"' }, { type: 'del', key: '!message-index!before' }]),
    encodeRecord([{ type: 'put', key: '!message-index!m2', value: '"k2"' }])
  ]
  const cut = encodeRecord([{ type: 'put', key: '!message-index!m3', value: '"k3"' }]).subarray(0, 12)
  await appendFile(join(home, AHEAD_LOG), Buffer.concat([...whole, cut]))

  const reopened = await openDatabase(home)
  t.after(async () => { await reopened.close() })
  assert.deepEqual(await reopened.messageIndex.getMany(['m1', 'm2', 'm3', 'before']), ['k1', 'k2', undefined, undefined])
  assert.equal((await stat(join(home, AHEAD_LOG))).size, 0, 'LevelDB holds it all: the ahead log is emptied')
})

test('every write is read back at once, by get, has and iterators, while LevelDB takes it behind', async (t) => {
  const home = await tempHome(t)
  const db = await openDatabase(home)
  t.after(async () => { await db.close() })
  const ids = Array.from({ length: 200 }, (_, i) => `m${String(i).padStart(3, '0')}`)
  for (const id of ids) {
    await db.root.batch([{ type: 'put', sublevel: db.messageIndex, key: id, value: `key of ${id}` }] as never)
    assert.equal(await db.messageIndex.get(id), `key of ${id}`)
    assert.equal(await db.messageIndex.has(id), true)
  }
  await Promise.all(ids.map(async id => { await db.messageIndex.del(id) }))
  await db.messageIndex.put('last', 'x')
  assert.deepEqual(await db.messageIndex.keys().all(), ['last'], 'an iterator made right after the writes sees all of them')
  assert.deepEqual(await db.messageIndex.values({ limit: 1 }).all(), ['x'])
})
