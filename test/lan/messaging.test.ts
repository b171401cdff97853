// The LAN test, end to end as a user would do it: three real `causette start` daemons,
// each in its own network namespace on one bridge, with nothing configured (default ports, no
// --peer), find each other by mDNS and exchange messages both ways. Everything goes through the
// `causette` CLI run inside each namespace against that node's own 127.0.0.1 API.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLan } from '../helpers/netns.js'
import { lanAvailable } from '../helpers/lan-requirement.js'
import { execTsx, spawnTsx } from '../helpers/lan-process.js'
import { eventually } from '../helpers/lan-wait.js'
import { tempHome } from '../helpers/nodes.js'
import type { TestContext } from 'node:test'
import type { MessageView, PeerView } from '../../core/api/schema.js'
import type { LanHost } from '../helpers/netns.js'

const CLI = 'core/cli/main.ts'
// Each CLI call is a new Node process: poll gently.
const POLL = { timeoutMs: 30_000, pollMs: 300 }

interface Daemon {
  host: LanHost
  home: string
  name: string
  peerId: string
  addresses: string[]
  cli: <T>(...args: string[]) => Promise<T>
}

async function startDaemon (t: TestContext, host: LanHost, name: string): Promise<Daemon> {
  const home = await tempHome(t, `causette-lan-${name}-`)
  const process = spawnTsx(host, CLI, ['start', '--home', home, '--name', name, '--json'])
  const started = await process.next(`${name}'s daemon to start`, line => typeof line.peerId === 'string')
  const cli = async <T>(...args: string[]): Promise<T> => JSON.parse(await execTsx(host, CLI, [...args, '--home', home, '--json'])) as T
  return { host, home, name, peerId: String(started.peerId), addresses: started.addresses as string[], cli }
}

async function sees (daemon: Daemon, others: Daemon[]): Promise<void> {
  await eventually(`${daemon.name} to be connected to ${others.map(other => other.name).join(' and ')}`, async () => {
    const peers = await daemon.cli<PeerView[]>('peers')
    return others.every(other => peers.some(peer => peer.peerId === other.peerId && peer.connected && peer.name === other.name))
  }, POLL)
}

test('three daemons with nothing configured find each other by mDNS and exchange messages both ways', async (t) => {
  if (!await lanAvailable(t)) return
  const lan = await createLan(t, { hosts: 3 })
  const startedAt = Date.now()
  const daemons = await Promise.all(lan.hosts.map(async (host, index) => await startDaemon(t, host, ['ada', 'bob', 'cyd'][index])))

  for (const daemon of daemons) {
    assert.ok(daemon.addresses.some(address => address.startsWith(`/ip4/${daemon.host.address}/tcp/`)), `${daemon.name} listens on its LAN address`)
  }
  await Promise.all(daemons.map(async daemon => { await sees(daemon, daemons.filter(other => other !== daemon)) }))
  t.diagnostic(`every daemon lists the two others as connected ${Date.now() - startedAt} ms after the start commands (CLI polling included)`)

  // Every ordered pair: each daemon writes to each other one, by display name.
  const sent: Array<{ from: Daemon, to: Daemon, message: MessageView }> = []
  for (const from of daemons) {
    for (const to of daemons.filter(other => other !== from)) {
      const message = await from.cli<MessageView>('send', to.name, `hello ${to.name}, from ${from.name}`)
      sent.push({ from, to, message })
    }
  }

  for (const { from, to, message } of sent) {
    const received = await eventually(`${to.name} to store the message from ${from.name}`, async () =>
      (await to.cli<MessageView[]>('messages', '--with', from.peerId)).find(candidate => candidate.id === message.id), POLL)
    assert.equal(received.text, `hello ${to.name}, from ${from.name}`)
    assert.equal(received.author, from.peerId)
    assert.equal(received.authorName, from.name)
    assert.equal(received.direction, 'in')
    assert.equal(received.verified, true, 'the author signature was verified against the pinned key')

    await eventually(`${from.name}'s copy to be marked delivered`, async () => {
      const copy = (await from.cli<MessageView[]>('messages', '--with', to.peerId)).find(candidate => candidate.id === message.id)
      return copy?.state === 'delivered' || copy?.state === 'read'
    }, POLL)
  }
})
