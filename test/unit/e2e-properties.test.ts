// Property tests (fast-check) for the Double Ratchet through the session layer.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { E2eError } from '../../crypto/e2e/errors.js'
import { openPayload } from '../../crypto/e2e/payload.js'
import { StatementError } from '../../crypto/statement.js'
import { flipBit, pair, type Party, signedPayload } from './e2e-fixture.js'

type Side = 'alice' | 'bob'
interface InFlight { to: Side, id: string, bytes: Uint8Array }

// A step: a side sends, or starts a new session (as after losing its state, or both at once), or the
// network delivers (keeping a copy: a duplicate) or drops one of the messages in flight, picked by
// index, so that any order of delivery can happen.
const step = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('send' as const), from: fc.constantFrom<Side>('alice', 'bob') }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('start' as const), from: fc.constantFrom<Side>('alice', 'bob') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat(), keepCopy: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }), weight: 1 }
)
// A record keeps four earlier sessions: three restarts in a run never push out a session in use.
const MAX_RESTARTS = 3

test('any interleaving of drop, duplicate and reorder decrypts every delivered message exactly once', () => {
  // 40 steps stay far below the 32 earlier ratchet keys each side remembers to name replays.
  fc.assert(fc.property(fc.array(step, { maxLength: 40 }), steps => {
    const parties = pair()
    const inFlight: InFlight[] = []
    const decrypted = new Set<string>()
    let sent = 0
    let restarts = 0
    const deliver = (m: InFlight): void => {
      const party: Party = parties[m.to]
      if (decrypted.has(m.id)) {
        assert.throws(() => party.tryReceive(m.bytes), (e: E2eError) => e.code === 'E2E_REPLAY', `duplicate ${m.id}`)
        return
      }
      assert.equal(party.receive(m.bytes), m.id)
      decrypted.add(m.id)
    }
    for (const s of steps) {
      if (s.kind === 'start') {
        if (restarts++ < MAX_RESTARTS) parties[s.from].start()
      } else if (s.kind === 'send') {
        const party = parties[s.from]
        if (party.record === undefined) continue // bob answers only once a session start reached him
        const id = `${s.from} ${sent++}`
        inFlight.push({ to: s.from === 'alice' ? 'bob' : 'alice', id, bytes: party.send(id) })
      } else if (inFlight.length > 0) {
        const index = s.pick % inFlight.length
        const m = inFlight[index]!
        if (s.kind === 'drop' || !s.keepCopy) inFlight.splice(index, 1)
        if (s.kind === 'deliver') deliver(m)
      }
    }
    for (const m of inFlight) deliver(m) // whatever is still in flight arrives in the end
    for (const m of inFlight) deliver(m) // and once more: every one is now a duplicate
  }), { numRuns: 150 })
})

test('any flipped bit in a ratchet message (header or ciphertext) is refused, and the session goes on', () => {
  fc.assert(fc.property(fc.array(fc.boolean(), { maxLength: 8 }), fc.boolean(), fc.nat(), (turns, fromAlice, bitSeed) => {
    const { alice, bob } = pair()
    bob.receive(alice.send('hello')) // a session on both sides
    for (const aliceTurn of turns) {
      const [from, to] = aliceTurn ? [alice, bob] : [bob, alice]
      to.receive(from.send('x'))
    }
    const [from, to] = fromAlice ? [alice, bob] : [bob, alice]
    const bytes = from.send('the message')
    const tampered = flipBit(bytes, bitSeed % (bytes.length * 8))
    assert.throws(() => to.tryReceive(tampered), (e: Error) => e instanceof E2eError)
    assert.equal(to.receive(bytes), 'the message')
  }), { numRuns: 200 })
})

test('any flipped bit in the inner statement, signature, salt or body is refused after decryption', () => {
  const { alice, bob } = pair()
  const plaintext = signedPayload(alice.me, bob.me, 'the quarterly numbers are in')
  fc.assert(fc.property(fc.nat({ max: plaintext.length * 8 - 1 }), bit => {
    const received = bob.tryReceive(alice.send(flipBit(plaintext, bit))).plaintext
    assert.throws(() => openPayload(received), (e: Error) => e instanceof StatementError || (e instanceof E2eError && e.code === 'E2E_BAD_PAYLOAD'))
  }), { numRuns: 300 })
})
