// Properties of the membership log over random histories (fast-check): a log made of valid steps
// verifies from its entries alone into the same table; reordered, dropped or bit-flipped entries are
// always refused with a MembershipError, never accepted and never another kind of failure.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { MembershipError } from '../../crypto/membership-entry.js'
import { MembershipLog, nextPrekeyTime, signNext, type SignedEntry } from '../../crypto/membership-log.js'
import { admitBody, DAY, device, inviteKeys, newLog, primitives, proofFor, T0, type TestDevice } from './membership-fixture.js'

type Step = { op: 'admit', role: 'admin' | 'member' } | { op: 'remove' | 'promote' | 'demote' | 'prekey', pick: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('admit' as const), role: fc.constantFrom('admin' as const, 'member' as const) }),
  fc.record({ op: fc.constantFrom('remove' as const, 'promote' as const, 'demote' as const, 'prekey' as const), pick: fc.nat() })
)

/** Plays the steps that are valid at their point (skipping the others), as a careful admin would. */
function history (steps: Step[]): { log: MembershipLog, entries: SignedEntry[] } {
  const root = device('root')
  const log = newLog(root)
  const devices = new Map<string, TestDevice>([[log.root.toString(), root]])
  let time = T0
  const signerOf = (key: Uint8Array): TestDevice => devices.get(key.toString())!
  for (const s of steps) {
    time += 10
    const admin = signerOf(log.admins()[0]!.device)
    if (s.op === 'admit') {
      const invite = inviteKeys()
      const newcomer = device(`d${devices.size}`)
      devices.set(newcomer.publicKey.toString(), newcomer)
      log.apply(signNext(log, admin, { kind: 'invite', inviteKey: invite.publicKey, role: s.role, expires: time + DAY }, time))
      log.apply(signNext(log, admin, admitBody(invite, proofFor(log, newcomer, invite, time), s.role), time + 1))
      continue
    }
    const members = log.members()
    const target = members[s.pick % members.length]!
    const lastAdmin = target.role === 'admin' && log.admins().length === 1
    if (s.op === 'prekey') {
      // A device's prekeys are a day apart: this one is dated at the earliest the rule allows.
      time = Math.max(time, nextPrekeyTime(target))
      log.apply(signNext(log, signerOf(target.device), { kind: 'prekey', prekeyId: target.prekeyId + 1, prekey: new Uint8Array(32).fill(s.pick % 256) }, time))
    }
    else if (s.op === 'promote') log.apply(signNext(log, admin, { kind: 'role', device: target.device, role: 'admin' }, time))
    else if (!lastAdmin) log.apply(signNext(log, admin, s.op === 'remove' ? { kind: 'remove', device: target.device, reason: 'gone' } : { kind: 'role', device: target.device, role: 'member' }, time))
  }
  return { log, entries: log.entries() }
}

const table = (log: MembershipLog) => log.members().map(m => `${m.name}:${m.role}:${m.prekeyId}`).sort()
const refusedAsMembership = (entries: SignedEntry[]): boolean => {
  try {
    MembershipLog.verify(primitives, entries)
    return false
  } catch (error) {
    return error instanceof MembershipError
  }
}

test('a history verifies from its entries alone, into the same member table', () => {
  fc.assert(fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
    const { log, entries } = history(steps)
    const again = MembershipLog.verify(primitives, entries, log.root)
    assert.deepEqual(table(again), table(log))
    assert.equal(again.workspaceId, log.workspaceId)
  }), { numRuns: 60 })
})

test('reordered, dropped or bit-flipped entries are always refused with a MembershipError', () => {
  const edit = fc.record({ steps: fc.array(step, { minLength: 2, maxLength: 10 }), a: fc.nat(), b: fc.nat(), bit: fc.nat(), kind: fc.constantFrom('swap', 'drop', 'flip') })
  fc.assert(fc.property(edit, ({ steps, a, b, bit, kind }) => {
    const { entries } = history(steps)
    fc.pre(entries.length >= 3) // every step may have been skipped (say, removing the last admin)
    const i = 1 + (a % (entries.length - 1))
    const copy = [...entries]
    if (kind === 'swap') {
      const j = 1 + (b % (entries.length - 1))
      fc.pre(i !== j)
      ;[copy[i], copy[j]] = [copy[j]!, copy[i]!]
    } else if (kind === 'drop') {
      fc.pre(i < entries.length - 1) // dropping the last entry leaves a valid, shorter log
      copy.splice(i, 1)
    } else {
      const bytes = copy[i]!.bytes.slice()
      bytes[bit % bytes.length]! ^= 1 << (b % 8)
      copy[i] = { bytes, signature: copy[i]!.signature }
    }
    assert.ok(refusedAsMembership(copy), `${kind} at ${i}`)
  }), { numRuns: 150 })
})
