// A removed device always learns of its removal, between real libp2p peers on 127.0.0.1: when the
// telling races other exchanges on a busy node, when the hang-up comes before the news, and when it
// was away at the time (it connects, is told, is let go). Once it knows, it connects to no one.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { HandlerLimit } from '../../core/protocol/stream-limiter.js'
import { MEMBERS_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { requestJoin } from '../../core/protocol/workspace-join.js'
import { decodeInviteCode } from '../../core/workspace/invite-code.js'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { signJoinRequest } from '../../crypto/membership-log.js'
import { bareNode, until, workspacePeer, type WorkspacePeer } from './workspace-peer.js'

type TestContext = Parameters<typeof workspacePeer>[0]

async function adminAnd (t: TestContext, ...others: WorkspacePeer[]): Promise<WorkspacePeer> {
  const admin = await workspacePeer(t, 'admin')
  await admin.workspace.create('Acme')
  for (const peer of others) {
    await peer.join((await admin.workspace.createInvite()).code)
    await peer.connect(admin)
  }
  for (const peer of others) {
    await until(() => (admin.connectedTo(peer) && peer.membership.log!.length === admin.membership.log!.length) || undefined, `${peer.name} connected, in sync`)
  }
  return admin
}

const knowsItIsRemoved = (peer: WorkspacePeer): boolean => peer.membership.log!.isRemoved(peer.device.publicKey)

/** A node too busy to take up a members exchange at once: each waits `ms` first. Counts them. */
function busyMembersHandler (ms: number): { limit: HandlerLimit, arrived: () => number } {
  let arrived = 0
  const limit: HandlerLimit = (protocol, handler) => protocol !== MEMBERS_PROTOCOL
    ? handler
    : (stream, connection) => {
        arrived++
        void sleep(ms).then(() => handler(stream, connection))
      }
  return { limit, arrived: () => arrived }
}

test('a device removed amid a burst of changes hears of it, although its node is slow to answer (the peer takes two members streams at once)', async (t) => {
  const busy = busyMembersHandler(500)
  const bob = await workspacePeer(t, 'bob', { limit: busy.limit })
  const admin = await adminAnd(t, bob)
  // Two changes pushed to bob while he is still busy with the first...
  const before = busy.arrived()
  await admin.workspace.setRole(bob.peerId, 'admin')
  await until(() => busy.arrived() > before || undefined, 'the first push')
  await admin.workspace.setRole(bob.peerId, 'member')
  await until(() => busy.arrived() > before + 1 || undefined, 'the second push')
  // ...then the removal: its notice must not be a third members stream at once (bob would refuse it).
  await admin.workspace.remove(bob.peerId, 'left')
  await until(() => knowsItIsRemoved(bob) || undefined, 'bob to hear of his removal')
  await until(() => (!admin.connectedTo(bob) && !bob.connectedTo(admin)) || undefined, 'bob cut off')
  assert.equal(bob.service.removed, true)
})

test('a device cut off before it was told, or away at its removal, hears of it from any member when it connects, and nothing after it', async (t) => {
  const bob = await workspacePeer(t, 'bob')
  const carol = await workspacePeer(t, 'carol')
  const admin = await adminAnd(t, bob, carol)
  await carol.connect(bob)
  // The hang-up comes first: bob is gone before any notice could reach him.
  await admin.libp2p.hangUp(bob.libp2p.peerId)
  await carol.libp2p.hangUp(bob.libp2p.peerId)
  await until(() => bob.libp2p.getConnections().length === 0 || undefined, 'bob alone')
  const removal = await admin.workspace.remove(bob.peerId, 'left')
  // What came after his removal (a new invite) is no business of his.
  await admin.workspace.createInvite()
  await until(() => (carol.membership.log!.length === admin.membership.log!.length) || undefined, 'carol in sync')
  assert.equal(knowsItIsRemoved(bob), false)

  // Bob comes back and dials carol, who tells him and lets him go.
  await bob.connect(carol)
  await until(() => knowsItIsRemoved(bob) || undefined, 'bob to hear of his removal')
  assert.equal(bob.membership.log!.length, removal.seq + 1, 'nothing after his removal')
  await until(() => (!carol.connectedTo(bob) && !bob.connectedTo(carol)) || undefined, 'bob let go')
  assert.equal(bob.service.removed, true)
  // Knowing, he dials no one, and no one's door opens for him for anything else.
  admin.opened.delete(bob.peerId)
  await assert.rejects(bob.connect(admin))
  assert.equal(admin.opened.has(bob.peerId), false)
  assert.equal(carol.refusals.some(r => r.peer === bob.peerId && r.code === 'MEMBERSHIP_NOT_MEMBER'), false, 'his members exchange was answered')
})

test('a removed device that kept its invite code is refused at the join: it was given the whole log again, what came after its removal too', async (t) => {
  const admin = await workspacePeer(t, 'admin')
  await admin.workspace.create('Acme')
  const bob = await workspacePeer(t, 'bob')
  const { code } = await admin.workspace.createInvite()
  await bob.join(code)
  const removal = await admin.workspace.remove(bob.peerId, 'left')
  await admin.workspace.createInvite() // no business of his
  // Bob's modified code joins again with the code it kept (its invite is open to it for days after
  // its use, so that a joiner whose answer was lost gets the log again), signing with its own device.
  const invite = decodeInviteCode(code)
  const asInvitee = await bareNode(t, invite.secret)
  const connection = await asInvitee.dial(invite.address)
  const log = admin.membership.log!
  const proof = signJoinRequest(bob.device.sign, ed25519Signer(invite.secret), {
    root: log.root, invite: ed25519FromSeed(invite.secret).publicKey, device: bob.device.publicKey, identityKey: bob.device.identityKey, prekeyId: bob.device.prekeyId, prekey: bob.device.prekey, name: 'bob', time: Date.now()
  })
  const answer = await requestJoin(connection, proof).then(entries => `${entries.length} entries, ${entries.length - removal.seq - 1} after his removal`, error => (error as { code?: string }).code)
  assert.equal(answer, 'MEMBERSHIP_REMOVED')
  assert.equal(admin.membership.log!.length, removal.seq + 2, 'nothing signed for him')
})
