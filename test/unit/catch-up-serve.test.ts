// Serving a 1:1 catch-up (core/messaging/catch-up.ts, session 30): a requester may ask every
// SYNC_INTERVAL_MS and an answer is up to MAX_RESENT_PER_SYNC (5,000) of our messages, sealed anew.
// A requester that read slowly or never had each answer sealed again and started on top of the last.
// Now one answer per peer at a time (core/messaging/one-answer-at-a-time.ts), its messages in order.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CatchUp, type CatchUpComponents } from '../../core/messaging/catch-up.js'
import { askUntilServed } from '../../core/messaging/catch-up-request.js'
import { eventually } from '../helpers/nodes.js'

const mallory = '12D3KooWMallory'
const conversation = 'conversation-with-mallory'
const STORED = 40
const ours = Array.from({ length: STORED }, (_, at) => ({ id: `m${at + 1}`, peer: mallory, direction: 'out', seq: STORED - at }))
const request = [{ conversation, author: '', contiguous: 0, above: [] }]

function catchUpWith (send: (peer: string, envelope: { sealed: Uint8Array }) => Promise<unknown>): { catchUp: CatchUp<unknown>, sealed: () => number } {
  let sealed = 0
  const components = {
    db: { messages: { values: async function * () { yield * ours } } },
    contacts: { get: (peer: string) => peer === mallory ? { peerId: mallory } : undefined },
    outbox: { get: () => undefined },
    sessions: { sealAgain: (_contact: unknown, message: { seq: number }) => { sealed++; return { op: {}, sealed: Uint8Array.of(message.seq) } } },
    commit: { write: async () => {} },
    transport: { send },
    delivery: { advance: async () => {}, flush: () => {} },
    conversation: (id: string) => id === conversation ? { id, peer: mallory } : undefined,
    conversationWith: () => conversation,
    now: () => 0
  } as unknown as CatchUpComponents<unknown>
  return { catchUp: new CatchUp(components), sealed: () => sealed }
}

/** The answer's count, or undefined while an earlier answer is on its way (SYNC_BUSY). */
async function answeredOnceFree (catchUp: CatchUp<unknown>): Promise<number | undefined> {
  return await catchUp.answer(mallory, request).catch((error: { code?: string }) => { if (error.code === 'SYNC_BUSY') return undefined; throw error })
}

test('a requester that does not read is served one answer at a time, in order: each answer was sealed again and sent on top of the last', async () => {
  const waiting: Array<() => void> = []
  let sent = 0
  const order: number[] = []
  let reading = false
  const { catchUp, sealed } = catchUpWith(async (_peer, envelope) => {
    sent++
    order.push(envelope.sealed[0]!)
    if (!reading) await new Promise<void>(resolve => { waiting.push(resolve) })
    return { errorCode: '', errorMessage: '', id: '' }
  })
  assert.equal(await catchUp.answer(mallory, request), STORED)
  assert.equal(sent, 1, 'one message on its way at a time: the receiver lists them in their order of arrival')
  // The next sync, 5 s later: before, 40 more were sealed and a second message sent beside the first.
  await assert.rejects(catchUp.answer(mallory, request), { code: 'SYNC_BUSY' }, 'told busy: its asker asks again later (catch-up-request.ts)')
  assert.equal(sent, 1)
  assert.equal(sealed(), STORED)
  // The requester reads: every message goes, in turn; then it is answered again.
  reading = true
  waiting.splice(0).forEach(resolve => { resolve() })
  await eventually(async () => await answeredOnceFree(catchUp) === STORED || undefined, 10_000, 'answered again once served')
  assert.deepEqual(order.slice(0, STORED), ours.map(m => m.seq).reverse(), 'every message of the first answer went, in turn, oldest first')
})

test('a requester that is gone ends the answer at the first failed send, and its next request is answered', async () => {
  let sent = 0
  const { catchUp } = catchUpWith(async () => { sent++; throw new Error('gone') })
  assert.equal(await catchUp.answer(mallory, request), STORED)
  await eventually(async () => await answeredOnceFree(catchUp) === STORED || undefined, 10_000, 'answered again once the first ended')
  assert.equal(sent, 2, 'the first failure of each answer ended it')
})

// Before, an asker told nothing (0) while an earlier answer was on its way (a send held on a
// connection a sleeping laptop left half open) asked no more until its next connection.
test('an asker told SYNC_BUSY asks again, with what it holds by then, until served or its connection closes', async () => {
  const answers = [{ resent: 0, errorCode: 'SYNC_BUSY' }, { resent: 0, errorCode: 'SYNC_BUSY' }, { resent: 3, errorCode: '' }]
  const asked: number[] = []
  let held = 0
  const served = await askUntilServed({ ask: async heads => { asked.push(heads[0]!.contiguous); return answers.shift()! }, heads: () => [{ ...request[0]!, contiguous: held++ }], open: () => true, retryMs: 1 })
  assert.deepEqual(served, { resent: 3, errorCode: '' })
  assert.deepEqual(asked, [0, 1, 2], 'asked three times, each with the heads of its moment')

  let asks = 0
  const closed = await askUntilServed({ ask: async () => { asks++; return { resent: 0, errorCode: 'SYNC_BUSY' } }, heads: () => request, open: () => false, retryMs: 1 })
  assert.equal(closed.errorCode, 'SYNC_BUSY')
  assert.equal(asks, 1, 'not asked again on a connection that closed')
})
