// The workspace between real libp2p peers on 127.0.0.1: joining with a code, the gater at the door,
// log sync between members, a removal spreading (forks: workspace-fork.test.ts).
import assert from 'node:assert/strict'
import { createServer, connect, type AddressInfo, type Socket } from 'node:net'
import { test, type TestContext } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection, Libp2p } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { equals, utf8 } from '../../crypto/encoding.js'
import { syncMembers } from '../../core/protocol/workspace-sync.js'
import { decodeInviteCode, encodeInviteCode } from '../../core/workspace/invite-code.js'
import { MAX_STRANGER_CONNECTIONS } from '../../core/protocol/workspace-limits.js'
import { JOIN_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { bareNode, refusedAtTheDoor, sameHead, until, workspaceOf, workspacePeer } from './workspace-peer.js'

const coded = (code: string, pattern: RegExp) => (error: unknown) => (error as { code?: string }).code === code && pattern.test((error as Error).message)

test('an invitee joins with a code, with its own keys; the code then works no more, an expired one never', async (t) => {
  const [admin] = await workspaceOf(t)
  const { code } = await admin!.workspace.createInvite({ role: 'member' })
  const bob = await workspacePeer(t, 'bob')
  await bob.join(code)
  assert.equal(bob.membership.workspace!.id, admin!.membership.workspace!.id)
  assert.ok(bob.membership.isMember(admin!.peerId))
  const seen = admin!.membership.member(bob.peerId)!
  assert.equal(seen.name, 'bob')
  assert.equal(seen.role, 'member')
  assert.ok(equals(seen.identityKey, bob.device.identityKey) && equals(seen.prekey, bob.device.prekey))
  // Now a member, bob connects with its own identity.
  await bob.connect(admin!)

  const carol = await workspacePeer(t, 'carol')
  await assert.rejects(carol.join(code), coded('MEMBERSHIP_INVITE_USED', /already used/))
  const { code: late } = await admin!.workspace.createInvite({ expiresMs: 60_000 })
  admin!.clock.now += 120_000
  await assert.rejects(carol.join(late), coded('MEMBERSHIP_INVITE_EXPIRED', /expired/))
  await assert.rejects(carol.join(late.slice(0, -4) + (late.endsWith('AAAA') ? 'BBBB' : 'AAAA')), coded('INVITE_BAD_CODE', /mistyped/))
  assert.equal(carol.membership.log, undefined)
  assert.deepEqual(admin!.refusals.map(r => r.code), ['MEMBERSHIP_INVITE_USED', 'MEMBERSHIP_INVITE_EXPIRED'])
})

test('a member refuses a stranger at the connection, an admin lets it knock only; an invitee reaches the join protocol only', async (t) => {
  const [admin, bob] = await workspaceOf(t, 'bob')
  const { code } = await admin!.workspace.createInvite()
  const stranger = await bareNode(t)
  await refusedAtTheDoor(stranger, bob!)
  await assert.rejects(admin!.libp2p.dial(stranger.getMultiaddrs()[0]!))
  assert.equal(admin!.libp2p.getConnections().length, 0)
  assert.equal(bob!.libp2p.getConnections().length, 0)
  const ECHO = '/causette/echo-test/1.0.0'
  await admin!.libp2p.handle(ECHO, admin!.service.membersOnly(async (stream) => { for await (const chunk of stream) stream.send(chunk); await stream.close() }))
  const echo = async (connection: Connection): Promise<string> => {
    const lp = lpStream(await connection.newStream(ECHO))
    await lp.write(utf8('ping'))
    return new TextDecoder().decode((await lp.read()).subarray())
  }
  // An admin lets a stranger connect, to ask it whether it wants to join (the admission protocol,
  // which this bare node does not speak): it cannot read the log, nor use any other protocol.
  const knocking = await stranger.dial(admin!.libp2p.getMultiaddrs()[0]!)
  await assert.rejects(syncMembers(knocking, { log: bob!.membership.log, isMember: () => true, merge: async () => {} }))
  await assert.rejects(echo(knocking))
  await until(() => admin!.refusals.filter(r => r.code === 'MEMBERSHIP_NOT_MEMBER' && r.peer === stranger.peerId.toString()).length === 2 || undefined, 'refusals')
  await knocking.close()
  // With the code's secret a peer gets in likewise, but cannot read the log, nor use any other protocol.
  const invitee = await bareNode(t, decodeInviteCode(code).secret)
  const connection = await invitee.dial(admin!.libp2p.getMultiaddrs()[0]!)
  await assert.rejects(syncMembers(connection, { log: bob!.membership.log, isMember: () => true, merge: async () => {} }))
  await assert.rejects(echo(connection))
  await until(() => admin!.refusals.filter(r => r.code === 'MEMBERSHIP_NOT_MEMBER' && r.peer === invitee.peerId.toString()).length === 2 || undefined, 'refusals')
  assert.equal(await echo(await bob!.connect(admin!) as Connection), 'ping')
  // Only the inviting admin lets an invitee in.
  await refusedAtTheDoor(invitee, bob!)
})

test('an admin lets at most MAX_STRANGER_CONNECTIONS desks in no workspace connect at once; the next waits for one to leave', async (t) => {
  const [admin] = await workspaceOf(t)
  const strangers = await Promise.all(Array.from({ length: MAX_STRANGER_CONNECTIONS + 1 }, async () => await bareNode(t)))
  const [last, ...first] = strangers as [Libp2p, ...Libp2p[]]
  const connections = await Promise.all(first.map(async stranger => await stranger.dial(admin!.libp2p.getMultiaddrs()[0]!)))
  await until(() => admin!.libp2p.getConnections().length === MAX_STRANGER_CONNECTIONS || undefined, 'the strangers connected')
  await refusedAtTheDoor(last, admin!)
  await connections[0]!.close()
  await until(() => admin!.libp2p.getConnections().length === MAX_STRANGER_CONNECTIONS - 1 || undefined, 'one stranger gone')
  await last.dial(admin!.libp2p.getMultiaddrs()[0]!)
})

test('members bring their logs level, hop by hop, and a removal spreads: the removed device is cut off and refused', async (t) => {
  const [admin, bob, carol, dave] = await workspaceOf(t, 'bob', 'carol', 'dave')
  // Bob joined first: his log ends at his own admission until he syncs.
  assert.equal(bob!.membership.isMember(dave!.peerId), false)
  await bob!.connect(admin!)
  await until(() => sameHead(bob!, admin!) || undefined, 'bob in sync')
  assert.ok(bob!.membership.isMember(dave!.peerId))
  // carol and dave never meet the admin again: admin - bob - carol - dave.
  await carol!.connect(bob!)
  await dave!.connect(carol!)
  await admin!.workspace.remove(dave!.peerId, 'left the company')
  for (const peer of [bob!, carol!]) {
    await until(() => (sameHead(peer, admin!) && !peer.membership.isMember(dave!.peerId)) || undefined, `${peer.name} learns the removal`)
  }
  await until(() => !carol!.connectedTo(dave!) || undefined, 'dave cut off')
  // Dave was told before being cut off, so his node can say so.
  assert.equal(dave!.membership.log!.isRemoved(dave!.device.publicKey), true)
  assert.equal(admin!.membership.log!.isRemoved(dave!.device.publicKey), true)
  await refusedAtTheDoor(dave!.libp2p, carol!)
  await refusedAtTheDoor(dave!.libp2p, admin!)
  assert.ok(carol!.connectedTo(bob!))
})

test('an inviting node too busy to answer drops the first join request: the desk tries again and is admitted', async (t) => {
  let dropped = 0
  // The admin's node resets its first join stream before answering, as one busy admitting a whole
  // office at once (or holding back a burst of connections) would leave a desk without an answer.
  const admin = await workspacePeer(t, 'admin', {
    limit: (protocol, handler) => protocol !== JOIN_PROTOCOL ? handler : (stream, connection) => {
      if (dropped++ === 0) { stream.abort(new Error('busy')); return }
      return handler(stream, connection)
    }
  })
  await admin.workspace.create('Acme')
  const bob = await workspacePeer(t, 'bob')
  await bob.join((await admin.workspace.createInvite()).code)
  assert.equal(dropped, 2, 'one request dropped, the next answered')
  assert.notEqual(bob.membership.log?.member(bob.device.publicKey), undefined)
})

test('a code whose inviting node is gone says that causette is not running there, at once', async (t) => {
  const [admin] = await workspaceOf(t)
  const { code } = await admin!.workspace.createInvite()
  await admin!.libp2p.stop()
  const bob = await workspacePeer(t, 'bob')
  await assert.rejects(bob.join(code), coded('JOIN_NOT_RUNNING', /the computer at 127\.0\.0\.1:\d+ refused the connection: causette is not running there/))
  assert.equal(bob.membership.log, undefined)
})

test('a code whose address answers with another libp2p program says that causette is not running there, at once', async (t) => {
  const [admin] = await workspaceOf(t)
  const { code } = await admin!.workspace.createInvite()
  const other = await bareNode(t)
  await other.handle('/some-other-service/1.0.0', stream => { stream.abort(new Error('not for this test')) })
  const port = Number(other.getMultiaddrs()[0]!.toString().split('/')[4])
  const bob = await workspacePeer(t, 'bob')
  await assert.rejects(bob.join(codeAt(code, port)), coded('JOIN_NOT_RUNNING', /the computer at 127\.0\.0\.1:\d+ answered with another program: causette is not running there/))
  assert.equal(bob.membership.log, undefined)
})

/** A TCP server on loopback in front of an inviting node: `onSocket` decides what each connection gets. */
async function tcpFront (t: TestContext, onSocket: (socket: Socket) => void): Promise<number> {
  const server = createServer(onSocket)
  const sockets = new Set<Socket>()
  server.on('connection', socket => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)) })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.after(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise(resolve => server.close(resolve))
  })
  return (server.address() as AddressInfo).port
}

/** The same invite, at another address (the code's token, its proof, everything else unchanged). */
function codeAt (code: string, port: number): string {
  return encodeInviteCode({ token: decodeInviteCode(code).token, address: multiaddr(`/ip4/127.0.0.1/tcp/${port}`) })
}

test('an inviting node that accepts the connection and closes it at once, as one holding back a burst does, is waited for: the desk is admitted', async (t) => {
  const [admin] = await workspaceOf(t)
  const { code } = await admin!.workspace.createInvite()
  const [, , host, , targetPort] = admin!.libp2p.getMultiaddrs()[0]!.toString().split('/')
  let connections = 0
  const port = await tcpFront(t, socket => {
    if (connections++ === 0) { socket.destroy(); return }
    const upstream = connect(Number(targetPort), host)
    socket.pipe(upstream).pipe(socket)
    upstream.on('error', () => socket.destroy())
    socket.on('error', () => upstream.destroy())
  })
  const bob = await workspacePeer(t, 'bob')
  await bob.join(codeAt(code, port))
  assert.ok(connections >= 2, 'the first connection was closed, a later one let through')
  assert.notEqual(bob.membership.log?.member(bob.device.publicKey), undefined)
})

test('a join cancelled while the inviting node holds its connection unanswered stops trying: nothing is joined', async (t) => {
  const [admin] = await workspaceOf(t)
  const { code } = await admin!.workspace.createInvite()
  let accepted!: () => void
  const held = new Promise<void>(resolve => { accepted = resolve })
  // Accepted, never answered: the node waits for it as for a busy inviter.
  const port = await tcpFront(t, () => { accepted() })
  const bob = await workspacePeer(t, 'bob')
  const cancel = new AbortController()
  const joining = bob.service.join(codeAt(code, port), cancel.signal)
  await held
  cancel.abort(new Error('the joiner cancelled'))
  await assert.rejects(joining, /the joiner cancelled/)
  assert.equal(bob.membership.log, undefined)
})
