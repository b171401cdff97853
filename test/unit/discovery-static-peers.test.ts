// --peer addresses: real libp2p nodes on 127.0.0.1, mDNS off.
import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { createBareNode } from '../helpers/lan-bare-node.js'
import { eventually } from '../helpers/lan-wait.js'
import { InvalidStaticPeerError, parseStaticPeer } from '../../discovery/index.js'
import type { BareNode, BareNodeOptions } from '../helpers/lan-bare-node.js'

const nodes: BareNode[] = []
after(async () => { await Promise.all(nodes.map(async node => { await node.stop() })) })

async function startNode (options: Partial<BareNodeOptions> = {}): Promise<BareNode> {
  const node = await createBareNode({
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false,
    peers: [],
    staticPeers: { firstRetryMs: 50, maxRetryMs: 200 },
    ...options
  })
  nodes.push(node)
  await node.start()
  return node
}

function tcpAddress (node: BareNode): string {
  const address = node.getMultiaddrs()[0].toString()
  return address.slice(0, address.indexOf('/p2p/'))
}

function connectionCount (from: BareNode, to: BareNode): number {
  return from.getConnections(to.peerId).filter(connection => connection.status === 'open').length
}

describe('static peers', () => {
  it('connects to an address without a PeerId, learning who answered', async () => {
    const listener = await startNode()
    const dialer = await startNode({ peers: [tcpAddress(listener)] })
    await eventually('a connection to the static peer', () => connectionCount(dialer, listener) === 1)
  })

  it('connects to an address with /p2p/<id>', async () => {
    const listener = await startNode()
    const dialer = await startNode({ peers: [listener.getMultiaddrs()[0].toString()] })
    await eventually('a connection to the static peer', () => connectionCount(dialer, listener) === 1)
  })

  it('re-dials a static peer that hung up', async () => {
    const listener = await startNode()
    const dialer = await startNode({ peers: [tcpAddress(listener)] })
    const first = await eventually('the first connection', () => dialer.getConnections(listener.peerId)[0])
    // The dialler has its end before the listener finishes upgrading; hang up only once both do.
    await eventually('the listener\'s end of it', () => connectionCount(listener, dialer) === 1)
    await listener.hangUp(dialer.peerId)
    await eventually('a new connection', () => dialer.getConnections(listener.peerId).some(connection =>
      connection.id !== first.id && connection.status === 'open'))
  })

  it('keeps retrying until the peer behind the address answers', async () => {
    // First something that hangs up on every connection, then the real node on the same port.
    let attempts = 0
    const refuser = createServer(socket => { attempts += 1; socket.destroy() })
    await new Promise<void>(resolve => refuser.listen(0, '127.0.0.1', resolve))
    const { port } = refuser.address() as AddressInfo
    const dialer = await startNode({ peers: [`/ip4/127.0.0.1/tcp/${port}`] })
    await eventually('several failed dials', () => attempts >= 3)
    await new Promise(resolve => refuser.close(resolve))
    const late = await startNode({ listen: [`/ip4/127.0.0.1/tcp/${port}`] })
    await eventually('a connection once the peer is up', () => connectionCount(dialer, late) === 1)
  })

  it('rejects an address that is not a multiaddr, naming it', () => {
    assert.throws(() => parseStaticPeer('10.0.0.7:7420'), (err: unknown) =>
      err instanceof InvalidStaticPeerError && err.name === 'InvalidStaticPeerError' && err.address === '10.0.0.7:7420')
    assert.throws(() => parseStaticPeer('/ip4/10.0.0.7/tcp/7420/p2p/not-a-peer-id'), InvalidStaticPeerError)
    assert.equal(parseStaticPeer('/ip4/10.0.0.7/tcp/7420').toString(), '/ip4/10.0.0.7/tcp/7420')
  })
})
