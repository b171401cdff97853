// core/workspace/membership.ts and workspace.ts over memory-level: persistence, re-verification on
// open, the member table by PeerId, listeners, merging a valid prefix, the invitee predicate, the gater.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MemoryLevel } from 'memory-level'
import type { PeerId } from '@libp2p/interface'
import { toBase64 } from '../../crypto/encoding.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import { MembershipError } from '../../crypto/membership-entry.js'
import { MembershipLog, PREKEY_MIN_INTERVAL_MS, signNext } from '../../crypto/membership-log.js'
import { membershipGater, membersOnly } from '../../core/workspace/gater.js'
import { Membership, type Change } from '../../core/workspace/membership.js'
import { Workspace, INVITE_REFUSAL_GRACE_MS } from '../../core/workspace/workspace.js'
import { WorkspaceError } from '../../core/errors.js'
import { InviteProofs } from '../../core/workspace/invite-proof.js'
import { decodeInviteCode } from '../../core/workspace/invite-code.js'
import { multiaddr } from '@multiformats/multiaddr'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { device, DAY, inviteKeys, primitives, proofFor, T0, type TestDevice } from './membership-fixture.js'

const coded = (code: string) => (error: unknown) => (error instanceof WorkspaceError || error instanceof MembershipError) && error.code === code

async function setup (t: { after: (fn: () => Promise<void>) => void }, root: TestDevice = device('root')) {
  const db = new MemoryLevel()
  t.after(async () => { await db.close() })
  const clock = { now: T0 }
  const open = async () => await Membership.open({ db: db.sublevel('membership') })
  const membership = await open()
  const local = { ...root, prekeyId: 1 }
  const workspace = new Workspace({ membership, device: local, addresses: () => [multiaddr('/ip4/127.0.0.1/tcp/7420')], proofs: new InviteProofs(db.sublevel('membership')) }, { now: () => clock.now })
  return { db, clock, open, membership, workspace }
}

test('the log is stored, and re-verified into the same member table on open', async (t) => {
  const { open, membership, workspace } = await setup(t)
  assert.throws(() => membership.requireLog(), coded('WORKSPACE_NONE'))
  const changes: Change[] = []
  membership.onChange(c => changes.push(c))
  const info = await workspace.create('Acme')
  await assert.rejects(workspace.create('Again'), coded('WORKSPACE_EXISTS'))
  const bob = device('bob')
  const { code } = await workspace.createInvite({ role: 'admin' })
  const secret = decodeInviteCode(code).secret
  const invite = { publicKey: ed25519FromSeed(secret).publicKey, sign: ed25519Signer(secret) }
  await workspace.admit(proofFor(membership.log!, bob, invite), invite.publicKey)
  assert.deepEqual(changes.map(c => c.kind), ['genesis', 'invite', 'admit'])
  assert.equal(changes[2]!.peerId, ed25519PeerId(bob.publicKey))
  assert.ok(membership.isMember(ed25519PeerId(bob.publicKey)))
  assert.equal(membership.member(ed25519PeerId(bob.publicKey))!.role, 'admin')

  const again = await open()
  assert.equal(again.workspace!.id, info.id)
  assert.deepEqual(again.members().map(m => m.peerId).sort(), membership.members().map(m => m.peerId).sort())
  assert.ok(again.isMember(ed25519PeerId(bob.publicKey)))
})

test('a stored log that no longer verifies is refused on open', async (t) => {
  const { db, open, workspace } = await setup(t)
  await workspace.create('Acme')
  await workspace.createInvite()
  const entries = db.sublevel('membership').sublevel<string, { bytes: string, signature: string }>('entries', { valueEncoding: 'json' })
  const stored = await entries.get('000000000001')
  const bytes = Buffer.from(stored!.bytes, 'base64'); bytes[bytes.length - 2] ^= 1
  await entries.put('000000000001', { ...stored!, bytes: toBase64(bytes) })
  await assert.rejects(open(), coded('WORKSPACE_CORRUPT'))
})

test('merge keeps the valid entries before a bad one, then throws its code; held entries are skipped', async (t) => {
  const root = device('root')
  const { membership, workspace } = await setup(t, root)
  await workspace.create('Acme')
  const log = membership.log!
  const first = signNext(log, root, { kind: 'invite', inviteKey: inviteKeys().publicKey, role: 'member', expires: T0 + DAY }, T0)
  const stranger = device('stranger')
  const ahead = MembershipLog.verify(primitives, [...log.entries(), first])
  // Claims to be the root's, signed by a stranger.
  const bad = signNext(ahead, { publicKey: root.publicKey, sign: stranger.sign }, { kind: 'invite', inviteKey: inviteKeys().publicKey, role: 'member', expires: T0 + DAY }, T0)
  assert.deepEqual((await membership.merge([log.entries()[0]!])).length, 0)
  await assert.rejects(membership.merge([first, bad]), coded('MEMBERSHIP_BAD_SIGNATURE'))
  assert.equal(membership.log!.length, 2)
  await assert.rejects(membership.merge([signNext(membership.log!, stranger, { kind: 'invite', inviteKey: inviteKeys().publicKey, role: 'member', expires: T0 + DAY }, T0)]), coded('MEMBERSHIP_NOT_ADMIN'))
  assert.equal(membership.log!.length, 2)
})

test('admit refuses a used, expired or unknown invite with a clear message; only admins act', async (t) => {
  const root = device('root')
  const { membership, workspace, clock } = await setup(t, root)
  await workspace.create('Acme')
  const { code, inviteKey } = await workspace.createInvite({ expiresMs: 60_000 })
  const secret = decodeInviteCode(code).secret
  const invite = { publicKey: inviteKey, sign: ed25519Signer(secret) }
  const bob = device('bob')
  const carol = device('carol')
  const invitee = ed25519PeerId(inviteKey)
  assert.ok(workspace.isInvitee(invitee))
  assert.equal(membership.isMember(invitee), false)
  const admitted = await workspace.admit(proofFor(membership.log!, bob, invite), inviteKey)
  // Bob's answer was lost: asking again with the same invite gives him the log, and appends nothing.
  clock.now += 120_000
  assert.equal((await workspace.admit(proofFor(membership.log!, bob, invite), inviteKey)).length, admitted.length)
  await assert.rejects(workspace.admit(proofFor(membership.log!, carol, invite), inviteKey), (e: Error) => coded('MEMBERSHIP_INVITE_USED')(e) && /already used/.test(e.message))
  // Still let in (to hear that refusal) until long after expiry.
  assert.ok(workspace.isInvitee(invitee))
  const other = inviteKeys()
  await assert.rejects(workspace.admit(proofFor(membership.log!, carol, other), other.publicKey), coded('MEMBERSHIP_UNKNOWN_INVITE'))
  const late = await workspace.createInvite({ expiresMs: 60_000 })
  clock.now += 60_001
  const lateInvite = { publicKey: late.inviteKey, sign: ed25519Signer(decodeInviteCode(late.code).secret) }
  await assert.rejects(workspace.admit(proofFor(membership.log!, carol, lateInvite), late.inviteKey), (e: Error) => coded('MEMBERSHIP_INVITE_EXPIRED')(e) && /expired on/.test(e.message))
  clock.now += INVITE_REFUSAL_GRACE_MS
  assert.equal(workspace.isInvitee(ed25519PeerId(late.inviteKey)), false)
  await assert.rejects(workspace.createInvite({ expiresMs: 0 }), coded('WORKSPACE_BAD_REQUEST'))

  // Bob, a member, may not invite or remove; he may publish his own prekey.
  const bobs = new Workspace({ membership, device: { ...bob, prekeyId: 1 }, addresses: () => [], proofs: new InviteProofs(new MemoryLevel().sublevel('membership')) }, { now: () => clock.now })
  await assert.rejects(bobs.createInvite(), coded('WORKSPACE_NOT_ADMIN'))
  await assert.rejects(bobs.remove(ed25519PeerId(root.publicKey)), coded('WORKSPACE_NOT_ADMIN'))
  await bobs.rotatePrekey(2, new Uint8Array(32).fill(9))
  assert.equal(membership.member(ed25519PeerId(bob.publicKey))!.prekeyId, 2)
  // Again at once (a clock set back): dated a day after the first, the earliest the log's rule allows.
  await bobs.rotatePrekey(3, new Uint8Array(32).fill(10))
  assert.equal(membership.member(ed25519PeerId(bob.publicKey))!.prekeyRotatedAt, clock.now + PREKEY_MIN_INTERVAL_MS)
  await assert.rejects(workspace.remove('12D3KooWNotAMember'), coded('MEMBERSHIP_NOT_MEMBER'))
  await workspace.remove(ed25519PeerId(bob.publicKey), 'left')
  assert.equal(membership.isMember(ed25519PeerId(bob.publicKey)), false)
  // The log's own rule, reached through merge: a removed device's entry.
  await assert.rejects(membership.merge([signNext(membership.log!, bob, { kind: 'prekey', prekeyId: 4, prekey: new Uint8Array(32) }, clock.now + 2 * PREKEY_MIN_INTERVAL_MS)]), coded('MEMBERSHIP_REMOVED'))
})

test('the gater lets in members, and pending invitees inbound only; membersOnly aborts a non-member\'s stream', async () => {
  const members = new Set(['member'])
  const pending = new Set(['invitee'])
  const gater = membershipGater(p => members.has(p), { allowPending: p => pending.has(p) })
  const peer = (id: string) => ({ toString: () => id }) as unknown as PeerId
  const conn = undefined as never
  assert.equal(await gater.denyInboundEncryptedConnection!(peer('member'), conn), false)
  assert.equal(await gater.denyInboundEncryptedConnection!(peer('invitee'), conn), false)
  assert.equal(await gater.denyInboundEncryptedConnection!(peer('stranger'), conn), true)
  assert.equal(await gater.denyOutboundEncryptedConnection!(peer('invitee'), conn), true)
  assert.equal(await gater.denyOutboundEncryptedConnection!(peer('member'), conn), false)
  assert.equal(await gater.denyDialPeer!(peer('stranger')), true)
  members.delete('member') // a removal takes effect at the next connection
  assert.equal(await gater.denyInboundEncryptedConnection!(peer('member'), conn), true)

  let handled = 0
  let aborted = 0
  const refusedPeers: string[] = []
  const handler = membersOnly(p => p === 'ok', () => { handled++ }, p => refusedPeers.push(p))
  const stream = { abort: () => { aborted++ } } as never
  await handler(stream, { remotePeer: peer('ok') } as never)
  await handler(stream, { remotePeer: peer('invitee') } as never)
  assert.deepEqual([handled, aborted, refusedPeers], [1, 1, ['invitee']])
})
