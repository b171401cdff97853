// The bytes of the end-to-end layer: ratchet messages and the signed inner payload, every decoder
// given truncated, oversized and tampered input.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodePayload, DEFAULT_MAX_BODY_BYTES, encodePayload, openPayload } from '../../crypto/e2e/payload.js'
import { decodeRatchetMessage, encodeHeader, MAX_RATCHET_MESSAGE_BYTES } from '../../crypto/e2e/wire.js'
import { concat, fromUtf8 } from '../../crypto/encoding.js'
import { StatementError } from '../../crypto/statement.js'
import { flipBit, pair, refusedWith, signedPayload } from './e2e-fixture.js'

test('a ratchet message decodes to its session start, header and sealed part', () => {
  const { alice } = pair()
  const bytes = alice.send('hello')
  const m = decodeRatchetMessage(bytes)
  assert.deepEqual(m.start!.baseKey, alice.state!.baseKey)
  assert.equal(m.start!.prekeyId, alice.peer.keys.prekey.id)
  assert.deepEqual(m.header.dh, alice.state!.ours.publicKey)
  assert.deepEqual({ pn: m.header.pn, n: m.header.n }, { pn: 0, n: 0 })
  assert.deepEqual(concat([m.headerBytes, m.sealed]), bytes)
  assert.equal(m.headerBytes.length, 2 + 68 + 40)
  assert.equal(m.sealed.length, 5 + 16)
})

test('malformed ratchet messages are refused with E2E_BAD_MESSAGE', () => {
  const { alice } = pair()
  const bytes = alice.send('hello')
  for (let length = 0; length < 2 + 68 + 40 + 16; length++) {
    assert.throws(() => decodeRatchetMessage(bytes.subarray(0, length)), refusedWith('E2E_BAD_MESSAGE'), `length ${length}`)
  }
  const otherVersion = bytes.slice()
  otherVersion[0] = 2
  assert.throws(() => decodeRatchetMessage(otherVersion), refusedWith('E2E_BAD_MESSAGE'))
  const otherKind = bytes.slice()
  otherKind[1] = 3
  assert.throws(() => decodeRatchetMessage(otherKind), refusedWith('E2E_BAD_MESSAGE'))
  assert.throws(() => decodeRatchetMessage(new Uint8Array(MAX_RATCHET_MESSAGE_BYTES + 1)), refusedWith('E2E_BAD_MESSAGE'))
  assert.throws(() => encodeHeader(null, { dh: new Uint8Array(32), pn: -1, n: 0 }), refusedWith('E2E_BAD_MESSAGE'))
})

test('every flipped bit of a ratchet message, session start or not, is refused', () => {
  const { alice, bob } = pair()
  const first = alice.send('first')
  for (let bit = 0; bit < first.length * 8; bit++) {
    assert.throws(() => bob.tryReceive(flipBit(first, bit)), (e: { code?: string }) => e.code !== undefined, `bit ${bit}`)
  }
  assert.equal(bob.receive(first), 'first')
  const reply = bob.send('reply')
  for (let bit = 0; bit < reply.length * 8; bit++) {
    assert.throws(() => alice.tryReceive(flipBit(reply, bit)), (e: { code?: string }) => e.code !== undefined, `bit ${bit}`)
  }
  assert.equal(alice.receive(reply), 'reply')
})

test('sign, then encrypt: the inner payload round-trips and its statement verifies', () => {
  const { alice, bob } = pair()
  const plaintext = signedPayload(alice.me, bob.me, 'the quarterly numbers are in')
  const { plaintext: received } = bob.tryReceive(alice.send(plaintext))
  const { payload, statement } = openPayload(received)
  assert.equal(fromUtf8(payload.body), 'the quarterly numbers are in')
  assert.deepEqual(statement.author, alice.me.keys.device.publicKey)
  assert.deepEqual(statement.recipients, [bob.me.keys.device.publicKey])
})

test('every flipped bit of the inner payload (statement, signature, salt or body) is refused', () => {
  const { alice, bob } = pair()
  const plaintext = signedPayload(alice.me, bob.me, 'hi')
  for (let bit = 0; bit < plaintext.length * 8; bit++) {
    assert.throws(() => openPayload(flipBit(plaintext, bit)), (e: Error) => e instanceof StatementError || (e as { code?: string }).code === 'E2E_BAD_PAYLOAD', `bit ${bit}`)
  }
})

test('malformed inner payloads are refused with E2E_BAD_PAYLOAD', () => {
  const { alice, bob } = pair()
  const plaintext = signedPayload(alice.me, bob.me, 'hi')
  for (let length = 0; length < plaintext.length; length++) {
    assert.throws(() => decodePayload(plaintext.subarray(0, length)), refusedWith('E2E_BAD_PAYLOAD'), `length ${length}`)
  }
  assert.throws(() => decodePayload(concat([plaintext, new Uint8Array(1)])), refusedWith('E2E_BAD_PAYLOAD'))
  const p = decodePayload(plaintext)
  assert.throws(() => encodePayload({ ...p, body: new Uint8Array(DEFAULT_MAX_BODY_BYTES + 1) }), refusedWith('E2E_BAD_PAYLOAD'))
  assert.throws(() => encodePayload({ ...p, salt: new Uint8Array(31) }), refusedWith('E2E_BAD_PAYLOAD'))
  assert.throws(() => decodePayload(encodePayload({ ...p, body: new Uint8Array(100) }), 99), refusedWith('E2E_BAD_PAYLOAD'))
  const hugeStatementLength = plaintext.slice()
  hugeStatementLength.set([0xff, 0xff, 0xff, 0xff], 1)
  assert.throws(() => decodePayload(hugeStatementLength), refusedWith('E2E_BAD_PAYLOAD'))
})

test('low-order keys in a header or a session start are refused with E2E_BAD_KEY', () => {
  const { alice, bob } = pair()
  const first = alice.send('first')
  const m = decodeRatchetMessage(first)
  const zeroBaseKey = first.slice()
  zeroBaseKey.fill(0, 2 + 32, 2 + 64)
  assert.throws(() => bob.tryReceive(zeroBaseKey), refusedWith('E2E_BAD_KEY'))
  const zeroRatchetKey = first.slice()
  zeroRatchetKey.fill(0, m.headerBytes.length - 40, m.headerBytes.length - 8)
  assert.throws(() => bob.tryReceive(zeroRatchetKey), refusedWith('E2E_BAD_KEY'))
  assert.equal(bob.receive(first), 'first')
})
