// Every kind of bad input a peer can send gets a clear error, and the node keeps serving.
import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { test, type TestContext } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import { DEFAULT_SENDER_KEY_LIMITS, distributionOf, encryptGroupMessage, newSenderChain } from '../../crypto/e2e/sender-key.js'
import { randomBytes } from '../../crypto/random.js'
import { toBase64Url } from '../../crypto/encoding.js'
import { encodeDistributionPayload } from '../../core/channels/distribution.js'
import { directConversationId } from '../../crypto/conversation.js'
import { encodeReceiptPayload } from '../../crypto/e2e/index.js'
import { encodeReceipt, MAX_RECEIPT_IDS } from '../../crypto/receipt.js'
import { OPEN_WORKSPACE } from '../../core/messaging/messenger.js'
import { requestSync } from '../../core/protocol/sync-protocol.js'
import { handleFileStream } from '../../core/protocol/file-protocol.js'
import { FILE_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { encodeChannelFrame } from '../../core/protocol/channel-frame.js'
import { MAX_AMENDMENTS_PER_AUTHOR, MAX_ENVELOPE_BYTES, MAX_UNFETCHED_FILES_PER_AUTHOR, MAX_PARKED_PER_PEER, MAX_UNHELD_SENDER_KEYS_PER_PEER } from '../../core/protocol/limits.js'
import type { CausetteNode } from '../../core/node/node.js'
import type { NodeEvent } from '../../core/api/schema.js'
import { addressOf, eventually, tempHome, testNode, waitForPeer } from '../helpers/nodes.js'
import { publicKeyOf, rawPeer } from '../helpers/raw-peer.js'
import { MemoryHolder, randomFile } from '../helpers/memory-chunks.js'
import { fileIdOf } from '../../core/files/file-id.js'
import { storedContentId } from '../helpers/stored-chunks.js'

/** The node under attack still exchanges messages with a well-behaved colleague. */
async function stillServes (t: TestContext, node: CausetteNode): Promise<void> {
  const colleague = await testNode(t, { name: `colleague-${toBase64Url(randomBytes(3))}`, peers: [addressOf(node)] })
  await waitForPeer(colleague, node.peerId)
  const sent = await colleague.send(node.peerId, 'still there?')
  await eventually(async () => (await colleague.messages({ with: node.peerId, limit: 10 })).find(m => m.id === sent.id && m.state === 'delivered'))
}

async function attack (t: TestContext) {
  const target = await testNode(t, { name: 'target' })
  const refused: string[] = []
  const attacker = await rawPeer(t)
  return { target, attacker, refused }
}

test('a malformed frame is answered with BAD_FRAME and the stream goes on', async (t) => {
  const { target, attacker } = await attack(t)
  const s = await attacker.open(target)
  // A length-prefixed frame whose bytes are not a protobuf Envelope (field 1 says length 100, 3 bytes follow).
  await s.send(Uint8Array.from([0x0a, 0x64, 1, 2, 3]))
  const ack = await s.ack()
  assert.equal(ack.errorCode, 'BAD_FRAME')
  assert.match(ack.errorMessage, /undecodable/)
  // The same stream still accepts a good message.
  await s.sendSealed(await attacker.seal(target, 'after the bad frame'))
  assert.equal((await s.ack()).errorCode, '')
  await stillServes(t, target)
})

test('a frame over the size limit is refused with FRAME_TOO_LARGE', async (t) => {
  const { target, attacker } = await attack(t)
  const s = await attacker.open(target)
  await s.sendSealed(new Uint8Array(MAX_ENVELOPE_BYTES + 10))
  const ack = await s.ack()
  assert.equal(ack.errorCode, 'FRAME_TOO_LARGE')
  assert.equal((await target.messages({ limit: 10 })).length, 0)
  await stillServes(t, target)
})

test('ciphertexts that are not ours, or modified, are refused by the end-to-end layer', async (t) => {
  const { target, attacker } = await attack(t)
  const s = await attacker.open(target)
  await s.sendSealed(randomBytes(200))
  assert.equal((await s.ack()).errorCode, 'E2E_BAD_MESSAGE')
  const sealed = await attacker.seal(target, 'flip one bit')
  sealed[sealed.length - 5]! ^= 1
  await s.sendSealed(sealed)
  assert.equal((await s.ack()).errorCode, 'E2E_DECRYPT_FAILED')
  assert.equal((await target.messages({ limit: 10 })).length, 0)
  await stillServes(t, target)
})

test('a statement with a bad signature is refused with BAD_STATEMENT', async (t) => {
  const { target, attacker } = await attack(t)
  const s = await attacker.open(target)
  await s.sendSealed(await attacker.seal(target, 'forged', { tamper: p => ({ ...p, signature: p.signature.map((b, i) => i === 0 ? b ^ 1 : b) }) }))
  const ack = await s.ack()
  assert.equal(ack.errorCode, 'BAD_STATEMENT')
  assert.match(ack.errorMessage, /bad signature/)
  // A body that does not match its commitment is refused the same way.
  await s.sendSealed(await attacker.seal(target, 'original', { tamper: p => ({ ...p, body: new TextEncoder().encode('tampered') }) }))
  assert.match((await s.ack()).errorMessage, /commitment/)
  assert.equal((await target.messages({ limit: 10 })).length, 0)
  await stillServes(t, target)
})

test('replays are refused and stored once: a captured ciphertext, and a message id seen before', async (t) => {
  const { target, attacker } = await attack(t)
  const s = await attacker.open(target)
  const captured = await attacker.seal(target, 'once only')
  await s.sendSealed(captured)
  assert.equal((await s.ack()).errorCode, '')
  await s.sendSealed(captured)
  assert.equal((await s.ack()).errorCode, 'E2E_REPLAY')
  // The same statement id in a fresh ciphertext, also when both copies arrive before either is stored.
  const id = toBase64Url(randomBytes(32))
  await s.sendSealed(await attacker.seal(target, 'twice at once', { id }))
  await s.sendSealed(await attacker.seal(target, 'twice at once', { id }))
  const codes = [(await s.ack()).errorCode, (await s.ack()).errorCode]
  assert.deepEqual(codes, ['', 'REPLAY'])
  const stored = await target.messages({ limit: 10 })
  assert.deepEqual(stored.map(m => m.text).sort(), ['once only', 'twice at once'])
  await stillServes(t, target)
})

test('a message claiming another author is refused with WRONG_AUTHOR', async (t) => {
  const { target, attacker } = await attack(t)
  const victim = await testNode(t, { name: 'victim' })
  const s = await attacker.open(target)
  // Naming the victim as author (signed by the attacker, so its signature would fail too).
  await s.sendSealed(await attacker.seal(target, 'I am the victim', { author: publicKeyOf(victim) }))
  assert.equal((await s.ack()).errorCode, 'WRONG_AUTHOR')
  // A statement validly signed by someone else (a captured one) sent by the attacker: wrong author.
  const accomplice = await rawPeer(t)
  await s.sendSealed(await attacker.seal(target, 'relayed by a third party', { author: accomplice.publicKey, sign: accomplice.sign }))
  const ack = await s.ack()
  assert.equal(ack.errorCode, 'WRONG_AUTHOR')
  assert.equal((await target.messages({ limit: 10 })).length, 0)
  await stillServes(t, target)
})

test('a 1:1 message naming a conversation not between its author and us is refused: it went into that conversation, or made a new one', async (t) => {
  const { target, attacker } = await attack(t)
  const victim = await testNode(t, { name: 'victim', peers: [addressOf(target)] })
  await waitForPeer(victim, target.peerId)
  const s = await attacker.open(target)
  // Before, the node stored it in its conversation with the victim, and a conversation it named first
  // was listed as the attacker's, with the target's words to the victim in it.
  const theirs = directConversationId(publicKeyOf(target), publicKeyOf(victim))
  await s.sendSealed(await attacker.seal(target, 'slipped into your talk with the victim', { conversation: theirs }))
  assert.equal((await s.ack()).errorCode, 'BAD_STATEMENT')
  const hello = await victim.send(target.peerId, 'hello from the victim')
  await eventually(async () => (await target.messages({ with: victim.peerId, limit: 10 })).find(m => m.id === hello.id))
  await target.send(victim.peerId, 'a word for the victim only')
  // Before, each made-up conversation id was a new conversation, kept in memory and listed for good.
  const madeUp = 50
  for (let seq = 1; seq <= madeUp; seq++) await s.sendSealed(await attacker.seal(target, 'a conversation of my own', { seq, conversation: toBase64Url(randomBytes(16)) }))
  for (let seq = 1; seq <= madeUp; seq++) assert.equal((await s.ack()).errorCode, 'BAD_STATEMENT', `made-up conversation ${seq}`)
  assert.deepEqual((await target.messages({ with: victim.peerId, limit: 10 })).map(m => m.text), ['hello from the victim', 'a word for the victim only'])
  assert.deepEqual((await target.conversations()).map(c => [c.id, c.peer]), [[theirs, victim.peerId]], 'no conversation but the victim\'s, and it is the victim\'s')
  // Its own conversation with us still takes its messages.
  await s.sendSealed(await attacker.seal(target, 'a proper message', { seq: madeUp + 1 }))
  assert.equal((await s.ack()).errorCode, '')
  await stillServes(t, target)
})

test('an unknown protocol version is refused during negotiation', async (t) => {
  const { target, attacker } = await attack(t)
  await assert.rejects(attacker.libp2p.dialProtocol(multiaddr(addressOf(target)), '/causette/msg/2.0.0'), (error: Error) => {
    assert.equal(error.name, 'UnsupportedProtocolError')
    return true
  })
  await stillServes(t, target)
})

/** A group message of `bytes` for a channel nobody has (a fresh id each time): the node can only park it. */
function unreadableChannelMessage (sender: Uint8Array, to: CausetteNode, bytes: number): Uint8Array {
  const { message } = encryptGroupMessage(newSenderChain(toBase64Url(randomBytes(24)), sender, Date.now()), randomBytes(bytes))
  return encodeChannelFrame({ group: message, heads: [randomBytes(32)], to: to.peerId })
}

test('channel messages the node cannot read yet wait parked within a bound per peer: a colleague cannot fill its disk', async (t) => {
  const { target, attacker } = await attack(t)
  const s = await attacker.open(target)
  // Each message names a channel of its own, so the bound per channel never applies. Before the fix
  // every one was parked: 3,000 such messages took 242 MB of the node's disk in 9 s.
  const size = 48 * 1024
  const mostParked = Math.ceil(MAX_PARKED_PER_PEER.bytes / size)
  let parked = 0
  let refusal = ''
  while (refusal === '' && parked <= mostParked) {
    await s.sendSealed(unreadableChannelMessage(attacker.publicKey, target, size))
    const ack = await s.ack()
    refusal = ack.errorCode === '' ? '' : `${ack.errorCode}: ${ack.errorMessage}`
    if (refusal === '') parked++
  }
  assert.match(refusal, /^E2E_NO_SENDER_KEY: too many messages from this peer/)
  assert.ok(parked * size <= MAX_PARKED_PER_PEER.bytes, `${parked} messages of ${size} bytes parked`)
  // Another colleague's message still waits parked, and the node still serves.
  const other = await rawPeer(t)
  const fromOther = await other.open(target)
  await fromOther.sendSealed(unreadableChannelMessage(other.publicKey, target, 1024))
  assert.equal((await fromOther.ack()).errorCode, '')
  await stillServes(t, target)
})

test('sender keys of channels the node holds no log of are kept up to a bound per peer: a colleague cannot grow its memory without end', async (t) => {
  const { target, attacker } = await attack(t)
  const s = await attacker.open(target)
  // Before the fix each was kept in memory and on disk for good: 20,000 in 9 s, 18 MB on disk.
  const distribute = async (): Promise<string> => {
    const chain = newSenderChain(toBase64Url(randomBytes(32)), attacker.publicKey, Date.now())
    await s.sendSealed(await attacker.sealPlaintext(target, encodeDistributionPayload(distributionOf(chain))))
    return (await s.ack()).errorCode
  }
  for (let i = 0; i < MAX_UNHELD_SENDER_KEYS_PER_PEER; i++) assert.equal(await distribute(), '', `sender key ${i}`)
  assert.equal(await distribute(), 'CHANNEL_NOT_MEMBER')
  // The session stepped on: the stream still carries a message.
  await s.sendSealed(await attacker.seal(target, 'still a colleague'))
  assert.equal((await s.ack()).errorCode, '')
  await stillServes(t, target)
})

test('reactions and edits of one message by one author stop at a bound: each made the node read them all again', async (t) => {
  const { target, attacker } = await attack(t)
  const s = await attacker.open(target)
  const original = toBase64Url(randomBytes(32))
  await s.sendSealed(await attacker.seal(target, 'react to me', { id: original }))
  assert.equal((await s.ack()).errorCode, '')
  // Before the bound, 1,500 such reactions cost the node 22 ms of CPU each, and more with every one.
  const react = async (to: string, at: number): Promise<void> => { await s.sendSealed(await attacker.seal(target, JSON.stringify({ text: '', replyTo: to, reaction: '👍', ...(at % 2 === 1 ? { removed: true } : {}) }))) }
  for (let at = 0; at < MAX_AMENDMENTS_PER_AUTHOR; at++) await react(original, at)
  for (let at = 0; at < MAX_AMENDMENTS_PER_AUTHOR; at++) assert.equal((await s.ack()).errorCode, '', `reaction ${at}`)
  await react(original, 0)
  assert.equal((await s.ack()).errorCode, 'AMEND_TOO_MANY')
  // Another message still takes a reaction of that author, and the node still serves.
  const another = toBase64Url(randomBytes(32))
  await s.sendSealed(await attacker.seal(target, 'another one', { id: another }))
  await react(another, 0)
  assert.deepEqual([(await s.ack()).errorCode, (await s.ack()).errorCode], ['', ''])
  await stillServes(t, target)
})

/** Alice and Carol have met; Carol is away now (stopped), Alice still running: each restarts on its own home. */
async function carolAwayFromAlice (t: TestContext) {
  const [aliceHome, carolHome] = [await tempHome(t), await tempHome(t)]
  const carolAway = await testNode(t, { name: 'Carol', home: carolHome })
  const aliceBefore = await testNode(t, { name: 'Alice', home: aliceHome, peers: [addressOf(carolAway)] })
  await waitForPeer(aliceBefore, carolAway.peerId)
  await carolAway.stop()
  return { aliceHome, carolHome, aliceBefore, carolAway }
}

test('a message id another colleague used first is taken back by its author: the copy is taken out, the real message shown and delivered', async (t) => {
  // Alice writes to Carol while Carol is away. The attacker knows the new message's id (a fellow
  // member of a channel sees every id in it; here the test hands it over) and reaches Carol first.
  const { aliceHome, carolHome, aliceBefore, carolAway } = await carolAwayFromAlice(t)
  const sent = await aliceBefore.send(carolAway.peerId, 'the offer is 40k, keep it quiet')
  await aliceBefore.stop()
  const carol = await testNode(t, { name: 'Carol', home: carolHome })
  const attacker = await rawPeer(t)
  const attackerId = attacker.libp2p.peerId.toString()
  const s = await attacker.open(carol)
  await s.sendSealed(await attacker.seal(carol, 'squatting your id', { id: sent.id }))
  assert.equal((await s.ack()).errorCode, '')
  assert.deepEqual((await carol.messages({ with: attackerId, limit: 10 })).map(m => m.text), ['squatting your id'], 'the copy is stored first')
  const copyConversation = (await carol.conversations()).find(c => c.peer === attackerId)!.id
  const events: NodeEvent[] = []
  t.after(carol.events.subscribe(carol.events.lastId, frame => { events.push(frame.event) }))
  // Alice comes back: her outbox hands the message to Carol.
  const alice = await testNode(t, { name: 'Alice', home: aliceHome, peers: [addressOf(carol)] })
  const settled = await eventually(async () => (await alice.messages({ with: carol.peerId, limit: 10 })).find(m => m.id === sent.id && m.state !== 'queued' && m.state !== 'sent'), 20_000, 'Alice\'s message settled')
  // Session 27 refused it (MESSAGE_ID_TAKEN: failed); before that it was acked REPLAY and never shown.
  assert.equal(settled.state, 'delivered', `Alice's message is ${settled.state} (${settled.stateReason ?? ''}) at Carol, who shows ${JSON.stringify((await carol.messages({ with: alice.peerId, limit: 10 })).map(m => m.text))}`)
  assert.deepEqual((await carol.messages({ with: alice.peerId, limit: 10 })).map(m => [m.id, m.author, m.text]), [[sent.id, alice.peerId, 'the offer is 40k, keep it quiet']])
  // The copy is gone from Carol's store, her search and her list (the attacker's conversation: nothing unread, no preview).
  assert.deepEqual(await carol.messages({ with: attackerId, limit: 10 }), [])
  assert.deepEqual((await carol.search({ q: 'squatting' })).results, [])
  assert.deepEqual((await carol.search({ q: 'offer' })).results.map(hit => [hit.id, hit.author]), [[sent.id, alice.peerId]])
  const copiers = (await carol.conversations()).find(c => c.peer === attackerId)
  assert.deepEqual([copiers?.unread, copiers?.lastMessage], [0, null])
  // An open app hears it at once: drop the copy, then the real message, and the copier's conversation with nothing unread.
  const takenOut = events.findIndex(event => event.type === 'message-taken-out')
  assert.deepEqual(events[takenOut], { type: 'message-taken-out', id: sent.id, author: attackerId, conversation: copyConversation, peer: attackerId })
  assert.ok(events.findIndex(event => event.type === 'message' && event.message.id === sent.id) > takenOut, 'the real message after the copy is dropped')
  assert.ok(events.some(event => event.type === 'conversation' && event.conversation.id === copyConversation && event.conversation.unread === 0))
  // The attacker's copy again is refused: the id is Alice's, provably.
  await s.sendSealed(await attacker.seal(carol, 'squatting your id', { id: sent.id }))
  assert.equal((await s.ack()).errorCode, 'MESSAGE_ID_TAKEN')
  await stillServes(t, carol)
})

test('ids of a sender without derived ids (an earlier version) keep the first author\'s rule, and its messages still go through', async (t) => {
  const carol = await testNode(t, { name: 'Carol' })
  const [earlier, copier] = [await rawPeer(t), await rawPeer(t)]
  const id = toBase64Url(randomBytes(32))
  const [fromEarlier, fromCopier] = [await earlier.open(carol), await copier.open(carol)]
  await fromCopier.sendSealed(await copier.seal(carol, 'first under that id', { id }))
  assert.equal((await fromCopier.ack()).errorCode, '')
  // A random id proves nobody's: the first author's message keeps it, the other is told so.
  await fromEarlier.sendSealed(await earlier.seal(carol, 'mine, random id', { id }))
  assert.equal((await fromEarlier.ack()).errorCode, 'MESSAGE_ID_TAKEN')
  await fromEarlier.sendSealed(await earlier.seal(carol, 'another, random id', { seq: 2 }))
  assert.equal((await fromEarlier.ack()).errorCode, '')
  assert.deepEqual((await carol.messages({ with: earlier.libp2p.peerId.toString(), limit: 10 })).map(m => m.text), ['another, random id'])
  assert.deepEqual((await carol.messages({ with: copier.libp2p.peerId.toString(), limit: 10 })).map(m => [m.id, m.text]), [[id, 'first under that id']])
})

test('catch-up requests of one peer are answered one at a time, once in a while: each read the conversations it names again', async (t) => {
  const { target, attacker } = await attack(t)
  await attacker.seal(target, 'met') // the records exchanged: the node knows the attacker
  const connection = await attacker.libp2p.dial(multiaddr(addressOf(target)))
  const heads = [{ conversation: directConversationId(attacker.publicKey, publicKeyOf(target)), author: '', contiguous: 0, above: [] }]
  // Before, every one was answered at once: ten a second, each reading whole conversations and
  // channels. Now one waits its turn, and gives it up to a newer one.
  assert.equal((await requestSync(connection, heads)).errorCode, '')
  const answers = await Promise.all([requestSync(connection, heads), requestSync(connection, heads)])
  assert.deepEqual(answers.map(answer => answer.errorCode).sort(), ['', 'SYNC_TOO_SOON'])
  await stillServes(t, target)
})

/** An attachment nobody holds: a made-up descriptor (an image, with a made-up preview). */
function madeUpImage (): Record<string, unknown> {
  const descriptor = (type: string): Record<string, unknown> => ({ name: 'photo.png', size: 1000, type, sha256: hex(), key: toBase64Url(randomBytes(32)), nonce: toBase64Url(randomBytes(16)), chunkSize: 65_536, chunkCount: 1, chunksSha256: hex() })
  return { ...descriptor('image/png'), preview: descriptor('image/png') }
}
const hex = (): string => Buffer.from(randomBytes(32)).toString('hex')

test('files of one author still to fetch stop at a bound: made-up ones were tried again for ever, ahead of real ones', async (t) => {
  const { target, attacker } = await attack(t)
  const s = await attacker.open(target)
  // Ten images with their previews a message: 20 files nobody holds, tried again every 30 s.
  const messages = Math.ceil((MAX_UNFETCHED_FILES_PER_AUTHOR + 1) / 20)
  const lastFiles: string[] = []
  for (let at = 0; at < messages; at++) {
    const attachments = Array.from({ length: 10 }, madeUpImage)
    if (at === messages - 1) lastFiles.push(...attachments.map(a => a.chunksSha256 as string))
    await s.sendSealed(await attacker.seal(target, JSON.stringify({ text: '', attachments })))
  }
  for (let at = 0; at < messages; at++) assert.equal((await s.ack()).errorCode, '', `message ${at}`)
  // Past the bound a file is recorded cancelled: shown, and fetched only if the user asks.
  const last = await eventually(async () => { const view = await target.attachment(fileIdOf(attacker.libp2p.peerId.toString(), lastFiles.at(-1)!)).catch(() => undefined); return view?.state === 'cancelled' ? view : undefined }, 20_000, 'the last file past the bound')
  assert.equal(last.error, 'FILE_TOO_MANY_WAITING')
  assert.equal((await target.retryAttachment(last.id)).state === 'cancelled', false)
  await stillServes(t, target)
})

test('a file whose chunk list is larger than its signed descriptor says is refused before its chunks: a preview of 1,000 bytes took 8 MiB', async (t) => {
  const { target, attacker } = await attack(t)
  // The author's own chunk list (its hash is the descriptor's chunksSha256, so every holder's copy
  // proves it): 32 chunks of 256 KiB, where the descriptor says one chunk of a 1,000-byte preview.
  const lie = randomFile(32 * 256 * 1024, 256 * 1024)
  const holder = new MemoryHolder().add(lie)
  await attacker.libp2p.handle(FILE_PROTOCOL, (stream, connection) => { void handleFileStream(stream, connection, holder) })
  const image = madeUpImage()
  const preview = { ...(image.preview as Record<string, unknown>), chunksSha256: lie.fileId }
  const s = await attacker.open(target)
  await s.sendSealed(await attacker.seal(target, JSON.stringify({ text: '', attachments: [{ ...image, preview }] })))
  assert.equal((await s.ack()).errorCode, '')
  const settled = await eventually(async () => { const view = await target.attachment(fileIdOf(attacker.libp2p.peerId.toString(), lie.fileId)).catch(() => undefined); return view?.state === 'held' || view?.state === 'cancelled' ? view : undefined }, 30_000, 'the preview settled')
  const { mineBytes } = await target.filesUsage()
  // Before, it was fetched whole and held (a file that never opens), 8 MiB under a 1,000-byte preview.
  assert.ok(mineBytes < 64 * 1024, `${mineBytes} bytes kept for a preview its message says is 1,000 bytes (${settled.state})`)
  assert.equal(settled.state, 'cancelled')
  assert.equal(settled.error, 'FILE_HASH_MISMATCH')
  await stillServes(t, target)
})

test('a file another colleague named first is still its author\'s: Alice\'s photo showed the copier\'s name and preview (session 29), then was set aside unopenable (session 30)', async (t) => {
  // Alice sends Carol a photo while Carol is away. The attacker knows its content id (a carrier reads
  // it in the deposit, a fellow member of a channel in the message; here the test reads Alice's store),
  // names the photo in a message of its own with its own name, key and preview, and reaches Carol first.
  const { aliceHome, carolHome, aliceBefore, carolAway } = await carolAwayFromAlice(t)
  const staged = async (name: string, type: string, bytes: Uint8Array) => await aliceBefore.stageFile({ name, type, content: (async function * () { yield bytes })() })
  const bytes = randomBytes(3000)
  const photo = await staged('holiday.jpg', 'image/jpeg', bytes)
  const preview = await staged('holiday.webp', 'image/webp', randomBytes(500))
  const content = await storedContentId(aliceHome, aliceBefore.peerId, photo.id)
  const sent = await aliceBefore.send(carolAway.peerId, 'our holiday', { attachments: [{ file: photo.id, preview: preview.id, width: 40, height: 30 }] })
  await aliceBefore.stop()
  const carol = await testNode(t, { name: 'Carol', home: carolHome })
  const attacker = await rawPeer(t)
  const copy = { ...madeUpImage(), name: 'fired.jpg', type: 'image/jpeg', size: bytes.length, chunkSize: 262_144, chunksSha256: content, width: 999, height: 999 }
  const s = await attacker.open(carol)
  await s.sendSealed(await attacker.seal(carol, JSON.stringify({ text: 'look', attachments: [copy] })))
  assert.equal((await s.ack()).errorCode, '')
  const copied = await eventually(async () => await carol.attachment(fileIdOf(attacker.libp2p.peerId.toString(), content)).catch(() => undefined), 20_000, 'the copy noted')
  assert.equal(copied.name, 'fired.jpg', 'the copier\'s message shows its own words, under an id of its own')
  // Alice comes back: her outbox hands the message to Carol, and Carol fetches the photo from her.
  const alice = await testNode(t, { name: 'Alice', home: aliceHome, peers: [addressOf(carol)] })
  await eventually(async () => (await alice.messages({ with: carol.peerId, limit: 10 })).find(m => m.id === sent.id && m.state === 'delivered'), 20_000, 'Alice\'s message delivered')
  const shown = await eventually(async () => {
    const view = (await carol.messages({ with: alice.peerId, limit: 10 })).find(m => m.id === sent.id)?.attachments?.[0]
    return view?.state === 'held' || view?.state === 'cancelled' ? view : undefined
  }, 30_000, 'Alice\'s photo settled at Carol')
  // Session 29: it showed as the copier described it ('fired.jpg', 999 by 999, the copier's preview);
  // then set aside, cancelled with FILE_ID_TAKEN, never opened. Now it is Alice's file, held and opened with her key.
  assert.deepEqual([shown.id, shown.name, shown.type, shown.width, shown.height, shown.preview?.id], [photo.id, 'holiday.jpg', 'image/jpeg', 40, 30, preview.id])
  assert.deepEqual([shown.state, shown.error], ['held', undefined])
  const parts: Uint8Array[] = []
  for await (const part of (await carol.attachmentContent(photo.id)).content) parts.push(part)
  assert.ok(Buffer.concat(parts).equals(bytes), 'Alice\'s photo opens at Carol')
  await stillServes(t, carol)
})

test('receipts naming none of our messages are not journaled: a colleague filled the journal, which is never trimmed, unseen', async (t) => {
  const { target, attacker } = await attack(t)
  const s = await attacker.open(target)
  await s.sendSealed(await attacker.seal(target, 'met'))
  assert.equal((await s.ack()).errorCode, '') // the node knows the attacker now
  const sent = await target.send(attacker.libp2p.peerId.toString(), 'a message of ours to the raw peer')
  const to = publicKeyOf(target)
  const conversation = directConversationId(attacker.publicKey, to)
  const madeUp = (count: number): string[] => Array.from({ length: count }, () => toBase64Url(randomBytes(32)))
  async function receipt (ids: string[]): Promise<string> {
    const bytes = encodeReceipt({ workspace: OPEN_WORKSPACE, conversation, author: attacker.publicKey, to, state: 'delivered', time: Date.now(), ids })
    await s.sendSealed(await attacker.sealPlaintext(target, encodeReceiptPayload({ receipt: bytes, signature: attacker.sign(bytes) })))
    return (await s.ack()).errorCode
  }
  // Each was journaled before (about 15 KB of export apiece, 2,000 in 16 s, each acked as taken).
  for (let at = 0; at < 20; at++) assert.equal(await receipt(madeUp(MAX_RECEIPT_IDS)), '')
  // One that names a message of ours still is, made-up ids beside it and all.
  assert.equal(await receipt([sent.id, ...madeUp(3)]), '')
  assert.deepEqual((await journaled(target, 'receipt')).map(entry => (entry.messages as string[])[0]), [sent.id])
  // And so does the receipt for a message delivered at once, which has left the outbox when it comes.
  const colleague = await testNode(t, { name: 'colleague', peers: [addressOf(target)] })
  await waitForPeer(colleague, target.peerId)
  const direct = await colleague.send(target.peerId, 'delivered at once')
  await eventually(async () => (await journaled(colleague, 'receipt')).find(entry => (entry.messages as string[]).includes(direct.id) && entry.receipt === 'delivered'), 20_000, 'the delivered receipt journaled')
})

/** The entries of `kind` in the node's journal, as an export gives them. */
async function journaled (node: CausetteNode, kind: string): Promise<Array<Record<string, unknown>>> {
  const entries: Array<Record<string, unknown>> = []
  for await (const line of node.exportJournal({})) {
    if (!line.startsWith('entry ')) continue
    const entry = JSON.parse(Buffer.from(line.split(' ')[3]!, 'base64').toString('utf8')) as Record<string, unknown>
    if (entry.kind === kind) entries.push(entry)
  }
  return entries
}

test('a sender key handed over again is journaled once: each copy was journaled anew, unseen', async (t) => {
  const { target, attacker } = await attack(t)
  const s = await attacker.open(target)
  const chain = newSenderChain(toBase64Url(randomBytes(32)), attacker.publicKey, Date.now())
  // Each copy comes in a pairwise message of its own, as an honest resend would.
  for (let copy = 0; copy < 20; copy++) {
    await s.sendSealed(await attacker.sealPlaintext(target, encodeDistributionPayload(distributionOf(chain))))
    assert.equal((await s.ack()).errorCode, '', `copy ${copy}`)
  }
  assert.equal((await journaled(target, 'sender-key')).length, 1)
  await stillServes(t, target)
})

test('fresh sender key chains of a channel the node holds no log of stop at a bound: each was journaled, 200 in 2 s', async (t) => {
  const { target, attacker } = await attack(t)
  const s = await attacker.open(target)
  const channel = toBase64Url(randomBytes(32))
  const codes: string[] = []
  for (let fresh = 0; fresh < 12; fresh++) {
    const chain = newSenderChain(channel, attacker.publicKey, Date.now() + fresh)
    await s.sendSealed(await attacker.sealPlaintext(target, encodeDistributionPayload(distributionOf(chain))))
    codes.push((await s.ack()).errorCode)
  }
  // As many as a sender's record keeps (a rotation or two before the log comes), then refused.
  const kept = DEFAULT_SENDER_KEY_LIMITS.maxChainsPerSender
  assert.deepEqual(codes, [...Array<string>(kept).fill(''), ...Array<string>(12 - kept).fill('CHANNEL_NOT_MEMBER')])
  assert.equal((await journaled(target, 'sender-key')).length, kept)
  await stillServes(t, target)
})

test('a flood of connections from one host leaves the node serving others', async (t) => {
  const target = await testNode(t, { name: 'target', listenHost: '0.0.0.0' })
  const port = Number(addressOf(target).split('/')[4])
  // 200 TCP connections from another loopback address that never finish the Noise handshake.
  const sockets: Socket[] = []
  t.after(() => { for (const s of sockets) s.destroy() })
  await Promise.all(Array.from({ length: 200 }, async () => {
    await new Promise<void>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.9' })
      socket.on('error', () => { resolve() })
      socket.on('close', () => { resolve() })
      socket.on('connect', () => { socket.write(randomBytes(64)); resolve() })
      sockets.push(socket)
    })
  }))
  // And a libp2p peer opening many connections and streams.
  const flooder = await rawPeer(t)
  await Promise.allSettled(Array.from({ length: 50 }, async () => await flooder.open(target)))
  await stillServes(t, target)
})
