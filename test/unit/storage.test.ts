import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openDatabase } from '../../core/store/database.js'
import { GroupCommit } from '../../core/store/group-commit.js'
import { StoredKeys } from '../../core/store/stored-keys.js'
import { lastWriteWins, type BatchOp } from '../../core/store/batch.js'
import { messageItem, Outbox } from '../../core/messaging/outbox.js'
import type { MessageRecord } from '../../core/store/records.js'
import { tempHome } from '../helpers/nodes.js'

function message (id: string, peer: string, time: number): MessageRecord {
  return { id, conversation: 'c', direction: 'out', author: 'me', peer, text: id, salt: '', statement: '', signature: '', time, seq: 1, state: 'queued', stateTime: time, stateTimes: { queued: time }, verified: true }
}

test('group commit writes what is requested in one turn as one batch, and reports failures to each writer', async () => {
  const batches: Array<{ entries: string[], ops: number[] }> = []
  let fail = false
  const commit = new GroupCommit<string, number>({
    append: async (entries, ops) => {
      await new Promise(resolve => setTimeout(resolve, 5))
      if (fail) throw new Error('disk full')
      batches.push({ entries, ops })
    }
  })
  await Promise.all([commit.write(['a'], [1]), commit.write(['b'], [2]), commit.write([], [3])])
  assert.deepEqual(batches, [{ entries: ['a', 'b'], ops: [1, 2, 3] }])
  // Writes requested while a batch is being written form the next batch, in order.
  const first = commit.write(['c'], [4])
  await new Promise(resolve => setImmediate(resolve))
  const later = [commit.write(['d'], [5]), commit.write(['e'], [6])]
  await Promise.all([first, ...later])
  assert.deepEqual(batches.slice(1), [{ entries: ['c'], ops: [4] }, { entries: ['d', 'e'], ops: [5, 6] }])
  fail = true
  const results = await Promise.allSettled([commit.write(['f'], []), commit.write(['g'], [])])
  assert.deepEqual(results.map(r => r.status), ['rejected', 'rejected'])
  await commit.drain()
})

test('the outbox survives a reopen in send order per peer', async (t) => {
  const home = await tempHome(t)
  let db = await openDatabase(home)
  let outbox = await Outbox.load(db)
  const messages = [message('m1', 'bob', 3), message('m2', 'carol', 1), message('m3', 'bob', 5), message('m4', 'bob', 4)]
  const items = messages.map(m => messageItem(m, new TextEncoder().encode(`sealed ${m.id}`)))
  await db.root.batch(items.flatMap(item => [
    { type: 'put' as const, sublevel: db.messages, key: `c!${item.message!.time}!${item.message!.id}`, value: item.message! },
    { type: 'put' as const, sublevel: db.messageIndex, key: item.message!.id, value: `c!${item.message!.time}!${item.message!.id}` },
    outbox.addOp(item)
  ]) as never)
  for (const item of items) outbox.added(item)
  assert.equal(outbox.size, 4)
  await db.root.batch([outbox.removeOp(items[3]!)] as never)
  outbox.removed(items[3]!)
  await db.close()

  db = await openDatabase(home)
  t.after(async () => { await db.close() })
  outbox = await Outbox.load(db)
  assert.deepEqual([...outbox.pending('bob')].map(i => i.id), ['m1', 'm3'])
  assert.deepEqual([...outbox.pending('carol')].map(i => new TextDecoder().decode(i.sealed)), ['sealed m2'])
  assert.equal(outbox.size, 3)
})

test('a second node on the same profile is refused with PROFILE_LOCKED', async (t) => {
  const home = await tempHome(t)
  const db = await openDatabase(home)
  t.after(async () => { await db.close() })
  await assert.rejects(openDatabase(home), { code: 'PROFILE_LOCKED' })
})

test('existence checks answer each caller, while the database is open and while it reopens', async (t) => {
  const db = await openDatabase(await tempHome(t))
  t.after(async () => { await db.close() })
  await db.messageIndex.put('known', 'x')
  const has = new StoredKeys(db.messageIndex)
  assert.deepEqual(await Promise.all(['known', 'unknown', 'known'].map(async k => await has.has(k))), [true, false, true])
  // Closed and opening again (as after a storage fault): the checks wait for it, then answer.
  await db.root.close()
  const reopened = db.root.open()
  assert.equal(db.root.status, 'opening')
  const answers = Promise.all(['unknown', 'known'].map(async k => await has.has(k)))
  await reopened
  assert.deepEqual(await answers, [false, true])
})

test('last write wins within a batch: one put per key survives, in order', () => {
  const a = {}
  const b = {}
  const ops = [
    { type: 'put', sublevel: a, key: 'k', value: 1 },
    { type: 'put', sublevel: b, key: 'k', value: 2 },
    { type: 'put', sublevel: a, key: 'k', value: 3 },
    { type: 'del', sublevel: b, key: 'j' }
  ] as unknown as BatchOp[]
  assert.deepEqual(lastWriteWins(ops), [ops[1], ops[2], ops[3]])
  const unique = ops.slice(1)
  assert.equal(lastWriteWins(unique), unique, 'a batch without repeats is passed through as is')
})
