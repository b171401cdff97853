// Odd input on the workspace protocols: undecodable, oversized or forged frames get a coded refusal
// and the node goes on (a proper join or sync works right after).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Connection, Stream } from '@libp2p/interface'
import { lpStream, pbStream } from '@libp2p/utils'
import { utf8 } from '../../crypto/encoding.js'
import { MAX_JOIN_REQUEST_FRAME_BYTES } from '../../core/protocol/workspace-limits.js'
import { JOIN_PROTOCOL, MEMBERS_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { requestJoin } from '../../core/protocol/workspace-join.js'
import { limitStreams } from '../../core/protocol/stream-limiter.js'
import { handleMembersStream, syncMembers, type MembersReplica } from '../../core/protocol/workspace-sync.js'
import { EntriesFrame, MembersHead } from '../../core/protocol/workspace.js'
import { PREKEY_MIN_INTERVAL_MS, signEntry, signJoinRequest, type MembershipLog, type SignedEntry } from '../../crypto/membership-log.js'
import { randomBytes } from '../../crypto/random.js'
import { sha256 } from '../../crypto/sha256.js'
import type { LocalDevice } from '../../core/workspace/workspace.js'
import { ed25519Signer } from '../../crypto/ed25519.js'
import { decodeInviteCode } from '../../core/workspace/invite-code.js'
import { bareNode, sameHead, until, workspacePeer } from './workspace-peer.js'

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

test('the members dialer: a colleague that resets the stream is no refusal, a colleague that sends garbage is MEMBERS_BAD_FRAME', async (t) => {
  const colleague = await bareNode(t)
  const answers: Array<(stream: Stream) => Promise<void>> = [
    async stream => { stream.abort(new Error('the colleague resets the stream')) },
    async stream => { await lpStream(stream).write(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])) }
  ]
  await colleague.handle(MEMBERS_PROTOCOL, async stream => {
    await lpStream(stream).read() // the dialer's head
    await answers.shift()!(stream)
  })
  const connection = await (await bareNode(t)).dial(colleague.getMultiaddrs()[0]!)
  const refused: string[] = []
  const replica = { log: undefined, isMember: () => true, merge: async () => {}, refused: (_peer: string, code: string) => { refused.push(code) } }
  const failure = async (): Promise<Error & { code?: string }> => await syncMembers(connection, replica).then(() => assert.fail('the sync went through'), error => error)

  const reset = await failure()
  assert.notEqual(reset.code, 'MEMBERS_BAD_FRAME', 'a reset stream is not a bad frame')
  assert.equal(reset.name, 'FailedStreamError')
  assert.deepEqual(refused, [], 'nor reported refused')
  assert.equal((await failure()).code, 'MEMBERS_BAD_FRAME')
  assert.deepEqual(refused, ['MEMBERS_BAD_FRAME'])
})

/** A log whose entries after the first weigh about `bytes` (the listener sends them unchecked): more than a window of a stream. */
function heavyLog (bytes: number): MembershipLog {
  const hash = new Uint8Array(32).fill(7)
  const entry: SignedEntry = { bytes: new Uint8Array(2048), signature: new Uint8Array(64) }
  const length = 1 + Math.ceil(bytes / 2048)
  const log = { workspaceId: 'heavy', length, head: hash, hashAt: (seq: number) => seq < length ? hash : undefined, entries: (from = 0, to = length) => new Array<SignedEntry>(to - from).fill(entry) }
  return log as unknown as MembershipLog
}

test('the members listener: a dialer that resets after its head was read is neither reported refused nor struck, garbage is MEMBERS_BAD_FRAME and struck', async (t) => {
  const refused: string[] = []
  const strikes: string[] = []
  const replica: MembersReplica = { log: heavyLog(2 << 20), isMember: () => true, merge: async () => {}, refused: (_peer, code) => { refused.push(code) } }
  /** Each stream's run of the listener, to wait until it has ended. */
  const runs: Array<Promise<void>> = []
  const handler = async (stream: Stream, connection: Connection): Promise<void> => { await handleMembersStream(stream, connection, replica) }
  const listener = await bareNode(t)
  await listener.handle(MEMBERS_PROTOCOL, limitStreams((stream, connection) => { runs.push(handler(stream, connection)) }, {
    protocol: MEMBERS_PROTOCOL,
    limits: { admitStream: () => undefined, strike: (_peer, code) => { strikes.push(code) } }
  }))
  // The dialer grants a stream 256 KiB at most: the listener, with 2 MiB to send, is still writing
  // when the reset reaches it, whatever the machine's pace.
  const dialer = await bareNode(t, randomBytes(32), { streamOptions: { maxStreamWindowSize: 256 * 1024 } })
  const open = async (): Promise<Stream> => await dialer.dialProtocol(listener.getMultiaddrs()[0]!, MEMBERS_PROTOCOL)
  const ended = async (run: number): Promise<void> => { await (await until(() => runs[run], `the listener's run ${run}`)) }

  const hangsUp = await open()
  const pb = pbStream(hangsUp, { maxDataLength: 1 << 20 })
  await pb.write({ workspace: 'heavy', length: 1, head: replica.log!.head } as MembersHead, MembersHead)
  await pb.read(MembersHead) // the listener's head: it has read ours
  hangsUp.abort(new Error('the colleague hangs up'))
  await ended(0)
  assert.deepEqual(refused, [], 'a dialer that hung up is nobody\'s refusal')
  assert.deepEqual(strikes, [], 'nor a strike')

  const garbage = await open()
  garbage.send(Uint8Array.from([6, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])) // a head that does not decode
  await ended(1)
  assert.deepEqual(refused, ['MEMBERS_BAD_FRAME'])
  assert.deepEqual(strikes, ['BAD_FRAME'])
})

/** Prekey entries signed by `device` on top of `log`, dated `times`, as a hostile member's own code would sign them. */
function signedPrekeys (log: MembershipLog, device: LocalDevice, times: number[]): SignedEntry[] {
  let previous = log.head
  let prekeyId = log.member(device.publicKey)!.prekeyId
  return times.map((time, i) => {
    const signed = signEntry(device.sign, { kind: 'prekey', seq: log.length + i, previous, signer: device.publicKey, time, prekeyId: ++prekeyId, prekey: randomBytes(32) })
    previous = sha256(signed.bytes)
    return signed
  })
}

test('a member flooding the log with its own prekeys gets one a day into it, none dated past 30 days ahead', async (t) => {
  const admin = await workspacePeer(t, 'admin')
  await admin.workspace.create('Acme')
  const bob = await workspacePeer(t, 'bob')
  await bob.join((await admin.workspace.createInvite()).code)
  await bob.connect(admin)
  await until(() => sameHead(admin, bob) || undefined, 'one log')
  const push = async (entries: SignedEntry[]): Promise<void> => {
    const pb = pbStream(await bob.libp2p.dialProtocol(admin.libp2p.peerId, MEMBERS_PROTOCOL), { maxDataLength: 1 << 22 })
    await pb.write({ workspace: admin.membership.workspace!.id, length: admin.membership.log!.length, head: admin.membership.log!.head } as MembersHead, MembersHead)
    await pb.read(MembersHead)
    await pb.read(EntriesFrame)
    await pb.write({ entries, errorCode: '', errorMessage: '', more: false } as unknown as EntriesFrame, EntriesFrame)
  }
  const start = admin.membership.log!.length
  const now = admin.clock.now
  const accepted = (): number => admin.membership.log!.length - start

  // Two at once: the second is refused, the first kept.
  const burst = signedPrekeys(admin.membership.log!, bob.device, [now, now + 1])
  await push(burst)
  await until(() => admin.refusals.some(r => r.code === 'MEMBERSHIP_PREKEY_TOO_SOON') || undefined, 'the second prekey refused')
  assert.equal(accepted(), 1)

  // Four hundred (a frame's worth), a day apart by their dates: those up to 30 days past the admin's clock are taken.
  const flood = signedPrekeys(admin.membership.log!, bob.device, Array.from({ length: 400 }, (_, i) => now + (i + 1) * PREKEY_MIN_INTERVAL_MS))
  await push(flood)
  await until(() => admin.refusals.some(r => r.code === 'MEMBERSHIP_PREKEY_AHEAD') || undefined, 'a prekey too far ahead refused')
  assert.equal(accepted(), 1 + 30)
  // Ten days later the next ten are taken, offered again.
  admin.clock.now += 10 * PREKEY_MIN_INTERVAL_MS
  await push(flood)
  await until(() => accepted() === 1 + 40 || undefined, 'ten more prekeys once the clock got there')
  assert.equal(admin.membership.member(bob.peerId)!.prekeyId, 1 + 41)
  assert.ok(admin.connectedTo(bob))
})
