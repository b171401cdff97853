// Peer exchange between real nodes on loopback, mDNS off (DESIGN.md §10): desks that were each given
// one colleague's address only come to be connected to every member, and write to each other
// directly; a desk that is not a member learns nothing from them.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { eventually, waitForEvent } from '../helpers/nodes.js'

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
