// What taking a copier's message out changes in the records that counted it (core/messaging/id-owner.ts):
// a conversation's or a channel's unread count and latest message. The acceptor's choice of which
// message keeps an id is tested in signed-message.test.ts, a node's in bad-input.test.ts.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createChannel } from '../../crypto/channel-log.js'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { toBase64Url } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { ChannelStore } from '../../core/channels/store.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { summaryWithout } from '../../core/messaging/id-owner.js'
import { openDatabase } from '../../core/store/database.js'
import type { MessageRecord } from '../../core/store/records.js'

test('a copy taken out leaves its conversation\'s record: counted unread no more, named latest no more; undone if its batch fails', () => {
  const copy = { id: 'copied', state: 'delivered' as const }
  const change = summaryWithout(copy)
  const forgotten = change.forget({ unread: 3, lastMessageId: 'copied', lastSeq: 7 })
  assert.deepEqual(forgotten, { unread: 2, lastMessageId: null, lastSeq: 7 })
  assert.deepEqual(change.undo(forgotten), { unread: 3, lastMessageId: 'copied', lastSeq: 7 })
  // Read already, or an amendment, or another message the latest: only what it counted.
  assert.deepEqual(summaryWithout({ ...copy, state: 'read' }).forget({ unread: 1, lastMessageId: 'other' }), { unread: 1, lastMessageId: 'other' })
  assert.deepEqual(summaryWithout({ ...copy, amends: 'x' }).forget({ unread: 1, lastMessageId: 'other' }), { unread: 1, lastMessageId: 'other' })
  assert.deepEqual(summaryWithout(copy).forget({ unread: 0, lastMessageId: null }), { unread: 0, lastMessageId: null })
})

test('a channel\'s record forgets a copy taken out, in memory and in the write; undone in memory if the batch fails', async (t) => {
  const home = await mkdtemp(join(tmpdir(), 'causette-id-owner-'))
  t.after(async () => { await rm(home, { recursive: true, force: true }) })
  const db = await openDatabase(home)
  t.after(async () => { await db.close() })
  const store = await ChannelStore.load(db, nodeLogPrimitives, () => {})
  const seed = randomBytes(32)
  const log = createChannel(nodeLogPrimitives, { publicKey: ed25519FromSeed(seed).publicKey, sign: ed25519Signer(seed) }, { workspace: toBase64Url(randomBytes(32)), name: 'x', topic: '' }, Date.now())
  const held = store.adopt(log)
  held.record = { ...held.record, unread: 2, lastMessageId: 'copied' }
  const copy = { id: 'copied', channel: log.channelId, state: 'delivered' } as MessageRecord
  const { ops, undo } = store.forgetTakenOut(copy)
  assert.deepEqual([held.record.unread, held.record.lastMessageId], [1, null])
  assert.deepEqual([ops.length, ops[0]!.key, ops[0]!.type === 'put' ? [ops[0]!.value.unread, ops[0]!.value.lastMessageId] : undefined], [1, log.channelId, [1, null]])
  undo()
  assert.deepEqual([held.record.unread, held.record.lastMessageId], [2, 'copied'])
  // A channel we no longer hold: nothing to write.
  assert.deepEqual(store.forgetTakenOut({ ...copy, channel: toBase64Url(randomBytes(32)) }).ops, [])
})
