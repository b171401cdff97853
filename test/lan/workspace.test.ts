// The LAN test for workspaces, through the real CLI in network namespaces on one bridge, with
// real mDNS: an admin creates a workspace and invites two colleagues, who join with `--join` and find
// each other by mDNS alone; an outsider on the same link (which sees every announcement) is let in by
// the admin only to ask to join (test/lan/admission.test.ts), never greets a member and cannot send to
// them; a removed member is cut off within seconds and can no longer send or receive.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { createLan, type LanHost } from '../helpers/netns.js'
import { lanAvailable } from '../helpers/lan-requirement.js'
import { spawnTsx } from '../helpers/lan-process.js'
import { connectedPeers, LAN_POLL, sees, startLanDaemon, type LanDaemon } from '../helpers/lan-daemon.js'
import { eventually } from '../helpers/lan-wait.js'
import type { InviteView, MessageView, PeerView, WorkspaceView } from '../../core/api/schema.js'

async function stateOf (daemon: LanDaemon, peer: LanDaemon, id: string): Promise<string | undefined> {
  return (await daemon.cli<MessageView[]>('messages', '--with', peer.peerId)).find(message => message.id === id)?.state
}

async function delivered (from: LanDaemon, to: LanDaemon, text: string): Promise<void> {
  const message = await from.cli<MessageView>('send', to.peerId, text)
  const received = await eventually(`${to.name} to store "${text}"`, async () =>
    (await to.cli<MessageView[]>('messages', '--with', from.peerId)).find(candidate => candidate.id === message.id), LAN_POLL)
  assert.equal(received.text, text)
  assert.equal(received.verified, true)
}

test('members of a workspace find each other by mDNS and talk; an outsider never connects; a removed member is cut off', async (t) => {
  if (!await lanAvailable(t)) return
  const lan = await createLan(t, { hosts: 4 })
  const [adminHost, bobHost, cydHost, outsiderHost] = lan.hosts as [LanHost, LanHost, LanHost, LanHost]

  const ada = await startLanDaemon(t, adminHost, 'ada')
  const workspace = await ada.cli<WorkspaceView>('workspace', 'create', 'Acme')
  const [forBob, forCyd] = [await ada.cli<InviteView>('invite'), await ada.cli<InviteView>('invite')]

  // The outsider's host also runs a bare libp2p node with our discovery, which reports what it hears.
  const listener = spawnTsx(outsiderHost, 'test/lan/fixtures/mdns-node.ts')
  const [eve, bob, cyd] = await Promise.all([
    startLanDaemon(t, outsiderHost, 'eve'),
    startLanDaemon(t, bobHost, 'bob', ['--join', forBob!.code]),
    startLanDaemon(t, cydHost, 'cyd', ['--join', forCyd!.code])
  ])
  assert.equal(eve.workspace, null)
  for (const member of [bob, cyd]) assert.deepEqual(member.workspace, { id: workspace.id, name: 'Acme', role: 'member' })
  const members = [ada, bob, cyd]

  // bob and cyd were given only the admin's address: they find each other by mDNS.
  await Promise.all(members.map(async daemon => { await sees(daemon, members.filter(other => other !== daemon)) }))
  await delivered(bob, cyd, 'hello cyd, from bob')
  await delivered(cyd, bob, 'hello bob, from cyd')
  await delivered(ada, cyd, 'welcome, cyd')

  // The outsider hears every member's announcement...
  for (const member of members) await listener.next(`the outsider's host to hear ${member.name}'s mDNS announcement`, line => line.event === 'discovered' && line.peerId === member.peerId)
  // ...yet no member lists it, it lists no member, and it cannot send to any.
  for (const member of members) {
    assert.ok(!(await member.cli<PeerView[]>('peers')).some(peer => peer.peerId === eve.peerId), `${member.name} never met the outsider`)
    assert.match(await eve.fails('send', member.peerId, 'let me in'), /no contact/)
  }
  assert.deepEqual(await eve.cli<PeerView[]>('peers'), [], 'the outsider never greeted anyone')

  // Removal: every member drops cyd, and cyd drops everyone, within seconds.
  const removedAt = Date.now()
  await ada.cli<WorkspaceView>('remove', 'cyd', '--reason', 'left the company')
  await Promise.all([
    ...[ada, bob].map(async member => await eventually(`${member.name} to drop cyd`, async () => !(await connectedPeers(member)).includes(cyd.peerId), LAN_POLL)),
    eventually('cyd to be cut off from everyone', async () => (await connectedPeers(cyd)).length === 0, LAN_POLL)
  ])
  t.diagnostic(`cyd was disconnected from every member ${Date.now() - removedAt} ms after \`causette remove\` (CLI polling included)`)
  assert.equal((await cyd.cli<WorkspaceView>('workspace')).role, 'removed', 'cyd heard of its removal')

  // Nothing passes either way, while the members still talk to each other (mDNS keeps announcing cyd).
  const fromCyd = await cyd.cli<MessageView>('send', bob.peerId, 'still here?')
  const toCyd = await bob.cli<MessageView>('send', cyd.peerId, 'goodbye')
  await delivered(bob, ada, 'cyd has left')
  for (let check = 0; check < 10; check++) {
    assert.equal(await stateOf(cyd, bob, fromCyd.id), 'queued')
    assert.equal(await stateOf(bob, cyd, toCyd.id), 'queued')
    for (const member of [ada, bob]) assert.ok(!(await connectedPeers(member)).includes(cyd.peerId), `${member.name} stays cut off from cyd`)
    await sleep(300)
  }
  assert.equal(await stateOf(bob, cyd, fromCyd.id), undefined, 'bob never received what cyd sent')
})
