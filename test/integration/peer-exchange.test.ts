// Finding colleagues without mDNS, between real nodes on loopback (DESIGN.md §10): desks that were
// each given one colleague's address only come to be connected to every member (peer exchange) and
// write to each other directly; a desk restarted with no address given dials its colleagues where
// it met them before; a list that does not parse counts against its sender, and the node carries on.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PEERS_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { PeerList } from '../../core/protocol/wire.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { eventually, testNode, waitForEvent, waitForPeer } from '../helpers/nodes.js'
import { rawPeer } from '../helpers/raw-peer.js'

test('desks given only the first one\'s address come to be connected to every member, and write directly', async (t) => {
  const { nodes: [alice, bruno, carla, dora] } = await workspaceOf(t, ['alice', 'bruno', 'carla', 'dora'])
  for (const [node, others] of [[bruno!, [carla!, dora!]], [carla!, [bruno!, dora!]], [dora!, [bruno!, carla!]]] as const) {
    for (const other of others) {
      await eventually(async () => (await node.peers()).find(peer => peer.peerId === other.peerId && peer.connected), 20_000, `${other.peerId.slice(-6)} connected at ${node.peerId.slice(-6)}`)
    }
  }
  // The first desk stops: the others still reach each other.
  await alice!.stop()
  const sent = await bruno!.send(carla!.peerId, 'straight to you')
  await waitForEvent(bruno!, frame => frame.event.type === 'message-state' && frame.event.id === sent.id && frame.event.state === 'delivered')
  assert.ok((await carla!.messages({ with: bruno!.peerId, limit: 10 })).some(message => message.id === sent.id))
})

test('a desk restarted with no address given dials its colleagues where it met them', async (t) => {
  const { nodes: [alice, bruno, carla], homes } = await workspaceOf(t, ['alice', 'bruno', 'carla'])
  await waitForPeer(carla!, bruno!.peerId)
  await carla!.stop()
  const again = await testNode(t, { name: 'carla', home: homes[2]! })
  await waitForPeer(again, alice!.peerId)
  await waitForPeer(again, bruno!.peerId)
})

test('a peer list that does not parse is refused and counts against its sender; the node carries on', async (t) => {
  const node = await testNode(t, { name: 'alice' })
  const peer = await rawPeer(t)
  const garbage = [
    PeerList.encode({ peers: [{ peerId: 'not a PeerId', addresses: [] }] }),
    PeerList.encode({ peers: [{ peerId: peer.libp2p.peerId.toString(), addresses: [new Uint8Array([0xff, 0xff, 0xff])] }] }),
    new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])
  ]
  for (const frame of garbage) {
    const strikes = node.limits.counts.strikes
    const stream = await peer.open(node, PEERS_PROTOCOL)
    await stream.send(frame)
    await eventually(() => node.limits.counts.strikes > strikes || undefined, 20_000, 'the refusal counted')
  }
  const status = await node.status()
  assert.equal(status.peerId, node.peerId)
})
