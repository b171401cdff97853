// An edit, deletion or reaction asked again after its answer was lost (core/messaging/amendments.ts
// amendmentBody): when the message already shows what it asks, nothing is sent, rather than a second
// edit among the message's versions, a deletion refused as "deleted", or a reaction spent again.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { amendmentBody, type AmendRequest } from '../../core/messaging/amendments.js'
import { encodeBody, type MessageBody } from '../../core/messaging/body.js'
import { isCausetteError } from '../../core/errors.js'
import { messageOps, openDatabase } from '../../core/store/database.js'
import type { MessageRecord } from '../../core/store/records.js'
import { toBase64Url } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { tempHome } from '../helpers/nodes.js'

/** A message id as the node draws one. */
const newId = (): string => toBase64Url(randomBytes(32))

function record (id: string, author: string, seq: number, body: MessageBody, amends?: string): MessageRecord {
  return { id, conversation: 'c', direction: author === 'me' ? 'out' : 'in', author, peer: 'bruno', text: encodeBody(body), salt: '', statement: '', signature: '', time: seq, seq, state: 'delivered', stateTime: seq, stateTimes: { delivered: seq }, verified: true, ...(amends !== undefined ? { amends } : {}) }
}

test('an amendment the message already shows sends nothing; one that changes it is sent', async (t) => {
  const db = await openDatabase(await tempHome(t))
  t.after(async () => { await db.close() })
  const store = async (message: MessageRecord): Promise<void> => { await db.root.batch(messageOps(db, message)) }
  const m1 = newId()
  await store(record(m1, 'me', 1, { text: 'at 10' }))
  await store(record(newId(), 'me', 2, { text: 'at 11', edit: m1 }, m1))
  await store(record(newId(), 'me', 3, { text: '', replyTo: m1, reaction: '👍' }, m1))
  await store(record(newId(), 'bruno', 4, { text: '', replyTo: m1, reaction: '🎉' }, m1))
  const sends = async (request: AmendRequest): Promise<boolean> => (await amendmentBody(db, m1, request, 'me')).body !== undefined

  assert.deepEqual(await Promise.all([
    sends({ kind: 'edit', text: 'at 11' }),
    sends({ kind: 'reaction', emoji: '👍', removed: false }),
    sends({ kind: 'reaction', emoji: '🎉', removed: true }), // Bruno's, not ours: nothing of ours to take back
    sends({ kind: 'reaction', emoji: '✅', removed: true })
  ]), [false, false, false, false], 'already so')
  assert.deepEqual(await Promise.all([
    sends({ kind: 'edit', text: 'at 10' }),
    sends({ kind: 'reaction', emoji: '👍', removed: true }),
    sends({ kind: 'reaction', emoji: '🎉', removed: false }),
    sends({ kind: 'retract' })
  ]), [true, true, true, true], 'changes')

  await store(record(newId(), 'me', 5, { text: '', retract: m1 }, m1))
  assert.equal(await sends({ kind: 'retract' }), false, 'a deletion asked again answers the deleted message')
  await assert.rejects(sends({ kind: 'edit', text: 'back' }), (error: unknown) => isCausetteError(error, 'AMEND_BAD_TARGET'))
})
