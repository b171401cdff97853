import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { ed25519FromSeed } from '../../crypto/ed25519.js'
import { fromHex, utf8 } from '../../crypto/encoding.js'
import { compareSafetyQr, formatSafetyNumber, numericFingerprint, SAFETY_QR_BYTES, safetyNumber, safetyQrPayload, type SafetyNumberError } from '../../crypto/safety-number.js'

interface SignalVector { iterations: number, alice: { identifier: string, key: string }, bob: { identifier: string, key: string }, displayable: string }
const vector = JSON.parse(readFileSync(new URL('../fixtures/signal/fingerprint.json', import.meta.url), 'utf8')) as SignalVector
const side = (s: { identifier: string, key: string }): { key: Uint8Array, identifier: Uint8Array } => ({ key: fromHex(s.key), identifier: utf8(s.identifier) })

const alice = ed25519FromSeed(new Uint8Array(32).fill(1)).publicKey
const bob = ed25519FromSeed(new Uint8Array(32).fill(2)).publicKey
const carol = ed25519FromSeed(new Uint8Array(32).fill(3)).publicKey

test("Signal's published numeric fingerprint vector, from either side", () => {
  assert.equal(vector.iterations, 5200)
  assert.equal(numericFingerprint(side(vector.alice), side(vector.bob)), vector.displayable)
  assert.equal(numericFingerprint(side(vector.bob), side(vector.alice)), vector.displayable)
})

test('a safety number is 60 digits, the same on both devices, and changes with either key', () => {
  const number = safetyNumber(alice, bob)
  assert.match(number, /^[0-9]{60}$/)
  assert.equal(safetyNumber(bob, alice), number)
  assert.notEqual(safetyNumber(alice, carol), number)
  assert.notEqual(safetyNumber(carol, bob), number)
  assert.equal(formatSafetyNumber(number).split(' ').length, 12)
  assert.equal(formatSafetyNumber(number).replaceAll(' ', ''), number)
})

test('QR payloads: each side matches the other, a third key or a swapped payload does not', () => {
  const shown = safetyQrPayload(alice, bob)
  assert.equal(shown.length, SAFETY_QR_BYTES)
  assert.equal(compareSafetyQr(shown, bob, alice), 'match')
  assert.equal(compareSafetyQr(safetyQrPayload(bob, alice), alice, bob), 'match')
  assert.equal(compareSafetyQr(shown, alice, bob), 'mismatch') // our own code, scanned back
  assert.equal(compareSafetyQr(shown, bob, carol), 'mismatch')
  assert.equal(compareSafetyQr(safetyQrPayload(carol, bob), bob, alice), 'mismatch')
})

test('QR payloads that are not ours are refused with BAD_SAFETY_QR', () => {
  const shown = safetyQrPayload(alice, bob)
  const bad = (bytes: Uint8Array): void => {
    assert.throws(() => compareSafetyQr(bytes, bob, alice), (e: SafetyNumberError) => e.code === 'BAD_SAFETY_QR')
  }
  bad(shown.subarray(0, shown.length - 1))
  bad(new Uint8Array(SAFETY_QR_BYTES))
  const otherVersion = shown.slice()
  otherVersion[3] = 2
  bad(otherVersion)
})
