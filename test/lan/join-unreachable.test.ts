// Joining with a code whose inviting desk cannot be reached, through the real CLI in network
// namespaces: the join fails with the reason's code, why in words and what to do, without waiting
// out the patience kept for a busy inviter (JOIN_PATIENCE_MS, core/workspace/join.ts). Before, both
// cases below waited two minutes and then said only that the inviting node could not be reached.
// - A desk whose firewall drops what comes in (Windows Defender Firewall does, as does a sleeping
//   desk): here the admin's namespace has a blackhole route to the joiner, so its answers are dropped.
// - A code made with an address of another network (a desk with wired and Wi-Fi, a VPN): the
//   joiner's namespace has no route to it.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { InviteView, WorkspaceView } from '../../core/api/schema.js'
import { createLan, type LanHost } from '../helpers/netns.js'
import { lanAvailable } from '../helpers/lan-requirement.js'
import { startLanDaemon } from '../helpers/lan-daemon.js'

test('a code whose inviting desk drops every packet fails with JOIN_NO_ANSWER, says why and what to do', async (t) => {
  if (!await lanAvailable(t)) return
  const lan = await createLan(t, { hosts: 2 })
  const [adminHost, joinerHost] = lan.hosts as [LanHost, LanHost]
  const ada = await startLanDaemon(t, adminHost, 'ada', ['--no-mdns'])
  await ada.cli<WorkspaceView>('workspace', 'create', 'Acme')
  const invite = await ada.cli<InviteView>('invite')
  await adminHost.exec('ip', ['route', 'add', 'blackhole', `${joinerHost.address}/32`])

  const bob = await startLanDaemon(t, joinerHost, 'bob', ['--no-mdns'])
  const startedAt = Date.now()
  const said = await bob.fails('workspace', 'join', invite.code)
  t.diagnostic(`the join failed ${Date.now() - startedAt} ms after the command started (its process's start included)`)
  assert.match(said, new RegExp(`asking the computer that made this invite, at ${adminHost.address.replaceAll('.', '\\.')}:\\d+`))
  assert.match(said, new RegExp(`causette: nothing answered at ${adminHost.address.replaceAll('.', '\\.')}:\\d+, the address in the invite code`))
  assert.match(said, /it is off or asleep, its firewall drops the connection, or it is on another network/)
  assert.match(said, /On Windows, when the firewall asks about causette on that computer, click Allow/)
  assert.match(said, /\(error JOIN_NO_ANSWER\)/)
  assert.equal((await bob.cli<WorkspaceView | null>('workspace')), null, 'bob joined nothing')
})

test('a code naming an address of a network the joiner has no route to fails with JOIN_NO_ROUTE, says why and what to do', async (t) => {
  if (!await lanAvailable(t)) return
  const office = await createLan(t, { hosts: 2 })
  const other = await createLan(t, { hosts: 1 })
  const [adminHost, joinerHost] = office.hosts as [LanHost, LanHost]
  // The admin's desk is on a second network too, and the code was made with its address there.
  const otherAddress = await other.plugIn(adminHost, 'eth1')
  const ada = await startLanDaemon(t, adminHost, 'ada', ['--no-mdns'])
  await ada.cli<WorkspaceView>('workspace', 'create', 'Acme')
  const invite = await ada.cli<InviteView>('invite', '--address', otherAddress)

  const bob = await startLanDaemon(t, joinerHost, 'bob', ['--no-mdns'])
  const startedAt = Date.now()
  const said = await bob.fails('workspace', 'join', invite.code)
  t.diagnostic(`the join failed ${Date.now() - startedAt} ms after the command started (its process's start included)`)
  assert.match(said, new RegExp(`causette: this computer has no route to ${otherAddress.replaceAll('.', '\\.')}:\\d+, the address in the invite code`))
  assert.match(said, /the two are not on the same network/)
  assert.match(said, /Connect this computer to the office network \(not the guest Wi-Fi/)
  assert.match(said, /causette invite --address <that address>/)
  assert.match(said, /\(error JOIN_NO_ROUTE\)/)
  assert.equal((await bob.cli<WorkspaceView | null>('workspace')), null, 'bob joined nothing')
})
