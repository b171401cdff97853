// The LAN test, end to end as a user would do it: three real `causette start` daemons,
// each in its own network namespace on one bridge, with nothing configured (default ports, no
// --peer), find each other by mDNS and exchange messages both ways. Everything goes through the
// `causette` CLI run inside each namespace against that node's own 127.0.0.1 API.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLan } from '../helpers/netns.js'
import { lanAvailable } from '../helpers/lan-requirement.js'
import { LAN_POLL, sees, startLanDaemon, type LanDaemon } from '../helpers/lan-daemon.js'
import { eventually } from '../helpers/lan-wait.js'
import type { MessageView } from '../../core/api/schema.js'

test('three daemons with nothing configured find each other by mDNS and exchange messages both ways', async (t) => {
  if (!await lanAvailable(t)) return
  const lan = await createLan(t, { hosts: 3 })
  const startedAt = Date.now()
  const daemons = await Promise.all(lan.hosts.map(async (host, index) => await startLanDaemon(t, host, ['ada', 'bob', 'cyd'][index])))

  for (const daemon of daemons) {
    assert.ok(daemon.addresses.some(address => address.startsWith(`/ip4/${daemon.host.address}/tcp/`)), `${daemon.name} listens on its LAN address`)
  }
  await Promise.all(daemons.map(async daemon => { await sees(daemon, daemons.filter(other => other !== daemon)) }))
  t.diagnostic(`every daemon lists the two others as connected ${Date.now() - startedAt} ms after the start commands (CLI polling included)`)

  // Every ordered pair: each daemon writes to each other one, by display name.
  const sent: Array<{ from: LanDaemon, to: LanDaemon, message: MessageView }> = []
  for (const from of daemons) {
    for (const to of daemons.filter(other => other !== from)) {
      const message = await from.cli<MessageView>('send', to.name, `hello ${to.name}, from ${from.name}`)
      sent.push({ from, to, message })
    }
  }

  for (const { from, to, message } of sent) {
    const received = await eventually(`${to.name} to store the message from ${from.name}`, async () =>
      (await to.cli<MessageView[]>('messages', '--with', from.peerId)).find(candidate => candidate.id === message.id), LAN_POLL)
    assert.equal(received.text, `hello ${to.name}, from ${from.name}`)
    assert.equal(received.author, from.peerId)
    assert.equal(received.authorName, from.name)
    assert.equal(received.direction, 'in')
    assert.equal(received.verified, true, 'the author signature was verified against the pinned key')

    await eventually(`${from.name}'s copy to be marked delivered`, async () => {
      const copy = (await from.cli<MessageView[]>('messages', '--with', to.peerId)).find(candidate => candidate.id === message.id)
      return copy?.state === 'delivered' || copy?.state === 'read'
    }, LAN_POLL)
  }
})
