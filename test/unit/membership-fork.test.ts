// The fork-choice rule of the membership log (crypto/membership-fork.ts) and Membership meeting a fork:
// every node keeps the same branch, a member's prekey never beats an admin's change, a removal on the
// dropped branch still holds (and after a restart), a first divergent entry that does not verify is
// refused as before.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MemoryLevel } from 'memory-level'
import { equals } from '../../crypto/encoding.js'
import { MembershipError } from '../../crypto/membership-entry.js'
import { forkWinner } from '../../crypto/membership-fork.js'
import { entryHash, MembershipLog, signNext, type SignedEntry } from '../../crypto/membership-log.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import { randomBytes } from '../../crypto/random.js'
import { MAX_PREKEY_AHEAD_MS, Membership } from '../../core/workspace/membership.js'
import { WorkspaceService, type ServiceHost } from '../../core/workspace/service.js'
import { InviteProofs } from '../../core/workspace/invite-proof.js'
import { Workspace } from '../../core/workspace/workspace.js'
import { until } from '../integration/workspace-peer.js'
import { admit, DAY, device, inviteKeys, newLog, primitives, T0, type TestDevice } from './membership-fixture.js'

/** A host with no connection: the restart test needs the service's start, not the network. */
const idleHost: ServiceHost = {
  handle: async () => {},
  unhandle: async () => {},
  getConnections: () => [],
  hangUp: async () => {},
  addEventListener: () => {},
  removeEventListener: () => {}
}

const lower = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0

function inviteBy (log: MembershipLog, admin: TestDevice, time = T0 + 100): SignedEntry {
  return signNext(log, admin, { kind: 'invite', inviteKey: inviteKeys().publicKey, role: 'member', expires: time + DAY }, time)
}

/** A workspace of root (admin) and bob (member), and a copy of its log to branch from. */
function workspace (): { root: TestDevice, bob: TestDevice, log: MembershipLog, copy: () => MembershipLog } {
  const root = device('root'); const bob = device('bob')
  const log = newLog(root)
  admit(log, root, bob)
  return { root, bob, log, copy: () => MembershipLog.verify(primitives, log.entries()) }
}

test('an admin\'s change beats a member\'s prekey whatever their hashes; within a rank the lower SHA-256 wins; both sides decide alike', () => {
  for (let round = 0; round < 40; round++) {
    const { root, bob, log } = workspace()
    const invite = inviteBy(log, root)
    const prekey = signNext(log, bob, { kind: 'prekey', prekeyId: 2, prekey: randomBytes(32) }, T0 + 8 * DAY)
    assert.equal(forkWinner(primitives, invite, prekey), 'ours')
    assert.equal(forkWinner(primitives, prekey, invite), 'theirs')
    // A revocation is an admin's change too.
    const revoke = signNext(log, root, { kind: 'revoke', inviteKey: randomBytes(32) }, T0 + 300)
    assert.equal(forkWinner(primitives, revoke, prekey), 'ours')
    assert.equal(forkWinner(primitives, prekey, revoke), 'theirs')
    const other = inviteBy(log, root, T0 + 200)
    const expected = lower(entryHash(primitives, invite.bytes), entryHash(primitives, other.bytes)) ? 'ours' : 'theirs'
    assert.equal(forkWinner(primitives, invite, other), expected)
    assert.equal(forkWinner(primitives, other, invite), expected === 'ours' ? 'theirs' : 'ours')
  }
})

async function holding (entries: SignedEntry[]): Promise<{ membership: Membership, db: MemoryLevel }> {
  const db = new MemoryLevel()
  const membership = await Membership.open({ db: db.sublevel('membership') })
  await membership.adopt(entries)
  return { membership, db }
}

test('a removal on the branch a node keeps out still holds there, and after a restart; the branch it keeps is unchanged', async () => {
  const { root, bob, log, copy } = workspace()
  // Two branches by the same admin apart from itself (two of its devices' views): X removes bob, Y does not.
  let kept: SignedEntry, removing: SignedEntry[]
  do {
    kept = inviteBy(log, root)
    const x = copy()
    const first = inviteBy(x, root, T0 + 300)
    x.apply(first)
    removing = [first, signNext(x, root, { kind: 'remove', device: bob.publicKey, reason: 'left' }, T0 + 400)]
  } while (forkWinner(primitives, kept, removing[0]!) !== 'ours')
  const { membership, db } = await holding([...log.entries(), kept])
  const forks: unknown[] = []
  membership.onFork(fork => forks.push(fork))
  assert.ok(membership.isMember(ed25519PeerId(bob.publicKey)))

  assert.deepEqual(await membership.merge([...log.entries(1), ...removing]), [])
  assert.ok(equals(membership.log!.head, entryHash(primitives, kept.bytes)), 'our branch kept')
  assert.equal(membership.isMember(ed25519PeerId(bob.publicKey)), false, 'removed on the dropped branch: refused here too')
  assert.ok(membership.isRemoved(ed25519PeerId(bob.publicKey)))
  assert.equal(forks.length, 1)
  const [fork] = membership.forks()
  assert.equal(fork!.switched, false)
  assert.equal(fork!.seq, log.length)
  // The same branch again is the same fork, not a second record.
  await membership.merge([...log.entries(1), ...removing])
  assert.equal(membership.forks().length, 1)
  assert.equal(forks.length, 1)

  const reopened = await Membership.open({ db: db.sublevel('membership') })
  assert.equal(reopened.isMember(ed25519PeerId(bob.publicKey)), false)
  assert.equal(reopened.forks().length, 1)

  // If the admin who removed it never signs that again, an admin can redo it on the branch kept.
  const admin = new Workspace({ membership, device: { ...root, prekeyId: 1 }, addresses: () => [], proofs: new InviteProofs(db.sublevel('membership')) })
  await admin.remove(ed25519PeerId(bob.publicKey), 'left')
  assert.ok(membership.log!.isRemoved(bob.publicKey))
})

test('a node on a member\'s prekey branch switches to the admin\'s and drops the prekey, stored in one go', async () => {
  const { root, bob, log, copy } = workspace()
  const prekey = signNext(log, bob, { kind: 'prekey', prekeyId: 2, prekey: randomBytes(32) }, T0 + 8 * DAY)
  const admins = copy()
  admins.apply(inviteBy(admins, root))
  admins.apply(signNext(admins, root, { kind: 'role', device: bob.publicKey, role: 'admin' }, T0 + 500))
  const { membership, db } = await holding([...log.entries(), prekey])
  const changes = await membership.merge(admins.entries(1))
  assert.deepEqual(changes.map(c => c.kind), ['invite', 'role'])
  assert.ok(equals(membership.log!.head, admins.head))
  assert.deepEqual(membership.forks().map(f => [f.seq, f.switched, f.droppedEntries.length]), [[log.length, true, 1]])
  const reopened = await Membership.open({ db: db.sublevel('membership') })
  assert.ok(equals(reopened.log!.head, admins.head), 'the switch is what is stored')
  assert.equal(reopened.log!.length, admins.length)
})

test('another branch whose first entry does not verify (a member signing an invite) is refused as before, and recorded nowhere', async () => {
  const { bob, log } = workspace()
  const { membership } = await holding(log.entries())
  await membership.merge([signNext(log, bob, { kind: 'prekey', prekeyId: 2, prekey: randomBytes(32) }, T0 + 600)])
  const forged = inviteBy(log, bob)
  await assert.rejects(membership.merge([...log.entries(1), forged]), (error: unknown) => error instanceof MembershipError && error.code === 'MEMBERSHIP_NOT_ADMIN')
  assert.deepEqual(membership.forks(), [])
  assert.equal(membership.log!.length, log.length + 1)
})

test('another branch that starts with a prekey dated more than 30 days past the clock is refused until then, and recorded nowhere', async () => {
  const { root, bob, log, copy } = workspace()
  const ours = copy()
  ours.apply(inviteBy(ours, root))
  const { membership } = await holding(ours.entries())
  const ahead = signNext(log, bob, { kind: 'prekey', prekeyId: 2, prekey: randomBytes(32) }, Date.now() + MAX_PREKEY_AHEAD_MS + DAY)
  await assert.rejects(membership.merge([...log.entries(1), ahead]), (error: unknown) => error instanceof MembershipError && error.code === 'MEMBERSHIP_PREKEY_AHEAD')
  assert.deepEqual(membership.forks(), [])
  assert.ok(equals(membership.log!.head, ours.head))
})

test('a node stopped after switching branches, before signing its own dropped entries again, signs them again when it starts', async () => {
  const { root, bob, log, copy } = workspace()
  const prekey = signNext(log, bob, { kind: 'prekey', prekeyId: 2, prekey: randomBytes(32) }, T0 + 8 * DAY)
  const admins = copy()
  admins.apply(inviteBy(admins, root))
  const { membership, db } = await holding([...log.entries(), prekey])
  await membership.merge(admins.entries(1)) // no service: nothing signs it again, as if stopped here
  assert.deepEqual(membership.forks().map(f => [f.switched, f.rebased]), [[true, false]])

  const service = await WorkspaceService.open({ db: db.sublevel('membership'), device: { ...bob, prekeyId: 1 } })
  await service.start(idleHost)
  const bobPeer = ed25519PeerId(bob.publicKey)
  await until(() => service.membership.forks()[0]!.rebased || undefined, 'signed again')
  assert.equal(service.membership.member(bobPeer)!.prekeyId, 2)
  assert.equal(service.membership.log!.length, admins.length + 1)
  await service.stop()
})
