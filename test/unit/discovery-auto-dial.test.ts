// Dialling on discovery: real libp2p nodes on 127.0.0.1, mDNS off, sightings made by hand.
import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { TypedEventEmitter } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { createBareNode } from '../helpers/lan-bare-node.js'
import { underLoad } from '../helpers/deadline.js'
import { eventually } from '../helpers/lan-wait.js'
import type { AddressInfo } from 'node:net'
import type { PeerDiscoveryEvents } from '@libp2p/interface'
import type { BareNode } from '../helpers/lan-bare-node.js'

// Long enough that the smaller side's loopback dial always lands first, even on a loaded CI machine.
const GRACE_MS = 1_500
const nodes: BareNode[] = []
after(async () => { await Promise.all(nodes.map(async node => { await node.stop() })) })

interface SightedNode {
  node: BareNode
  /** Reports `other` to this node's auto-dialer, as an mDNS answer would; `at` overrides its addresses. */
  sees: (other: BareNode, at?: string[]) => void
}

async function startNode (graceMs = GRACE_MS): Promise<SightedNode> {
  const sightings = new TypedEventEmitter<PeerDiscoveryEvents>()
  const node = await createBareNode({
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false,
    peers: [],
    sightings: [sightings],
    autoDial: { graceMs, firstRetryMs: 20, maxRetryMs: 100 }
  })
  nodes.push(node)
  await node.start()
  const sees = (other: BareNode, at?: string[]): void => {
    const multiaddrs = at?.map(address => multiaddr(address)) ?? other.getMultiaddrs()
    sightings.safeDispatchEvent('peer', { detail: { id: other.peerId, multiaddrs } })
  }
  return { node, sees }
}

/** Two nodes, the one with the smaller PeerId first. */
async function startPair (graceMs = GRACE_MS): Promise<[SightedNode, SightedNode]> {
  const a = await startNode(graceMs)
  const b = await startNode(graceMs)
  return a.node.peerId.toString() < b.node.peerId.toString() ? [a, b] : [b, a]
}

function openConnections (from: BareNode, to: BareNode) {
  return from.getConnections(to.peerId).filter(connection => connection.status === 'open')
}

describe('auto-dial', () => {
  it('dials a peer first reported through libp2p peer:discovery', async () => {
    const [smaller, larger] = await startPair()
    await smaller.node.peerStore.merge(larger.node.peerId, { multiaddrs: larger.node.getMultiaddrs() })
    await eventually('a connection', () => openConnections(smaller.node, larger.node).length === 1)
  })

  it('makes one connection when both sides see each other: the smaller PeerId dials', async () => {
    // The smaller side's dial must be done within the larger side's grace (else both dialling is
    // right): a grace long enough for a handshake on a loaded machine.
    const graceMs = underLoad(GRACE_MS)
    const [smaller, larger] = await startPair(graceMs)
    smaller.sees(larger.node)
    larger.sees(smaller.node)
    const [connection] = await eventually('a connection', () => {
      const open = openConnections(smaller.node, larger.node)
      return open.length > 0 && open
    })
    assert.equal(connection.direction, 'outbound')
    // Past the larger side's grace delay it must have found the connection and not dialled again.
    await sleep(graceMs + 1_000)
    assert.equal(openConnections(smaller.node, larger.node).length, 1)
    assert.equal(openConnections(larger.node, smaller.node).length, 1)
  })

  it('connects when only the larger PeerId sees the other, after its grace delay', async () => {
    const [smaller, larger] = await startPair()
    larger.sees(smaller.node)
    const [connection] = await eventually('a connection', () => {
      const open = openConnections(larger.node, smaller.node)
      return open.length > 0 && open
    })
    assert.equal(connection.direction, 'outbound')
  })

  it('retries a failed dial when the peer is seen again', async () => {
    const [smaller, larger] = await startPair()
    // The first sighting gives only a closed port, so its dial fails; any connection comes from a retry.
    smaller.sees(larger.node, ['/ip4/127.0.0.1/tcp/1'])
    await eventually('a connection after later sightings', () => {
      smaller.sees(larger.node)
      return openConnections(smaller.node, larger.node).length === 1
    })
  })

  it('retries a failed dial on its own, without waiting for another sighting', async () => {
    const [smaller, larger] = await startPair()
    // The one address given first hangs up on every connection, then forwards to the real node.
    let refusals = 0
    let forward = false
    const realPort = Number(larger.node.getMultiaddrs()[0].getComponents().find(component => component.name === 'tcp')?.value)
    const gate = createServer(socket => {
      if (!forward) { refusals += 1; socket.destroy(); return }
      const upstream = connect(realPort, '127.0.0.1')
      socket.pipe(upstream).pipe(socket)
      socket.on('error', () => upstream.destroy())
      upstream.on('error', () => socket.destroy())
    })
    await new Promise<void>(resolve => gate.listen(0, '127.0.0.1', resolve))
    after(() => { gate.close() })
    smaller.sees(larger.node, [`/ip4/127.0.0.1/tcp/${(gate.address() as AddressInfo).port}`])
    await eventually('two failed dials', () => refusals >= 2)
    forward = true
    await eventually('a connection through the now open address', () => openConnections(smaller.node, larger.node).length === 1)
  })

  it('re-dials a peer that disconnected, without waiting for it to be seen again', async () => {
    const [smaller, larger] = await startPair()
    smaller.sees(larger.node)
    const first = await eventually('the first connection', () => openConnections(smaller.node, larger.node)[0])
    // The dialler has its end before the listener finishes upgrading; hang up only once both do.
    await eventually('the listener\'s end of it', () => openConnections(larger.node, smaller.node).length === 1)
    await larger.node.hangUp(smaller.node.peerId)
    // Under a flood of inbound connections the peer's own way back may be refused; ours out is not.
    const second = await eventually('a new connection', () => openConnections(smaller.node, larger.node).find(connection => connection.id !== first.id))
    assert.notEqual(second.id, first.id)
  })
})
