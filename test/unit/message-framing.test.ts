// /causette/msg/1.0.0 framing and checks, on an in-memory stream pair with a scripted receiver.
import '../../core/polyfill.js'
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Connection } from '@libp2p/interface'
import { lpStream, streamPair } from '@libp2p/utils'
import { directConversationId } from '../../crypto/conversation.js'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { toBase64Url, utf8 } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { bodyCommitment, signStatement } from '../../crypto/statement-signature.js'
import { CausetteError } from '../../core/errors.js'
import { checkEnvelope, handleMessageStream, type InboundMessage, type MessageReceiver } from '../../core/protocol/message-handler.js'
import { MAX_BODY_BYTES, MAX_ENVELOPE_BYTES } from '../../core/protocol/limits.js'
import { Ack, Envelope } from '../../core/protocol/wire.js'

const senderSeed = new Uint8Array(32).fill(9)
const sender = ed25519FromSeed(senderSeed)
const local = ed25519FromSeed(new Uint8Array(32).fill(8))
const stranger = ed25519FromSeed(new Uint8Array(32).fill(7))

function envelope (text: string, opts: { recipients?: Uint8Array[], body?: Uint8Array } = {}): Envelope {
  const salt = randomBytes(32)
  const body = opts.body ?? utf8(text)
  const { bytes, signature } = signStatement(ed25519Signer(senderSeed), {
    workspace: 'lan',
    conversation: directConversationId(sender.publicKey, local.publicKey),
    author: sender.publicKey,
    recipients: opts.recipients ?? [local.publicKey],
    id: toBase64Url(randomBytes(32)),
    time: Date.now(),
    bodyHash: bodyCommitment(salt, body)
  })
  return { statement: bytes, signature, salt, body } as Envelope
}

const from = { peerId: 'sender', publicKey: sender.publicKey }

test('checkEnvelope accepts a good envelope and returns the domain message', () => {
  const message = checkEnvelope(envelope('hello'), from, local.publicKey)
  assert.equal(message.text, 'hello')
  assert.equal(message.from, 'sender')
})

test('checkEnvelope names what is wrong', () => {
  const codeOf = (f: () => unknown): string => { try { f(); return 'accepted' } catch (e) { return (e as CausetteError).code } }
  assert.equal(codeOf(() => checkEnvelope(envelope('x'), { peerId: 's', publicKey: stranger.publicKey }, local.publicKey)), 'WRONG_AUTHOR')
  assert.equal(codeOf(() => checkEnvelope(envelope('x', { recipients: [stranger.publicKey] }), from, local.publicKey)), 'NOT_A_RECIPIENT')
  assert.equal(codeOf(() => checkEnvelope(envelope('x', { body: new Uint8Array(MAX_BODY_BYTES + 1) }), from, local.publicKey)), 'FRAME_TOO_LARGE')
  assert.equal(codeOf(() => checkEnvelope(envelope('x', { body: Uint8Array.from([0xff, 0xfe]) }), from, local.publicKey)), 'BAD_FRAME')
  const broken = envelope('x')
  broken.statement = broken.statement.subarray(1)
  assert.equal(codeOf(() => checkEnvelope(broken, from, local.publicKey)), 'BAD_STATEMENT')
})

async function session (receiver: MessageReceiver) {
  const [outbound, inbound] = await streamPair()
  const remotePeer = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', senderSeed))
  const handled = handleMessageStream(inbound, { remotePeer } as unknown as Connection, receiver, local.publicKey)
  const lp = lpStream(outbound, { maxDataLength: MAX_ENVELOPE_BYTES * 2 })
  return { outbound, handled, send: async (frame: Uint8Array) => { await lp.write(frame) }, ack: async () => Ack.decode(await lp.read()) }
}

test('acks come back in order, each once its message is stored, even when stores finish out of order', async () => {
  const stored: string[] = []
  const delays = [30, 0, 10]
  let call = 0
  const s = await session({
    receive: async (m: InboundMessage) => {
      await new Promise(resolve => setTimeout(resolve, delays[call++ % delays.length]))
      stored.push(m.text)
    }
  })
  const sent = ['one', 'two', 'three'].map(text => envelope(text))
  for (const e of sent) await s.send(Envelope.encode(e))
  const acks = [await s.ack(), await s.ack(), await s.ack()]
  assert.deepEqual(acks.map(a => a.errorCode), ['', '', ''])
  assert.deepEqual(acks.map(a => a.id), sent.map(e => new TextDecoder().decode(e.statement).match(/id: (.*)/)![1]))
  assert.deepEqual(stored.sort(), ['one', 'three', 'two'])
  await s.outbound.close()
  await s.handled
})

test('a refusal by the logic travels back with its code; a bad frame does not end the stream', async () => {
  const s = await session({ receive: async (m) => { if (m.text === 'dup') throw new CausetteError('REPLAY', 'message id already received') } })
  await s.send(Envelope.encode(envelope('dup')))
  assert.deepEqual({ ...(await s.ack()), id: '' }, { id: '', errorCode: 'REPLAY', errorMessage: 'message id already received' })
  await s.send(Uint8Array.from([0xff, 0xff, 0xff]))
  assert.equal((await s.ack()).errorCode, 'BAD_FRAME')
  await s.send(Envelope.encode(envelope('fine')))
  assert.equal((await s.ack()).errorCode, '')
})

test('a frame over the limit is refused and the stream closed, since it cannot be resynchronised', async () => {
  const s = await session({ receive: async () => {} })
  await s.send(new Uint8Array(MAX_ENVELOPE_BYTES + 1))
  assert.equal((await s.ack()).errorCode, 'FRAME_TOO_LARGE')
  await s.handled
  await assert.rejects(s.ack())
})
