// A send retried with its sendId (core/messaging/send-once.ts), over a real database: a file staged
// again for the retry is the same file when its content is, and sendIds older than a week are pruned
// in one batch while newer ones still answer their retries.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { isCausetteError } from '../../core/errors.js'
import { SEND_ID_KEPT_MS, SendOnce, sendClaim, sendIdOp, type SendClaim, type StagedContent } from '../../core/messaging/send-once.js'
import type { BatchOp } from '../../core/store/batch.js'
import { messageOps, openDatabase, type Database } from '../../core/store/database.js'
import type { MessageRecord } from '../../core/store/records.js'
import { pruneSendIds } from '../../core/node/send-id-pruning.js'
import { tempHome } from '../helpers/nodes.js'

const DAY = 24 * 3_600_000

function message (id: string, time: number): MessageRecord {
  return { id, conversation: 'c', direction: 'out', author: 'me', peer: 'bruno', text: id, salt: '', statement: '', signature: '', time, seq: time, state: 'sent', stateTime: time, stateTimes: { sent: time }, verified: true }
}

async function opened (t: TestContext): Promise<{ db: Database, batches: BatchOp[][], sendOnce: (now: number) => Promise<SendOnce> }> {
  const db = await openDatabase(await tempHome(t))
  t.after(async () => { await db.close() })
  const batches: BatchOp[][] = []
  const commit = { write: async (_entries: never[], ops: BatchOp[]) => { batches.push(ops); await db.root.batch(ops) } }
  return { db, batches, sendOnce: async now => await SendOnce.load(db, commit, () => now) }
}

/** Stores `record` as sent by `claim`, in one batch, as a send does. */
async function sent (db: Database, claim: SendClaim, record: MessageRecord): Promise<void> {
  await db.root.batch([...messageOps(db, record), sendIdOp(db, claim, record)])
}

/** What `sendOnce` answers for `claim`: the stored message's id, 'sent' when it would send, or the error's code. */
async function answer (sendOnce: SendOnce, claim: SendClaim): Promise<string> {
  try {
    return await sendOnce.run(claim, async () => 'sent', async stored => stored.id)
  } catch (error) {
    if (isCausetteError(error)) return error.code
    throw error
  }
}

test('a file staged again for the retry is the same file when its content is; other content is refused', async (t) => {
  const { db, sendOnce } = await opened(t)
  const menu: StagedContent = { sha256: 'a'.repeat(64), name: 'menu.pdf', type: 'application/pdf', size: 1200 }
  // As the file service shows a staged file: with its id, which differs each time it is staged.
  const staged = new Map<string, StagedContent & { id: string }>([['staged-1', { ...menu, id: 'staged-1' }], ['staged-2', { ...menu, id: 'staged-2' }], ['staged-3', { ...menu, id: 'staged-3', sha256: 'b'.repeat(64) }]])
  const claimWith = (file: string): SendClaim => sendClaim('send-0123456789abcdef', { to: 'peer:bruno', text: 'the menu', attachments: [{ file }] }, id => staged.get(id))
  await sent(db, claimWith('staged-1'), message('m1', 1000))
  staged.delete('staged-1') // taken by the send

  const once = await sendOnce(2000)
  assert.equal(await answer(once, claimWith('staged-1')), 'm1', 'the same staged id, no longer staged: the same request')
  assert.equal(await answer(once, claimWith('staged-2')), 'm1', 'staged again, the same content')
  assert.equal(await answer(once, claimWith('staged-3')), 'SEND_ID_REUSED', 'another file')
  assert.equal(await answer(once, claimWith('never-staged')), 'SEND_ID_REUSED')
})

test('sendIds older than SEND_ID_KEPT_MS are pruned in one batch; newer ones answer their retries', async (t) => {
  const { db, batches, sendOnce } = await opened(t)
  const now = 100 * DAY
  const claim = (n: number): SendClaim => sendClaim(`send-${n}-0123456789abcdef`, { to: 'peer:bruno', text: `text ${n}` }, () => undefined)
  await sent(db, claim(1), message('old', now - SEND_ID_KEPT_MS - 1))
  await sent(db, claim(2), message('recent', now - SEND_ID_KEPT_MS + DAY))
  await sent(db, claim(3), message('before-pruning', now - DAY))
  // A record written before records had their time.
  await db.sendIds.put(claim(3).sendId, { message: 'before-pruning', request: claim(3).request })
  batches.length = 0

  const once = await sendOnce(now)
  assert.equal(await once.prune(), 2)
  assert.equal(batches.length, 1)
  assert.deepEqual((await db.sendIds.keys().all()).sort(), [claim(2).sendId])
  assert.equal(await answer(once, claim(2)), 'recent')
  assert.equal(await answer(once, claim(1)), 'sent', 'a sendId forgotten sends again')
  assert.equal(await once.prune(), 0)
  assert.equal(batches.length, 1, 'nothing to prune: no batch')
})

test('a node prunes its sendIds as it starts, and its stop waits for a prune under way', async () => {
  let pruned = 0
  let finish: () => void = () => {}
  const sendOnce = { prune: async (): Promise<number> => { await new Promise<void>(resolve => { finish = resolve }); pruned++; return 0 } }
  const stop = pruneSendIds(sendOnce, () => {})
  let stopped = false
  const stopping = stop().then(() => { stopped = true })
  await new Promise(resolve => setImmediate(resolve))
  assert.equal(stopped, false, 'the stop waits for the prune')
  finish()
  await stopping
  assert.equal(pruned, 1)
})
