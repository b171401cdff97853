// Which messages an amendment names (core/store/amended-ids.ts): marked in the amendment's own
// batch, and, for a database written before the marks existed, once when it is opened.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AmendedIds } from '../../core/store/amended-ids.js'
import { messageOps, openDatabase } from '../../core/store/database.js'
import type { MessageRecord } from '../../core/store/records.js'
import { tempHome } from '../helpers/nodes.js'

function message (id: string, time: number, amends?: string): MessageRecord {
  return { id, conversation: 'c', direction: 'in', author: 'a', peer: 'a', text: id, salt: '', statement: '', signature: '', time, seq: time, state: 'delivered', stateTime: time, stateTimes: { delivered: time }, verified: true, ...(amends !== undefined ? { amends } : {}) }
}

async function store (db: Awaited<ReturnType<typeof openDatabase>>, record: MessageRecord): Promise<void> {
  await db.root.batch(messageOps(db, record))
}

test('an amendment marks the message it names, even before that message is held; others are not marked', async (t) => {
  const db = await openDatabase(await tempHome(t))
  t.after(async () => { await db.close() })
  await store(db, message('m1', 1))
  await store(db, message('r1', 2, 'm1'))
  await store(db, message('e1', 3, 'm9')) // its original has not come yet
  const amended = new AmendedIds(db)
  assert.deepEqual(await Promise.all(['m1', 'm9', 'r1', 'e1', 'm2'].map(async id => await amended.any(id))), [true, true, false, false, false])
})

test('amendments stored before the marks existed are marked when the database opens', async (t) => {
  const home = await tempHome(t)
  const before = await openDatabase(home)
  await before.amendments.batch([{ type: 'put', key: 'm1!r1', value: 'k1' }, { type: 'put', key: 'm2!e1', value: 'k2' }])
  await before.amended.clear()
  await before.meta.del('amended-marked-v1')
  await before.close()
  const db = await openDatabase(home)
  t.after(async () => { await db.close() })
  const amended = new AmendedIds(db)
  assert.deepEqual(await Promise.all(['m1', 'm2', 'm3'].map(async id => await amended.any(id))), [true, true, false])
})
