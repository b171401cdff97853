// /causette/msg/1.0.0 framing on an in-memory stream pair with a scripted receiver, and the checks
// every decrypted message must pass.
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
import { handleMessageStream, type InboundMessage, type MessageReceiver } from '../../core/protocol/message-handler.js'
import { checkInbound } from '../../core/messaging/inbound-check.js'
import { encodePayload } from '../../crypto/e2e/index.js'
import { MAX_BODY_BYTES, MAX_ENVELOPE_BYTES } from '../../core/protocol/limits.js'
import { Ack, Envelope } from '../../core/protocol/wire.js'

const senderSeed = new Uint8Array(32).fill(9)
const sender = ed25519FromSeed(senderSeed)
const local = ed25519FromSeed(new Uint8Array(32).fill(8))
const stranger = ed25519FromSeed(new Uint8Array(32).fill(7))

function payload (text: string, opts: { recipients?: Uint8Array[], body?: Uint8Array } = {}): Uint8Array {
  const salt = randomBytes(32)
  const body = opts.body ?? utf8(text)
  const { bytes, signature } = signStatement(ed25519Signer(senderSeed), {
    workspace: 'lan',
    conversation: directConversationId(sender.publicKey, local.publicKey),
    author: sender.publicKey,
    recipients: opts.recipients ?? [local.publicKey],
    id: toBase64Url(randomBytes(32)),
    time: Date.now(),
    seq: 1,
    bodyHash: bodyCommitment(salt, body)
  })
  return encodePayload({ statement: bytes, signature, salt, body }, Number.MAX_SAFE_INTEGER)
}

test('checkInbound accepts a good payload and returns the domain message', () => {
  const message = checkInbound(payload('hello'), sender.publicKey, local.publicKey)
  assert.equal(message.text, 'hello')
})

test('checkInbound names what is wrong', () => {
  const codeOf = (f: () => unknown): string => { try { f(); return 'accepted' } catch (e) { return (e as CausetteError).code } }
  assert.equal(codeOf(() => checkInbound(payload('x'), stranger.publicKey, local.publicKey)), 'WRONG_AUTHOR')
  assert.equal(codeOf(() => checkInbound(payload('x', { recipients: [stranger.publicKey] }), sender.publicKey, local.publicKey)), 'NOT_A_RECIPIENT')
  assert.equal(codeOf(() => checkInbound(payload('x', { body: new Uint8Array(MAX_BODY_BYTES + 1) }), sender.publicKey, local.publicKey)), 'E2E_BAD_PAYLOAD')
  assert.equal(codeOf(() => checkInbound(payload('x', { body: Uint8Array.from([0xff, 0xfe]) }), sender.publicKey, local.publicKey)), 'BAD_FRAME')
  const broken = payload('x')
  broken[10]! ^= 1
  assert.equal(codeOf(() => checkInbound(broken, sender.publicKey, local.publicKey)), 'BAD_STATEMENT')
  assert.equal(codeOf(() => checkInbound(broken.subarray(0, 20), sender.publicKey, local.publicKey)), 'E2E_BAD_PAYLOAD')
})

const sealedFrame = (text: string): Uint8Array => Envelope.encode({ sealed: utf8(text) as Uint8Array<ArrayBuffer> })

async function session (receiver: MessageReceiver) {
  const [outbound, inbound] = await streamPair()
  const remotePeer = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', senderSeed))
  const handled = handleMessageStream(inbound, { remotePeer } as unknown as Connection, receiver)
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
      const text = new TextDecoder().decode(m.sealed)
      stored.push(text)
      return `id-${text}`
    }
  })
  for (const text of ['one', 'two', 'three']) await s.send(sealedFrame(text))
  const acks = [await s.ack(), await s.ack(), await s.ack()]
  assert.deepEqual(acks.map(a => a.errorCode), ['', '', ''])
  assert.deepEqual(acks.map(a => a.id), ['id-one', 'id-two', 'id-three'])
  assert.deepEqual(stored.sort(), ['one', 'three', 'two'])
  await s.outbound.close()
  await s.handled
})

test('a refusal by the logic travels back with its code; a bad frame does not end the stream', async () => {
  const s = await session({
    receive: async (m) => {
      if (new TextDecoder().decode(m.sealed) === 'dup') throw new CausetteError('REPLAY', 'message id already received')
      return 'id'
    }
  })
  await s.send(sealedFrame('dup'))
  assert.deepEqual({ ...(await s.ack()), id: '' }, { id: '', errorCode: 'REPLAY', errorMessage: 'message id already received' })
  await s.send(Uint8Array.from([0xff, 0xff, 0xff]))
  assert.equal((await s.ack()).errorCode, 'BAD_FRAME')
  await s.send(sealedFrame('fine'))
  assert.equal((await s.ack()).errorCode, '')
})

test('a frame over the limit is refused and the stream closed, since it cannot be resynchronised', async () => {
  const s = await session({ receive: async () => 'id' })
  await s.send(new Uint8Array(MAX_ENVELOPE_BYTES + 1))
  assert.equal((await s.ack()).errorCode, 'FRAME_TOO_LARGE')
  await s.handled
  await assert.rejects(s.ack())
})
