// Real mDNS on a real (virtual) link: bare libp2p nodes with our discovery module, each in its own
// network namespace on one bridge, started with no address of anyone, must find each other and
// connect. Prints the measured first-discovery and first-connection times.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLan } from '../helpers/netns.js'
import { lanAvailable } from '../helpers/lan-requirement.js'
import { startMdnsNode } from '../helpers/lan-mdns-node.js'
import type { RunningNode } from '../helpers/lan-mdns-node.js'
import type { LineMessage } from '../helpers/lan-process.js'


function problemCodes (node: RunningNode): string[] {
  return (node.ready.problems as Array<{ code: string }>).map(problem => problem.code)
}

async function connectedTo (node: RunningNode, other: RunningNode): Promise<LineMessage> {
  return await node.process.next(`a connection to ${other.process.host.name}`, message =>
    message.event === 'connected' && message.peerId === other.peerId)
}

function firstMs (node: RunningNode, event: string): number | undefined {
  return node.process.received.find(message => message.event === event)?.ms as number | undefined
}

async function expectFullMesh (nodes: RunningNode[]): Promise<void> {
  await Promise.all(nodes.flatMap(node => nodes.filter(other => other !== node).map(async other => await connectedTo(node, other))))
}

test('three nodes with no address configured find each other by mDNS and connect', async (t) => {
  if (!await lanAvailable(t)) return
  const lan = await createLan(t, { hosts: 3 })
  const [first, second, newcomer] = lan.hosts

  // Two nodes already on the LAN, then a third arrives: the figure that matters is how long the
  // newcomer takes to see and reach the others.
  const early = await Promise.all([startMdnsNode(first, t), startMdnsNode(second, t)])
  await expectFullMesh(early)
  const late = await startMdnsNode(newcomer, t)
  const nodes = [...early, late]
  await expectFullMesh(nodes)

  for (const node of nodes) {
    assert.deepEqual(problemCodes(node), [], `${node.process.host.name} reports discovery problems`)
    for (const message of node.process.received.filter(message => message.event === 'discovered')) {
      for (const address of message.addresses as string[]) {
        assert.ok(address.startsWith(`/ip4/${lan.subnet.split('.').slice(0, 3).join('.')}.`), `announced outside the LAN: ${address}`)
      }
    }
    t.diagnostic(`${node.process.host.name}${node === late ? ' (newcomer)' : ''}: first discovery ${firstMs(node, 'discovered')} ms, first connection ${firstMs(node, 'connected')} ms after start`)
  }
})

// multicast-dns joins the group only on interfaces that are running, and looks again every 5 s:
// a late cable costs up to that long before the first answer arrives (measured: 4-5 s).
test('a host whose cable is plugged in late finds the others once it is', async (t) => {
  if (!await lanAvailable(t)) return
  const lan = await createLan(t, { hosts: 3 })
  const unplugged = lan.hosts[2]
  await unplugged.setLink(false)
  const nodes = await Promise.all(lan.hosts.map(async host => await startMdnsNode(host, t)))
  await expectFullMesh(nodes.slice(0, 2))
  assert.equal(nodes[2].process.received.filter(message => message.event === 'connected').length, 0)

  const pluggedAt = Date.now()
  await unplugged.setLink(true)
  await expectFullMesh(nodes)
  t.diagnostic(`after the cable went in: full mesh in ${Date.now() - pluggedAt} ms`)
})

test('a host without a multicast route is told why no one is found', async (t) => {
  if (!await lanAvailable(t)) return
  const lan = await createLan(t, { hosts: 1, multicastRoute: false })
  const node = await startMdnsNode(lan.hosts[0], t)
  assert.deepEqual(problemCodes(node), ['no-multicast-route'])
})

test('where multicast does not pass, a --peer address without a PeerId connects across the LAN', async (t) => {
  if (!await lanAvailable(t)) return
  const lan = await createLan(t, { hosts: 2, multicastRoute: false })
  const [office, remote] = lan.hosts
  const listener = await startMdnsNode(office, t, ['--no-mdns'])
  const port = (listener.ready.addresses as string[]).map(address => /\/tcp\/(\d+)\//.exec(address)?.[1]).find(Boolean)
  const dialer = await startMdnsNode(remote, t, ['--no-mdns', '--peer', `/ip4/${office.address}/tcp/${String(port)}`])
  const connection = await connectedTo(dialer, listener)
  assert.equal(connection.direction, 'outbound')
  assert.ok(String(connection.remoteAddress).startsWith(`/ip4/${office.address}/tcp/${String(port)}`))
  assert.deepEqual(problemCodes(listener), ['no-discovery-configured'])
  assert.deepEqual(problemCodes(dialer), [])
})
