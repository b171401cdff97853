// Odd input on the workspace protocols: undecodable, oversized or forged frames get a coded refusal
// and the node goes on (a proper join or sync works right after).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { lpStream, pbStream } from '@libp2p/utils'
import { utf8 } from '../../crypto/encoding.js'
import { MAX_JOIN_REQUEST_FRAME_BYTES } from '../../core/protocol/workspace-limits.js'
import { JOIN_PROTOCOL, MEMBERS_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { requestJoin } from '../../core/protocol/workspace-join.js'
import { EntriesFrame, MembersHead } from '../../core/protocol/workspace.js'
import { signJoinRequest } from '../../crypto/membership-log.js'
import { ed25519Signer } from '../../crypto/ed25519.js'
import { decodeInviteCode } from '../../core/workspace/invite-code.js'
import { bareNode, until, workspacePeer } from './workspace-peer.js'

test('the join protocol answers undecodable, oversized and forged requests with a code, then admits', async (t) => {
  const admin = await workspacePeer(t, 'admin')
  await admin.workspace.create('Acme')
  const { code } = await admin.workspace.createInvite()
  const secret = decodeInviteCode(code).secret
  const invitee = await bareNode(t, secret)
  const connection = await invitee.dial(admin.libp2p.getMultiaddrs()[0]!)
  const refusal = async (frame: Uint8Array): Promise<EntriesFrame> => {
    const stream = await connection.newStream(JOIN_PROTOCOL)
    const lp = lpStream(stream, { maxDataLength: 1 << 20 })
    await lp.write(frame)
    const answer = EntriesFrame.decode(await lp.read())
    await stream.close().catch(() => {})
    return answer
  }
  const garbage = await refusal(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]))
  assert.match(garbage.errorCode, /^(MEMBERS_BAD_FRAME|JOIN_REFUSED|MEMBERSHIP_BAD_JOIN_REQUEST)$/)
  assert.equal(garbage.entries.length, 0)
  const oversized = await refusal(new Uint8Array(MAX_JOIN_REQUEST_FRAME_BYTES + 1))
  assert.equal(oversized.errorCode, 'MEMBERS_BAD_FRAME')
  const empty = await refusal(new Uint8Array(0))
  assert.equal(empty.errorCode, 'MEMBERSHIP_BAD_JOIN_REQUEST')

  const bob = await workspacePeer(t, 'bob')
  const mine = { root: admin.membership.workspace!.root, invite: decodeInviteCode(code).secret, device: bob.device.publicKey, identityKey: bob.device.identityKey, prekeyId: 1, prekey: bob.device.prekey, name: 'bob', time: Date.now() }
  const inviteKey = invitee.peerId.publicKey!.raw
  // Signed with the secret but by a device other than the one named.
  const forged = signJoinRequest(admin.device.sign, ed25519Signer(secret), { ...mine, invite: inviteKey })
  await assert.rejects(requestJoin(connection, forged), (e: Error & { code?: string }) => e.code === 'MEMBERSHIP_BAD_JOIN_REQUEST')
  const proper = signJoinRequest(bob.device.sign, ed25519Signer(secret), { ...mine, invite: inviteKey })
  const entries = await requestJoin(connection, proper)
  assert.equal(entries.length, 3)
  assert.ok(admin.membership.isMember(bob.peerId))
})

test('the members protocol refuses another workspace\'s head and a malformed entry, and keeps its log', async (t) => {
  const admin = await workspacePeer(t, 'admin')
  await admin.workspace.create('Acme')
  const bob = await workspacePeer(t, 'bob')
  await bob.join((await admin.workspace.createInvite()).code)
  await bob.connect(admin)
  const length = admin.membership.log!.length
  const open = async () => pbStream(await bob.libp2p.dialProtocol(admin.libp2p.peerId, MEMBERS_PROTOCOL), { maxDataLength: 1 << 20 })

  const other = await open()
  await other.write({ workspace: 'another-workspace', length: 1, head: new Uint8Array(32) } as MembersHead, MembersHead)
  await other.read(MembersHead)
  const refused = await other.read(EntriesFrame)
  assert.equal(refused.errorCode, 'MEMBERSHIP_WRONG_WORKSPACE')

  const pb = await open()
  await pb.write({ workspace: admin.membership.workspace!.id, length, head: admin.membership.log!.head } as MembersHead, MembersHead)
  await pb.read(MembersHead)
  assert.equal((await pb.read(EntriesFrame)).entries.length, 0)
  await pb.write({ entries: [{ bytes: utf8('causette/membership/v1\nkind: nonsense\n'), signature: new Uint8Array(64) }], errorCode: '', errorMessage: '', more: false } as unknown as EntriesFrame, EntriesFrame)
  await until(() => admin.refusals.some(r => r.code === 'MEMBERSHIP_BAD_ENTRY') || undefined, 'bad entry refused')
  assert.equal(admin.membership.log!.length, length)
  assert.ok(admin.connectedTo(bob))
})
