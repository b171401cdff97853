// The LAN test for joining in two clicks, through the real CLI in network namespaces on one
// bridge, with real mDNS: four desks start with no workspace and find each other; one creates a
// workspace and admits the three others, each with the 6-digit code read on both sides; no
// connection between any two desks drops meanwhile.
//
// How "no connection drops" is checked: `causette connections` lists each desk's open libp2p
// connections with their ids. A closed connection never comes back under the same id (a reconnect
// gets a new one), so every id listed before the workspace is created must still be listed once all
// three are admitted, on every desk: any close in between, however brief, fails the test.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLan, type LanHost } from '../helpers/netns.js'
import { lanAvailable } from '../helpers/lan-requirement.js'
import { LAN_POLL, startLanDaemon, type LanDaemon } from '../helpers/lan-daemon.js'
import { eventually } from '../helpers/lan-wait.js'
import type { AdmissionView, ConnectionView, JoinRequestView, MessageView, WorkspaceView } from '../../core/api/schema.js'

const connectionsOf = async (daemon: LanDaemon): Promise<ConnectionView[]> => await daemon.cli<ConnectionView[]>('connections')

async function admit (admin: LanDaemon, desk: LanDaemon): Promise<void> {
  await eventually(`${admin.name} to list ${desk.name} as wanting to join`, async () =>
    (await admin.cli<AdmissionView>('workspace', 'requests')).requests.some(r => r.peerId === desk.peerId && r.name === desk.name), LAN_POLL)
  const started = await admin.cli<JoinRequestView>('workspace', 'admit', desk.peerId)
  const offer = await eventually(`${desk.name} to show the code`, async () =>
    (await desk.cli<AdmissionView>('workspace', 'requests')).offers.find(o => o.peerId === admin.peerId && o.code !== undefined), LAN_POLL)
  assert.equal(offer.code, started.code, `${desk.name} and ${admin.name} read the same code`)
  await desk.cli('workspace', 'accept', admin.peerId, '--code', offer.code!)
  await admin.cli('workspace', 'admit', desk.peerId, '--code', started.code!)
  await eventually(`${desk.name} to be in the workspace`, async () => (await desk.cli<WorkspaceView | null>('workspace'))?.role === 'member', LAN_POLL)
}

test('an admin admits three desks found by mDNS, comparing the code with each; no connection between any two desks drops', async (t) => {
  if (!await lanAvailable(t)) return
  const lan = await createLan(t, { hosts: 4 })
  const hosts = lan.hosts as [LanHost, LanHost, LanHost, LanHost]
  const desks = await Promise.all(['ada', 'bob', 'cyd', 'dan'].map(async (name, i) => await startLanDaemon(t, hosts[i]!, name)))
  const [ada, bob, cyd, dan] = desks as [LanDaemon, LanDaemon, LanDaemon, LanDaemon]

  // No workspace yet: everyone finds everyone by mDNS and connects.
  for (const desk of desks) {
    await eventually(`${desk.name} connected to the three others`, async () => new Set((await connectionsOf(desk)).map(c => c.peerId)).size === 3, LAN_POLL)
  }
  const before = await Promise.all(desks.map(connectionsOf))

  const created = await ada.cli<WorkspaceView>('workspace', 'create', 'Acme')
  assert.equal(created.role, 'admin')
  for (const desk of [bob, cyd, dan]) await admit(ada, desk)

  for (const desk of desks) {
    await eventually(`${desk.name} to know the four members`, async () => (await desk.cli<WorkspaceView>('workspace')).members.length === 4, LAN_POLL)
  }
  for (const [i, desk] of desks.entries()) {
    const open = new Set((await connectionsOf(desk)).map(c => c.id))
    const dropped = before[i]!.filter(c => !open.has(c.id))
    assert.deepEqual(dropped, [], `${desk.name}'s connections open before the workspace are all open after it`)
  }
  t.diagnostic(`${before.flat().length} connection ends kept through the three admissions`)

  // And the newcomers talk to each other over them.
  const message = await bob.cli<MessageView>('send', dan.peerId, 'hello dan, from bob')
  await eventually('dan to receive bob\'s message', async () =>
    (await dan.cli<MessageView[]>('messages', '--with', bob.peerId)).some(m => m.id === message.id), LAN_POLL)
})
