// The Double Ratchet on a scripted exchange, through the session layer the node calls.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ratchetStateFromJson, ratchetStateToJson, sessionRecordFromJson, sessionRecordToJson } from '../../crypto/e2e/state-json.js'
import { forgetSkippedKeys, restoreKey } from '../../crypto/e2e/session.js'
import { decodeRatchetMessage } from '../../crypto/e2e/wire.js'
import { x3dhInitiate, x3dhRespond } from '../../crypto/e2e/x3dh.js'
import { device, pair, Party, refusedWith } from './e2e-fixture.js'

test('X3DH: both sides derive the same secret and associated data', () => {
  const a = device()
  const b = device()
  const initiated = x3dhInitiate(a.local, b.remote)
  const responded = x3dhRespond(b.local, a.remote, initiated.start)
  assert.deepEqual(responded.sharedKey, initiated.sharedKey)
  assert.deepEqual(responded.ad, initiated.ad)
  assert.equal(initiated.ad.length, 128)
  assert.equal(initiated.start.prekeyId, b.keys.prekey.id)
})

test('scripted exchange: alternation, out-of-order delivery, skipped keys used later, replays refused', () => {
  const { alice, bob } = pair()
  const a1 = alice.send('a1')
  const a2 = alice.send('a2')
  const a3 = alice.send('a3')
  assert.notEqual(decodeRatchetMessage(a1).start, null, 'the initiator sends its session start until answered')

  assert.equal(bob.receive(a3), 'a3') // a1 and a2 skipped
  assert.equal(bob.state!.skipped.length, 2)
  assert.equal(bob.receive(a1), 'a1') // a skipped key, used later
  assert.throws(() => bob.tryReceive(a1), refusedWith('E2E_REPLAY'))
  assert.throws(() => bob.tryReceive(a3), refusedWith('E2E_REPLAY'))

  const b1 = bob.send('b1')
  assert.equal(alice.receive(b1), 'b1')
  assert.equal(alice.state!.start, null, 'answered: no more session start')
  const a4 = alice.send('a4')
  assert.equal(decodeRatchetMessage(a4).start, null)
  const b2 = bob.send('b2') // bob has not seen a4 yet: still his first chain
  assert.equal(bob.receive(a4), 'a4') // a new DH ratchet step for bob
  assert.equal(alice.receive(b2), 'b2')

  assert.equal(bob.receive(a2), 'a2') // from alice's first chain, two ratchet steps ago
  assert.equal(bob.state!.skipped.length, 0)
  assert.throws(() => bob.tryReceive(a2), refusedWith('E2E_REPLAY'))
  assert.throws(() => alice.tryReceive(b1), refusedWith('E2E_REPLAY')) // a finished chain

  for (let i = 0; i < 5; i++) assert.equal(bob.receive(alice.send(`ping ${i}`)), `ping ${i}`)
  for (let i = 0; i < 5; i++) assert.equal(alice.receive(bob.send(`pong ${i}`)), `pong ${i}`)
})

test('decryption is pure: the given record is untouched and a failure leaves nothing to store', () => {
  const { alice, bob } = pair()
  const a1 = alice.send('a1')
  bob.receive(a1)
  const b1 = bob.send('b1')
  const before = JSON.stringify(sessionRecordToJson(alice.record!))
  const { nextRecord } = alice.tryReceive(b1)
  assert.equal(JSON.stringify(sessionRecordToJson(alice.record!)), before)
  assert.notEqual(JSON.stringify(sessionRecordToJson(nextRecord)), before)
  // Not stored (a crash before the batch): the same message decrypts again from the stored state.
  assert.equal(alice.receive(b1), 'b1')
})

test('session records survive JSON at every step', () => {
  const { alice, bob } = pair()
  const reload = (p: Party): void => { p.record = sessionRecordFromJson(JSON.parse(JSON.stringify(sessionRecordToJson(p.record!)))) }
  const a1 = alice.send('a1')
  const a2 = alice.send('a2')
  reload(alice)
  assert.equal(bob.receive(a2), 'a2')
  reload(bob)
  assert.equal(bob.receive(a1), 'a1')
  reload(bob)
  assert.equal(alice.receive(bob.send('b1')), 'b1')
  reload(alice)
  assert.equal(bob.receive(alice.send('a3')), 'a3')
})

test('stored states that do not parse are refused with E2E_BAD_STATE', () => {
  const { alice } = pair()
  const json = ratchetStateToJson(alice.state!)
  for (const broken of [null, [], { ...json, version: 2 }, { ...json, rootKey: 'AAAA' }, { ...json, ns: -1 }, { ...json, skipped: {} }, { ...json, ours: null }]) {
    assert.throws(() => ratchetStateFromJson(broken), refusedWith('E2E_BAD_STATE'))
  }
  const record = sessionRecordToJson(alice.record!)
  for (const broken of [{ ...record, version: 0 }, { ...record, previous: [null] }, { ...record, retiredBaseKeys: ['x'] }, { ...record, current: undefined }]) {
    assert.throws(() => sessionRecordFromJson(broken), refusedWith('E2E_BAD_STATE'))
  }
})

test('a session start with another identity key than the pinned one, or an unknown prekey, is refused', () => {
  const { alice, bob } = pair()
  const a1 = alice.send('a1')
  const mallory = device()
  const bobWithOtherPin = new Party(bob.me, { ...alice.me, remote: { ...alice.me.remote, identityKey: mallory.keys.identity.publicKey } })
  assert.throws(() => bobWithOtherPin.tryReceive(a1), refusedWith('E2E_IDENTITY_MISMATCH'))
  const rotated = new Party({ ...bob.me, local: { ...bob.me.local, prekeys: [] } }, alice.me)
  assert.throws(() => rotated.tryReceive(a1), refusedWith('E2E_UNKNOWN_PREKEY'))
  assert.equal(bob.receive(a1), 'a1')
})

test('a plain message without a session is refused; a peer that lost its state starts again', () => {
  const { alice, bob } = pair()
  const a1 = alice.send('a1')
  bob.receive(a1)
  alice.receive(bob.send('b1'))
  assert.throws(() => new Party(bob.me, alice.me).tryReceive(alice.send('a2')), refusedWith('E2E_NO_SESSION'))

  const reinstalled = new Party(alice.me, bob.me) // alice lost her sessions
  reinstalled.start()
  assert.equal(bob.receive(reinstalled.send('again')), 'again')
  assert.equal(reinstalled.receive(bob.send('welcome back')), 'welcome back')
  assert.throws(() => bob.tryReceive(a1), refusedWith('E2E_REPLAY')) // the old session's start, replayed
})

test('the start of a session pushed out of the record is refused as a replay', () => {
  const { alice, bob } = pair()
  const first = alice.send('first')
  bob.receive(first)
  for (let i = 0; i < 5; i++) {
    alice.start()
    assert.equal(bob.receive(alice.send(`session ${i}`)), `session ${i}`)
  }
  assert.equal(bob.record!.previous.length, 4)
  assert.equal(bob.record!.retiredBaseKeys.length, 1)
  assert.throws(() => bob.tryReceive(first), refusedWith('E2E_REPLAY'))
})

test('both sides start at once, messages crossing: no message is lost and one session remains', () => {
  const { alice, bob } = pair()
  bob.start()
  const a1 = alice.send('a1')
  const b1 = bob.send('b1')
  assert.equal(bob.receive(a1), 'a1')
  const b2 = bob.send('b2') // in alice's session, now bob's current one
  assert.equal(alice.receive(b2), 'b2')
  assert.equal(alice.receive(b1), 'b1') // late: the start of bob's session
  const a2 = alice.send('a2') // in bob's session, now alice's current one
  const b3 = bob.send('b3')
  assert.equal(bob.receive(a2), 'a2')
  assert.equal(alice.receive(b3), 'b3')
  for (let i = 0; i < 3; i++) {
    assert.equal(bob.receive(alice.send(`a${i}`)), `a${i}`)
    assert.equal(alice.receive(bob.send(`b${i}`)), `b${i}`)
  }
  assert.deepEqual(alice.state!.baseKey, bob.state!.baseKey, 'both sides end on the same session')
  assert.throws(() => alice.tryReceive(b1), refusedWith('E2E_REPLAY'))
  assert.throws(() => bob.tryReceive(a1), refusedWith('E2E_REPLAY'))
})

test('skipped keys are bounded per chain and in total, with E2E_TOO_MANY_SKIPPED', () => {
  const { alice, bob } = pair()
  const limits = { maxSkipPerChain: 5, maxSkippedTotal: 8 }
  const sent = Array.from({ length: 20 }, (_, i) => alice.send(`a${i}`))
  assert.throws(() => bob.tryReceive(sent[6]!, limits), refusedWith('E2E_TOO_MANY_SKIPPED')) // would skip 6
  assert.equal(bob.receive(sent[5]!, limits), 'a5') // skips 5: a0..a4
  assert.throws(() => bob.tryReceive(sent[12]!, limits), refusedWith('E2E_TOO_MANY_SKIPPED')) // 6 more in this chain
  assert.equal(bob.receive(sent[9]!, limits), 'a9') // 3 more: 8 held in total
  assert.throws(() => bob.tryReceive(sent[11]!, limits), refusedWith('E2E_TOO_MANY_SKIPPED')) // a 9th skipped key
  assert.equal(bob.receive(sent[10]!, limits), 'a10')
  assert.equal(bob.receive(sent[0]!, limits), 'a0') // a held key frees a place
  assert.equal(bob.receive(sent[12]!, limits), 'a12')
  assert.equal(bob.state!.skipped.length, 8)

  // Across a DH ratchet step, the keys left in the finished chain count towards the same limits.
  const b1 = bob.send('b1')
  alice.receive(b1)
  const next = alice.send('next chain')
  const header = decodeRatchetMessage(next).header
  assert.equal(header.pn, 20)
  assert.throws(() => bob.tryReceive(next, limits), refusedWith('E2E_TOO_MANY_SKIPPED')) // 7 left in the old chain
  assert.equal(bob.receive(next), 'next chain') // with the default limits
  assert.equal(bob.state!.skipped.length, 15)
})

test('forgetting skipped keys keeps the newest ones; the forgotten messages are refused', () => {
  const { alice, bob } = pair()
  const sent = Array.from({ length: 6 }, (_, i) => alice.send(`a${i}`))
  bob.receive(sent[5]!)
  assert.equal(bob.state!.skipped.length, 5)
  bob.record = forgetSkippedKeys(bob.record!, 2)
  assert.deepEqual(bob.state!.skipped.map(k => k.n), [3, 4])
  assert.equal(bob.receive(sent[4]!), 'a4')
  assert.throws(() => bob.tryReceive(sent[0]!), refusedWith('E2E_REPLAY'))
  assert.equal(forgetSkippedKeys(bob.record!, 0).current.skipped.length, 0)
})

test('a key given back after a failed write opens the same bytes again, once', () => {
  const { alice, bob } = pair()
  const a1 = alice.send('a1')
  // The first message (a session start) and a later one, each received but not stored (a full disk).
  for (const message of [a1, alice.send('a2')]) {
    const { nextRecord, spent } = bob.tryReceive(message)
    bob.record = nextRecord
    assert.equal(bob.receive(alice.send('in between')), 'in between') // a later message was stored
    assert.throws(() => bob.tryReceive(message), refusedWith('E2E_REPLAY'))
    bob.record = restoreKey(bob.record, spent)
    assert.ok(['a1', 'a2'].includes(bob.receive(message)))
    assert.throws(() => bob.tryReceive(message), refusedWith('E2E_REPLAY'))
  }
  assert.equal(alice.receive(bob.send('b1')), 'b1')
})
