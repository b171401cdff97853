// Spoofed mDNS (docs/SECURITY.md, "Spoofed mDNS answers"): an attacker on the LAN answers for our
// service tag with a thousand fake PeerIds, each listing sixteen addresses of its own host (and
// addresses no LAN peer could have). Its listeners count the TCP connections each desk opens to
// them. The desks must open a bounded number, a member must ignore the fake peers altogether, and
// the real nodes must still find each other.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLan } from '../helpers/netns.js'
import { lanAvailable } from '../helpers/lan-requirement.js'
import { spawnTsx } from '../helpers/lan-process.js'
import { startMdnsNode } from '../helpers/lan-mdns-node.js'
import type { RunningNode } from '../helpers/lan-mdns-node.js'
import type { LanProcess } from '../helpers/lan-process.js'

const SPOOFER_SCRIPT = 'test/lan/fixtures/mdns-spoofer.ts'
const FAKE_PEERS = 1000
const SPOOFED_PORTS = 16
const ROUNDS = 10
/**
 * Connections one desk may open to one spoofed address while the test runs: a failed address is
 * left alone 1 s, then 2, 4... up to 30 s, whichever fake PeerId names it (about 9 tries in the
 * first two minutes). Without the budget every fake peer is dialled at every address: hundreds.
 */
const MAX_DIALS_PER_ADDRESS = 15

async function connected (node: RunningNode, other: RunningNode): Promise<void> {
  await node.process.next(`a connection to ${other.process.host.name}`, message =>
    message.event === 'connected' && message.peerId === other.peerId, 120_000)
}

async function ask (process: LanProcess, event: string): Promise<Record<string, unknown>> {
  const before = process.received.length
  process.send({ event })
  return await process.next(event, message => message.event === event && process.received.indexOf(message) >= before, 60_000)
}

test('spoofed mDNS answers make desks open a bounded number of connections, members none; real nodes still connect', async (t) => {
  if (!await lanAvailable(t)) return
  const lan = await createLan(t, { hosts: 4 })
  const [firstDesk, secondDesk, memberDesk, attackerHost] = lan.hosts
  const first = await startMdnsNode(firstDesk, t)
  const second = await startMdnsNode(secondDesk, t)
  const member = await startMdnsNode(memberDesk, t, ['--want', first.peerId, '--want', second.peerId])

  const spoofer = spawnTsx(attackerHost, SPOOFER_SCRIPT, ['--peers', String(FAKE_PEERS), '--ports', String(SPOOFED_PORTS), '--rounds', String(ROUNDS), '--address', attackerHost.address])
  t.after(async () => { await spoofer.stop('SIGTERM').catch(() => {}) })
  await spoofer.next('the spoofer to listen', message => message.event === 'listening', 60_000)
  await spoofer.next('the last round of fake answers', message => message.event === 'spoofed' && message.round === ROUNDS, 180_000)

  const nodes = [first, second, member]
  await Promise.all(nodes.flatMap(node => nodes.filter(other => other !== node).map(async other => { await connected(node, other) })))

  const byHost = (await ask(spoofer, 'counts')).byHost as Record<string, number>
  t.diagnostic(`connections to the spoofed addresses, by desk: ${JSON.stringify(byHost)}`)
  for (const desk of [first, second]) {
    const count = byHost[desk.process.host.address] ?? 0
    assert.ok(count <= SPOOFED_PORTS * MAX_DIALS_PER_ADDRESS, `${desk.process.host.name} opened ${count} connections to the spoofed addresses`)
  }
  assert.equal(byHost[memberDesk.address] ?? 0, 0, 'the member dialled a peer outside its workspace')

  const memberStats = await ask(member.process, 'stats')
  t.diagnostic(`member: ${JSON.stringify(memberStats)}`)
  assert.ok(Number(memberStats.peerStore) <= 2, `the member's peer store holds ${String(memberStats.peerStore)} peers`)
})
