// The one signed-message path of 1:1 and channel messages (core/messaging/signed-message.ts), the
// settling of a spent key (spent-key.ts) and the protocol edge's router (core/protocol/inbound-router.ts).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { channelConversationId } from '../../crypto/channel-log.js'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { fromBase64, toBase64Url, utf8 } from '../../crypto/encoding.js'
import { messageIdOf } from '../../crypto/message-id.js'
import { bodyCommitment, signStatement } from '../../crypto/statement-signature.js'
import { decodePayload, encodePayload } from '../../crypto/e2e/payload.js'
import { CausetteError, isCausetteError } from '../../core/errors.js'
import { checkContent, composeMessage, SignedMessageAcceptor, type InboundPayload } from '../../core/messaging/signed-message.js'
import { settleSpentKey } from '../../core/messaging/spent-key.js'
import { encodeChannelFrame } from '../../core/protocol/channel-frame.js'
import { DISTRIBUTION_PAYLOAD_KIND, routeInbound } from '../../core/protocol/inbound-router.js'
import type { BatchOp } from '../../core/store/batch.js'
import type { Database } from '../../core/store/database.js'
import { messageKey, type MessageRecord } from '../../core/store/records.js'

const authorSeed = new Uint8Array(32).fill(3)
const author = { peerId: 'author-peer', deviceKey: ed25519FromSeed(authorSeed).publicKey, sign: ed25519Signer(authorSeed) }
const reader = ed25519FromSeed(new Uint8Array(32).fill(4))
const channel = toBase64Url(new Uint8Array(32).fill(6))
const conversation = channelConversationId(channel)

/**
 * A store that holds the ids in `stored` (by `heldBy`, else by our author) and the messages in
 * `records` (by id; a store callback may add to it), and no messages to place new ones among.
 */
function databaseHolding (stored: string[] = [], heldBy = author.peerId, records = new Map<string, MessageRecord>()): Database {
  const holds = (key: string): boolean => stored.includes(key) || records.has(key)
  return {
    messageIndex: {
      hasMany: async (keys: string[]) => keys.map(holds),
      getSync: (key: string) => holds(key) ? 'stored' : undefined,
      get: async (key: string) => holds(key) ? key : undefined
    },
    messages: { async * values () {}, get: async (key: string) => records.get(key) ?? ({ id: key, author: heldBy }) }
  } as unknown as Database
}

/** The search index's removals, named by the message they take out. */
const search = { removeOps: (message: MessageRecord) => [{ type: 'del', sublevel: 'search', key: message.id } as unknown as BatchOp] }

function composed (text = 'hello', urgent?: string): MessageRecord & { payload: Uint8Array } {
  const { message, payload } = composeMessage(author, checkContent({ text }, urgent), {
    workspace: 'w1', conversation, recipients: [reader.publicKey], peer: channel, seq: 1, time: 1_000, state: 'sent', stateTimes: { queued: 1_000, sent: 1_000 }
  })
  return { ...message, payload }
}

const inbound = (plaintext: Uint8Array, changes: Partial<InboundPayload> = {}): InboundPayload => ({
  plaintext, author: { peerId: author.peerId, device: author.deviceKey }, recipient: reader.publicKey, conversation, workspace: 'w1', ...changes
})

const acceptor = (stored: string[] = [], heldBy?: string, records?: Map<string, MessageRecord>): SignedMessageAcceptor => new SignedMessageAcceptor({ db: databaseHolding(stored, heldBy, records), now: () => 2_000, search })

async function codeOf (run: () => Promise<unknown>): Promise<string | undefined> {
  try { await run() } catch (error) { return isCausetteError(error) ? error.code : `uncoded: ${String(error)}` }
  return undefined
}

const copierSeed = new Uint8Array(32).fill(8)
const copier = { peerId: 'copier-peer', deviceKey: ed25519FromSeed(copierSeed).publicKey }

/** A message of `seed`'s own words under the id `id` (not derived from its key), signed by it. */
function signedUnder (id: string, seed = copierSeed, text = 'squatting'): Uint8Array {
  const salt = new Uint8Array(32).fill(9)
  const body = utf8(text)
  const key = ed25519FromSeed(seed).publicKey
  const { bytes, signature } = signStatement(ed25519Signer(seed), { workspace: 'w1', conversation, author: key, recipients: [reader.publicKey], id, time: 1_000, seq: 1, bodyHash: bodyCommitment(salt, body) })
  return encodePayload({ statement: bytes, signature, salt, body })
}

/** A message of the copier's own words that names the id `id`, signed by the copier. */
const copiedId = (id: string): Uint8Array => signedUnder(id)
const fromCopier = { author: { peerId: copier.peerId, device: copier.deviceKey } }

/** What an acceptor would store of `payload`, the writes it asks to take out before it, and what tells the app of them. */
async function stored (guard: SignedMessageAcceptor, payload: Uint8Array, changes: Partial<InboundPayload> = {}, into?: Map<string, MessageRecord>): Promise<{ message: MessageRecord, displaced: unknown[], announce: () => void }> {
  let kept: { message: MessageRecord, displaced: unknown[], announce: () => void } | undefined
  await guard.accept(inbound(payload, changes), {}, async (message, displaced) => { kept = { message, displaced: displaced.ops, announce: displaced.announce }; into?.set(message.id, message) })
  return kept!
}

test('a composed message is accepted as the same record, received', async () => {
  const sent = composed('hello', 'the server room is on fire')
  let stored: MessageRecord | undefined
  const id = await acceptor().accept(inbound(sent.payload), { channel }, async message => { stored = message })
  assert.equal(id, sent.id)
  for (const field of ['id', 'conversation', 'text', 'salt', 'statement', 'signature', 'time', 'seq', 'urgent'] as const) assert.equal(stored?.[field], sent[field], field)
  assert.deepEqual({ direction: stored?.direction, author: stored?.author, state: stored?.state, channel: stored?.channel, arrived: stored?.arrived }, { direction: 'in', author: author.peerId, state: 'delivered', channel, arrived: 2_000 })
})

test('one replay guard: a copy in flight and a stored id are refused with REPLAY', async () => {
  const sent = composed()
  const guard = acceptor()
  let release = (): void => {}
  const first = guard.accept(inbound(sent.payload), {}, async () => { await new Promise<void>(resolve => { release = resolve }) })
  assert.equal(await codeOf(async () => await guard.accept(inbound(sent.payload), {}, async () => {})), 'REPLAY')
  await new Promise(resolve => setImmediate(resolve))
  await new Promise(resolve => setImmediate(resolve))
  release()
  assert.equal(await first, sent.id)
  assert.equal(await codeOf(async () => await acceptor([sent.id]).accept(inbound(sent.payload), {}, async () => {})), 'REPLAY')
})

test('a message id is derived from its author\'s device key and the body\'s salt', () => {
  const sent = composed()
  assert.equal(sent.id, messageIdOf(author.deviceKey, fromBase64(sent.salt)))
  assert.notEqual(messageIdOf(copier.deviceKey, fromBase64(sent.salt)), sent.id)
  // The vector of docs/log-format.md (alice's key of the examples, a salt of 32 bytes 0x01), computed there with Python.
  assert.equal(messageIdOf(fromBase64('iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w='), new Uint8Array(32).fill(1)), 'Rq5Y_MV5-AK8fXCGA98a1n-gn2f_N1ZVWO3-crEstDQ')
})

test('ids of an earlier version (random): one another author holds, stored or in flight, is no replay: MESSAGE_ID_TAKEN, which its sender does not take as delivered', async () => {
  const legacyId = toBase64Url(new Uint8Array(32).fill(11))
  const legacy = signedUnder(legacyId, authorSeed, 'hello')
  assert.equal(await codeOf(async () => await acceptor([legacyId], copier.peerId).accept(inbound(legacy), {}, async () => {})), 'MESSAGE_ID_TAKEN')
  // In flight: the copier's message with that id is being stored when the author's comes.
  const guard = acceptor()
  let release = (): void => {}
  const storing = new Promise<void>(resolve => { release = resolve })
  const first = guard.accept(inbound(copiedId(legacyId), fromCopier), {}, async () => { await storing })
  assert.equal(await codeOf(async () => await guard.accept(inbound(legacy), {}, async () => {})), 'MESSAGE_ID_TAKEN')
  release()
  assert.equal(await first, legacyId)
})

test('a message that proves its id takes it over from a copier\'s stored under it: the copy is taken out in the same batch', async () => {
  const sent = composed()
  const copy = (await stored(acceptor(), copiedId(sent.id), fromCopier)).message
  const held = new Map([[sent.id, copy]])
  const db = databaseHolding([], author.peerId, held)
  const guard = new SignedMessageAcceptor({ db, now: () => 3_000, search })
  const announced: MessageRecord[] = []
  guard.forgetsWith('direct', () => ({ ops: [], undo: () => {} }), taken => { announced.push(taken) })
  const { message, displaced, announce } = await stored(guard, sent.payload)
  assert.equal(message.author, author.peerId)
  assert.deepEqual(displaced, [
    { type: 'del', sublevel: db.messages, key: messageKey(conversation, 2_000, sent.id) },
    { type: 'del', sublevel: 'search', key: sent.id }
  ])
  assert.deepEqual(announced, [], 'the app hears of it once the batch is written, from the store')
  announce()
  assert.deepEqual(announced, [copy], 'the copy, for the app to drop')
  // The author's own message again is a replay, as ever.
  assert.equal(await codeOf(async () => await acceptor([], author.peerId, new Map([[sent.id, message]])).accept(inbound(sent.payload), {}, async () => {})), 'REPLAY')
})

test('a message that proves its id waits for a copier\'s in flight, then takes the id over from it', async () => {
  const sent = composed()
  const held = new Map<string, MessageRecord>()
  const guard = acceptor([], author.peerId, held)
  let release = (): void => {}
  const storing = new Promise<void>(resolve => { release = resolve })
  const copying = guard.accept(inbound(copiedId(sent.id), fromCopier), {}, async message => { await storing; held.set(message.id, message) })
  const real = stored(guard, sent.payload)
  await new Promise(resolve => setImmediate(resolve))
  release()
  assert.equal(await copying, sent.id)
  const { message, displaced } = await real
  assert.equal(message.author, author.peerId)
  assert.equal(displaced.length, 2, 'the copy stored meanwhile is taken out')
})

test('a copier cannot take an id its author proves, stored or in flight: MESSAGE_ID_TAKEN', async () => {
  const sent = composed()
  const held = new Map<string, MessageRecord>()
  await stored(acceptor(), sent.payload, {}, held)
  assert.equal(await codeOf(async () => await acceptor([], author.peerId, held).accept(inbound(copiedId(sent.id), fromCopier), {}, async () => {})), 'MESSAGE_ID_TAKEN')
  const guard = acceptor()
  let release = (): void => {}
  const storing = new Promise<void>(resolve => { release = resolve })
  const first = guard.accept(inbound(sent.payload), {}, async () => { await storing })
  assert.equal(await codeOf(async () => await guard.accept(inbound(copiedId(sent.id), fromCopier), {}, async () => {})), 'MESSAGE_ID_TAKEN')
  release()
  assert.equal(await first, sent.id)
})

test('a bad signature is refused as such, also when its id is one stored', async () => {
  const sent = composed()
  const inner = decodePayload(sent.payload)
  const signature = Uint8Array.from(inner.signature)
  signature[10]! ^= 1
  const forged = encodePayload({ ...inner, signature })
  assert.equal(await codeOf(async () => await acceptor().accept(inbound(forged), {}, async () => {})), 'BAD_STATEMENT')
  assert.equal(await codeOf(async () => await acceptor([sent.id]).accept(inbound(forged), {}, async () => {})), 'BAD_STATEMENT')
  assert.equal(await codeOf(async () => await acceptor([sent.id]).accept(inbound(sent.payload), {}, async () => {})), 'REPLAY')
})

test('what the transport fixes is checked: the author, the recipient, the conversation (always), the workspace', async () => {
  const { payload } = composed()
  const stranger = ed25519FromSeed(new Uint8Array(32).fill(5)).publicKey
  const refused = async (changes: Partial<InboundPayload>): Promise<string | undefined> => await codeOf(async () => await acceptor().accept(inbound(payload, changes), {}, async () => {}))
  assert.equal(await refused({ author: { peerId: 'x', device: stranger } }), 'WRONG_AUTHOR')
  assert.equal(await refused({ recipient: stranger }), 'NOT_A_RECIPIENT')
  assert.equal(await refused({ conversation: channelConversationId(toBase64Url(new Uint8Array(32).fill(7))) }), 'BAD_STATEMENT')
  assert.equal(await refused({ workspace: 'w2' }), 'BAD_STATEMENT')
  assert.equal(await refused({ workspace: undefined, recipient: undefined }), undefined)
})

test('what we compose is checked once: the urgent reason and the size', () => {
  assert.throws(() => checkContent({ text: 'x' }, 'two\nlines'), (error: unknown) => isCausetteError(error) && error.code === 'BAD_REQUEST')
  assert.throws(() => checkContent({ text: 'x'.repeat(70_000) }), (error: unknown) => isCausetteError(error) && error.code === 'BAD_REQUEST')
})

test('a spent key is written with the message, alone when refused, given back on a fault of ours', async () => {
  const outcome = (): { done: number, givenBack: number, aloneWrites: number } => ({ done: 0, givenBack: 0, aloneWrites: 0 })
  const settle = async (o: ReturnType<typeof outcome>, accept: () => Promise<string>): Promise<string | undefined> => await codeOf(async () => await settleSpentKey({ done: () => { o.done++ }, giveBack: () => { o.givenBack++ } }, async () => { o.aloneWrites++ }, accept))
  const stored = outcome()
  assert.equal(await settle(stored, async () => 'id'), undefined)
  assert.deepEqual(stored, { done: 1, givenBack: 0, aloneWrites: 0 })
  const refused = outcome()
  assert.equal(await settle(refused, async () => { throw new CausetteError('REPLAY', 'seen') }), 'REPLAY')
  assert.deepEqual(refused, { done: 1, givenBack: 0, aloneWrites: 1 })
  const fault = outcome()
  assert.equal(await settle(fault, async () => { throw Object.assign(new Error('no space'), { code: 'ENOSPC' }) }), 'uncoded: Error: no space')
  assert.deepEqual(fault, { done: 0, givenBack: 1, aloneWrites: 0 })
})

test('the protocol edge routes channel frames, messages, receipts and distributions to their component', async () => {
  const routed: string[] = []
  const receiver = routeInbound<{ plaintext: Uint8Array }>({
    pairwise: {
      open: async (message, route) => await route({ plaintext: message.sealed }),
      receiveMessage: async () => { routed.push('message'); return 'm' },
      receiveReceipt: async () => { routed.push('receipt'); return 'r' }
    },
    channels: {
      receiveFrame: async () => { routed.push('frame'); return 'f' },
      receiveDistribution: async () => { routed.push('distribution'); return 'd' }
    }
  })
  const receive = async (sealed: Uint8Array): Promise<string> => await receiver.receive({ from: 'p', fromKey: new Uint8Array(32), sealed })
  const frame = encodeChannelFrame({ group: Uint8Array.of(1), heads: [new Uint8Array(32)], to: 'p' })
  assert.deepEqual(await Promise.all([receive(frame), receive(Uint8Array.of(1)), receive(Uint8Array.of(2)), receive(Uint8Array.of(DISTRIBUTION_PAYLOAD_KIND))]), ['f', 'm', 'r', 'd'])
  assert.deepEqual(routed, ['frame', 'message', 'receipt', 'distribution'])
  assert.equal(await codeOf(async () => await receive(Uint8Array.of(9))), 'E2E_BAD_PAYLOAD')
})
