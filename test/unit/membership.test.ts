import assert from 'node:assert/strict'
import { test } from 'node:test'
import { equals } from '../../crypto/encoding.js'
import { encodeEntry, parseEntry, MembershipError, type MembershipErrorCode } from '../../crypto/membership-entry.js'
import { MembershipLog, nextPrekeyTime, PREKEY_MIN_INTERVAL_MS, signEntry, signNext, type SignedEntry } from '../../crypto/membership-log.js'
import { admit, admitBody, DAY, device, genesisOf, inviteKeys, newLog, primitives, proofFor, T0 } from './membership-fixture.js'

function refused (code: MembershipErrorCode, action: () => unknown): void {
  assert.throws(action, (error: unknown) => error instanceof MembershipError && error.code === code && /^membership: /.test(error.message))
}

test('a log of every kind verifies, derives the member table, and verifies again from its entries', () => {
  const root = device('root'); const bob = device('bob'); const carol = device('carol')
  const log = newLog(root)
  assert.match(log.workspaceId, /^[A-Za-z0-9._-]{1,64}$/)
  assert.equal(log.workspaceId.length, 43)
  admit(log, root, bob)
  admit(log, root, carol, 'admin')
  log.apply(signNext(log, carol, { kind: 'role', device: bob.publicKey, role: 'admin' }, T0 + 30))
  log.apply(signNext(log, bob, { kind: 'prekey', prekeyId: 2, prekey: new Uint8Array(32).fill(7) }, T0 + 40))
  log.apply(signNext(log, bob, { kind: 'remove', device: carol.publicKey, reason: 'left the company' }, T0 + 50))
  const members = new Map(log.members().map(m => [m.name, m]))
  assert.deepEqual([...members.keys()].sort(), ['bob', 'root'])
  assert.equal(members.get('bob')!.role, 'admin')
  assert.equal(members.get('bob')!.prekeyId, 2)
  assert.ok(equals(members.get('bob')!.identityKey, bob.identityKey))
  assert.ok(log.isRemoved(carol.publicKey))
  const again = MembershipLog.verify(primitives, log.entries(), root.publicKey)
  assert.equal(again.workspaceId, log.workspaceId)
  assert.ok(equals(again.head, log.head))
  assert.equal(again.length, 8)
})

test('an entry with a bad signature is refused', () => {
  const root = device('root')
  const log = newLog(root)
  const entry = signNext(log, root, { kind: 'invite', inviteKey: inviteKeys().publicKey, role: 'member', expires: T0 + DAY }, T0)
  const signature = entry.signature.slice(); signature[0]! ^= 1
  refused('MEMBERSHIP_BAD_SIGNATURE', () => log.apply({ bytes: entry.bytes, signature }))
  // Signed by another key than the one it names as signer.
  const other = device('other')
  refused('MEMBERSHIP_BAD_SIGNATURE', () => log.apply({ bytes: entry.bytes, signature: other.sign(entry.bytes) }))
  refused('MEMBERSHIP_BAD_SIGNATURE', () => MembershipLog.fromGenesis(primitives, { bytes: genesisOf(root).bytes, signature: other.sign(genesisOf(root).bytes) }))
})

test('only admins sign invites, admissions, removals and role changes', () => {
  const root = device('root'); const bob = device('bob'); const stranger = device('stranger')
  const log = newLog(root)
  admit(log, root, bob)
  const invite = { kind: 'invite' as const, inviteKey: inviteKeys().publicKey, role: 'member' as const, expires: T0 + DAY }
  refused('MEMBERSHIP_NOT_ADMIN', () => log.apply(signNext(log, bob, invite, T0 + 30)))
  refused('MEMBERSHIP_NOT_ADMIN', () => log.apply(signNext(log, stranger, invite, T0 + 30)))
  refused('MEMBERSHIP_NOT_ADMIN', () => log.apply(signNext(log, bob, { kind: 'remove', device: root.publicKey, reason: 'coup' }, T0 + 30)))
  refused('MEMBERSHIP_NOT_ADMIN', () => log.apply(signNext(log, bob, { kind: 'role', device: bob.publicKey, role: 'admin' }, T0 + 30)))
  // A prekey rotation is signed by the device itself, and only by a member.
  refused('MEMBERSHIP_NOT_MEMBER', () => log.apply(signNext(log, stranger, { kind: 'prekey', prekeyId: 2, prekey: new Uint8Array(32) }, T0 + 30)))
  refused('MEMBERSHIP_BAD_ENTRY', () => log.apply(signNext(log, bob, { kind: 'prekey', prekeyId: 1, prekey: new Uint8Array(32) }, T0 + 30)))
})

test('a device\'s prekeys are a day apart by their signed times: its first rotation is free, the next waits a day', () => {
  const root = device('root'); const bob = device('bob')
  const log = newLog(root)
  admit(log, root, bob)
  const rotation = (prekeyId: number, time: number): SignedEntry => signNext(log, bob, { kind: 'prekey', prekeyId, prekey: new Uint8Array(32).fill(prekeyId) }, time)
  log.apply(rotation(2, T0 + 30))
  assert.equal(log.member(bob.publicKey)!.prekeyRotatedAt, T0 + 30)
  assert.equal(nextPrekeyTime(log.member(bob.publicKey)!), T0 + 30 + PREKEY_MIN_INTERVAL_MS)
  refused('MEMBERSHIP_PREKEY_TOO_SOON', () => log.apply(rotation(3, T0 + 31)))
  refused('MEMBERSHIP_PREKEY_TOO_SOON', () => log.apply(rotation(3, T0 + 29 + PREKEY_MIN_INTERVAL_MS)))
  // Another device's rotation does not move bob's.
  log.apply(signNext(log, root, { kind: 'prekey', prekeyId: 2, prekey: new Uint8Array(32) }, T0 + 40))
  log.apply(rotation(3, T0 + 30 + PREKEY_MIN_INTERVAL_MS))
  assert.equal(MembershipLog.verify(primitives, log.entries()).member(bob.publicKey)!.prekeyId, 3)
})

test('an invite is single use, and expires', () => {
  const root = device('root'); const bob = device('bob'); const carol = device('carol')
  const log = newLog(root)
  const invite = admit(log, root, bob)
  refused('MEMBERSHIP_INVITE_USED', () => log.apply(signNext(log, root, admitBody(invite, proofFor(log, carol, invite)), T0 + 30)))
  refused('MEMBERSHIP_INVITE_USED', () => log.apply(signNext(log, root, { kind: 'invite', inviteKey: invite.publicKey, role: 'member', expires: T0 + DAY }, T0 + 30)))
  const late = inviteKeys()
  log.apply(signNext(log, root, { kind: 'invite', inviteKey: late.publicKey, role: 'member', expires: T0 + 100 }, T0 + 30))
  refused('MEMBERSHIP_INVITE_EXPIRED', () => log.apply(signNext(log, root, admitBody(late, proofFor(log, carol, late)), T0 + 101)))
  refused('MEMBERSHIP_INVITE_EXPIRED', () => log.apply(signNext(log, root, { kind: 'invite', inviteKey: inviteKeys().publicKey, role: 'member', expires: T0 + 30 }, T0 + 30)))
  refused('MEMBERSHIP_UNKNOWN_INVITE', () => { const unknown = inviteKeys(); log.apply(signNext(log, root, admitBody(unknown, proofFor(log, carol, unknown)), T0 + 40)) })
  // The admitted role is the invite's.
  refused('MEMBERSHIP_BAD_ENTRY', () => log.apply(signNext(log, root, admitBody(late, proofFor(log, carol, late), 'admin'), T0 + 40)))
})

test('the admitting admin cannot substitute the invitee\'s keys or name, nor reuse its proof elsewhere', () => {
  const root = device('root'); const bob = device('bob')
  const log = newLog(root)
  const invite = inviteKeys()
  log.apply(signNext(log, root, { kind: 'invite', inviteKey: invite.publicKey, role: 'member', expires: T0 + DAY }, T0 + 10))
  const proof = proofFor(log, bob, invite)
  const text = new TextDecoder().decode(proof.request)
  const swap = (from: string, to: string) => new TextEncoder().encode(text.replace(from, to))
  const mallory = device('mallory')
  const substituted = [
    swap(Buffer.from(bob.identityKey).toString('base64'), Buffer.from(mallory.identityKey).toString('base64')),
    swap(Buffer.from(bob.prekey).toString('base64'), Buffer.from(mallory.prekey).toString('base64')),
    swap('name: bob', 'name: bob (boss)')
  ]
  for (const request of substituted) {
    // The admin can sign with the invite secret it made, but not as the invitee's device.
    refused('MEMBERSHIP_BAD_JOIN_REQUEST', () => log.apply(signNext(log, root, admitBody(invite, { ...proof, request, inviteSignature: invite.sign(request) }), T0 + 20)))
  }
  // Signed by the device but not with the invite secret.
  refused('MEMBERSHIP_BAD_JOIN_REQUEST', () => log.apply(signNext(log, root, admitBody(invite, { ...proof, inviteSignature: mallory.sign(proof.request) }), T0 + 20)))
  // A proof made for another invite, or another workspace.
  const other = inviteKeys()
  log.apply(signNext(log, root, { kind: 'invite', inviteKey: other.publicKey, role: 'member', expires: T0 + DAY }, T0 + 20))
  refused('MEMBERSHIP_BAD_JOIN_REQUEST', () => log.apply(signNext(log, root, admitBody(other, proof), T0 + 30)))
  const elsewhere = newLog(device('root2'))
  refused('MEMBERSHIP_BAD_JOIN_REQUEST', () => log.apply(signNext(log, root, admitBody(invite, proofFor(elsewhere, bob, invite)), T0 + 30)))
  log.apply(signNext(log, root, admitBody(invite, proof), T0 + 30))
  assert.equal(log.member(bob.publicKey)?.name, 'bob')
})

test('a fork, a gap, a foreign genesis and a wrong pinned root are refused', () => {
  const root = device('root'); const bob = device('bob')
  const log = newLog(root)
  const a = signNext(log, root, { kind: 'invite', inviteKey: inviteKeys().publicKey, role: 'member', expires: T0 + DAY }, T0)
  const b = signNext(log, root, { kind: 'invite', inviteKey: inviteKeys().publicKey, role: 'member', expires: T0 + DAY }, T0)
  log.apply(a)
  assert.equal(log.holds(a), true)
  refused('MEMBERSHIP_FORK', () => log.apply(b))
  refused('MEMBERSHIP_FORK', () => log.holds(b))
  refused('MEMBERSHIP_BROKEN_CHAIN', () => log.apply(a))
  const gap = signEntry(root.sign, { ...parseEntry(a.bytes), seq: 5 })
  refused('MEMBERSHIP_BROKEN_CHAIN', () => log.apply(gap))
  const wrongPrevious = signEntry(root.sign, { ...parseEntry(a.bytes), seq: 2, previous: new Uint8Array(32) })
  refused('MEMBERSHIP_BROKEN_CHAIN', () => log.apply(wrongPrevious))
  refused('MEMBERSHIP_WRONG_WORKSPACE', () => log.holds(genesisOf(root, T0 + 1)))
  refused('MEMBERSHIP_WRONG_WORKSPACE', () => MembershipLog.fromGenesis(primitives, genesisOf(root), bob.publicKey))
  refused('MEMBERSHIP_BROKEN_CHAIN', () => MembershipLog.verify(primitives, [a]))
})

test('a removed device can no longer act, nor be admitted again; the last admin stays', () => {
  const root = device('root'); const bob = device('bob'); const carol = device('carol')
  const log = newLog(root)
  admit(log, root, bob, 'admin')
  log.apply(signNext(log, root, { kind: 'remove', device: bob.publicKey, reason: 'laptop stolen' }, T0 + 30))
  refused('MEMBERSHIP_REMOVED', () => log.apply(signNext(log, bob, { kind: 'invite', inviteKey: inviteKeys().publicKey, role: 'member', expires: T0 + DAY }, T0 + 40)))
  refused('MEMBERSHIP_REMOVED', () => log.apply(signNext(log, bob, { kind: 'prekey', prekeyId: 2, prekey: new Uint8Array(32) }, T0 + 40)))
  refused('MEMBERSHIP_NOT_MEMBER', () => log.apply(signNext(log, root, { kind: 'remove', device: bob.publicKey, reason: 'again' }, T0 + 40)))
  const invite = inviteKeys()
  log.apply(signNext(log, root, { kind: 'invite', inviteKey: invite.publicKey, role: 'member', expires: T0 + DAY }, T0 + 40))
  refused('MEMBERSHIP_REMOVED', () => log.apply(signNext(log, root, admitBody(invite, proofFor(log, bob, invite)), T0 + 50)))
  refused('MEMBERSHIP_LAST_ADMIN', () => log.apply(signNext(log, root, { kind: 'remove', device: root.publicKey, reason: 'bye' }, T0 + 50)))
  refused('MEMBERSHIP_LAST_ADMIN', () => log.apply(signNext(log, root, { kind: 'role', device: root.publicKey, role: 'member' }, T0 + 50)))
  // An invite dies with its inviter's admin role.
  admit(log, root, carol, 'admin')
  const carols = inviteKeys()
  log.apply(signNext(log, carol, { kind: 'invite', inviteKey: carols.publicKey, role: 'member', expires: T0 + DAY }, T0 + 60))
  log.apply(signNext(log, root, { kind: 'role', device: carol.publicKey, role: 'member' }, T0 + 70))
  refused('MEMBERSHIP_INVITE_REVOKED', () => log.apply(signNext(log, root, admitBody(carols, proofFor(log, device('dave'), carols)), T0 + 80)))
})

test('any flipped bit in an entry is refused with a membership error', () => {
  const root = device('root'); const bob = device('bob')
  const log = newLog(root)
  const invite = inviteKeys()
  log.apply(signNext(log, root, { kind: 'invite', inviteKey: invite.publicKey, role: 'member', expires: T0 + DAY }, T0 + 10))
  const entry = signNext(log, root, admitBody(invite, proofFor(log, bob, invite)), T0 + 20)
  for (let i = 0; i < entry.bytes.length; i++) {
    for (const bit of [0x01, 0x20, 0x80]) {
      const bytes = entry.bytes.slice(); bytes[i]! ^= bit
      const tampered: SignedEntry = { bytes, signature: entry.signature }
      assert.throws(() => log.apply(tampered), MembershipError, `byte ${i} bit ${bit}`)
    }
  }
  for (let i = 0; i < 64; i++) {
    const signature = entry.signature.slice(); signature[i]! ^= 0x10
    refused('MEMBERSHIP_BAD_SIGNATURE', () => log.apply({ bytes: entry.bytes, signature }))
  }
  log.apply(entry)
  assert.equal(log.length, 3)
})

test('entries refuse to encode what they would refuse to read', () => {
  const root = device('root')
  const genesis = parseEntry(genesisOf(root).bytes)
  assert.throws(() => encodeEntry({ ...genesis, name: 'two\nlines' } as never), MembershipError)
  assert.throws(() => encodeEntry({ ...genesis, seq: 1 }), MembershipError)
  refused('MEMBERSHIP_BAD_ENTRY', () => parseEntry(new TextEncoder().encode('causette/membership/v1\nkind: genesis\n')))
  refused('MEMBERSHIP_BAD_ENTRY', () => parseEntry(new Uint8Array(5000)))
  refused('MEMBERSHIP_BAD_ENTRY', () => parseEntry(new Uint8Array([0xff, 0xfe])))
  const text = new TextDecoder().decode(genesisOf(root).bytes)
  refused('MEMBERSHIP_BAD_ENTRY', () => parseEntry(new TextEncoder().encode(text + 'extra: 1\n')))
  refused('MEMBERSHIP_BAD_ENTRY', () => parseEntry(new TextEncoder().encode(text.replace('seq: 0', 'seq: 00'))))
})

test('the membership log\'s format and verification import nothing from Node (a browser can verify a log)', async () => {
  const { readFileSync } = await import('node:fs')
  const allowed = new Set(['./coded-error.js', './encoding.js', './signing-labels.js', './base64.js', './membership-entry.js', './log/primitives.js'])
  for (const file of ['membership-entry.ts', 'membership-log.ts']) {
    const text = readFileSync(new URL(`../../crypto/${file}`, import.meta.url), 'utf8')
    for (const [, specifier] of text.matchAll(/(?:^|\n)(?:import|export)[^'"]*from '([^']+)'/g)) {
      assert.ok(allowed.has(specifier!), `${file} imports ${specifier!}`)
    }
  }
})

test('a revoked invite admits no one; only an admin revokes, and only an open invite (not used, revoked or expired)', () => {
  const root = device('root'); const bob = device('bob'); const carol = device('carol')
  const log = newLog(root)
  const used = admit(log, root, bob)
  admit(log, root, carol, 'admin')
  const open = inviteKeys()
  log.apply(signNext(log, root, { kind: 'invite', inviteKey: open.publicKey, role: 'member', expires: T0 + DAY }, T0 + 30))
  refused('MEMBERSHIP_NOT_ADMIN', () => log.apply(signNext(log, bob, { kind: 'revoke', inviteKey: open.publicKey }, T0 + 40)))
  refused('MEMBERSHIP_UNKNOWN_INVITE', () => log.apply(signNext(log, root, { kind: 'revoke', inviteKey: inviteKeys().publicKey }, T0 + 40)))
  refused('MEMBERSHIP_INVITE_USED', () => log.apply(signNext(log, root, { kind: 'revoke', inviteKey: used.publicKey }, T0 + 40)))
  refused('MEMBERSHIP_INVITE_EXPIRED', () => log.apply(signNext(log, root, { kind: 'revoke', inviteKey: open.publicKey }, T0 + DAY + 1)))
  // Another admin than the inviter may revoke it.
  log.apply(signNext(log, carol, { kind: 'revoke', inviteKey: open.publicKey }, T0 + 40))
  assert.deepEqual(log.invite(open.publicKey)?.revoked, { by: carol.publicKey, time: T0 + 40 })
  refused('MEMBERSHIP_INVITE_REVOKED', () => log.apply(signNext(log, root, { kind: 'revoke', inviteKey: open.publicKey }, T0 + 50)))
  refused('MEMBERSHIP_INVITE_REVOKED', () => log.apply(signNext(log, root, admitBody(open, proofFor(log, device('dave'), open)), T0 + 50)))
  // The entry's exact bytes, and the same log from its entries.
  const last = parseEntry(log.entries().at(-1)!.bytes)
  assert.equal(last.kind, 'revoke')
  assert.match(new TextDecoder().decode(log.entries().at(-1)!.bytes), /\nkind: revoke\n(.*\n){4}invite-key: [A-Za-z0-9+/]{43}=\n$/)
  assert.ok(MembershipLog.verify(primitives, log.entries()).invite(open.publicKey)?.revoked !== undefined)
})
