// Serving a channel catch-up (core/channels/catch-up.ts, session 30, red team): a requester asks
// every SYNC_INTERVAL_MS and an answer is up to MAX_RESENT_PER_SYNC (5,000) stored frames. They were
// all sent at once, and a requester that read slowly or never made each answer start on top of the
// last. Now one answer per peer at a time, CATCH_UP_WINDOW frames on their way at once.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ChannelCatchUp, CATCH_UP_WINDOW } from '../../core/channels/catch-up.js'
import { peerIdOf, type ChannelContext } from '../../core/channels/context.js'
import { encodeChannelFrame } from '../../core/protocol/channel-frame.js'
import { ed25519FromSeed } from '../../crypto/ed25519.js'
import { toBase64 } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { eventually } from '../helpers/nodes.js'

const [alice, mallory] = [randomBytes(32), randomBytes(32)].map(seed => peerIdOf(ed25519FromSeed(seed).publicKey))
const conversation = 'channel-conversation'
const STORED = 40

const frames = Array.from({ length: STORED }, (_, at) => ({ author: alice!, seq: at + 1, group: toBase64(encodeChannelFrame({ group: randomBytes(40), heads: [randomBytes(32)], to: '' })) }))
const context = {
  store: { byConversation: (id: string) => id === conversation ? { log: { wasMemberAt: () => true } } : undefined },
  db: { messages: { values: async function * () { yield * frames } } }
} as unknown as ChannelContext<unknown>

test('a requester that does not read is served one answer at a time, a window of frames on their way: each answer started on top of the last, every frame at once', async () => {
  const waiting: Array<() => void> = []
  let sent = 0
  const transport = { send: async () => { sent++; await new Promise<void>(resolve => { waiting.push(resolve) }); return { errorCode: '', errorMessage: '', id: '' } } }
  const catchUp = new ChannelCatchUp(context, transport as never)
  const request = [{ conversation, author: alice!, contiguous: 0, above: [] }]
  assert.equal(await catchUp.answer(mallory!, request, 5_000), STORED)
  assert.equal(sent, CATCH_UP_WINDOW, `${sent} frames on their way at once`)
  // The next sync, 5 s later: before, 40 more frames were sent on top of the first 40.
  assert.equal(await catchUp.answer(mallory!, request, 5_000), undefined, 'busy: the request is told so, and asked again later')
  assert.equal(sent, CATCH_UP_WINDOW)
  // The requester reads: every frame goes, in turn; then it is answered again.
  await eventually(() => { waiting.splice(0).forEach(resolve => { resolve() }); return sent === STORED && waiting.length === 0 ? true : undefined }, 10_000, 'every frame sent')
  await eventually(async () => await catchUp.answer(mallory!, request, 5_000) === STORED || undefined, 10_000, 'answered again once served')
  waiting.splice(0).forEach(resolve => { resolve() })
})
