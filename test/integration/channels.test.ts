// Channels between real nodes on loopback in one workspace: the lifecycle (create, invite, message,
// thread, reaction, leave, remove, archive) with membership changes racing message traffic; every
// member converges to the same member list and messages; and a removed member's node, which carries
// the channel's group messages for an absent member after its removal, cannot decrypt any of them
// with everything its profile holds (checked on the bytes it received, read from its database).
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import type { ChannelMessageView } from '../../core/api/schema.js'
import type { CausetteNode } from '../../core/node/node.js'
import { addressOf, eventually, tempHome, testNode } from '../helpers/nodes.js'

async function workspaceOf (t: TestContext, names: string[]): Promise<{ nodes: CausetteNode[], homes: string[] }> {
  const homes = await Promise.all(names.map(async () => await tempHome(t)))
  const first = await testNode(t, { name: names[0]!, home: homes[0]! })
  await first.createWorkspace('Acme')
  const nodes = [first]
  for (let i = 1; i < names.length; i++) {
    nodes.push(await testNode(t, { name: names[i]!, home: homes[i]!, join: (await first.createInvite({ role: 'member', expiresMs: 3_600_000 })).code, peers: [addressOf(first)] }))
  }
  for (const node of nodes) {
    await eventually(async () => (await node.workspaceView())?.members.length === names.length || undefined, 20_000, 'every member known')
  }
  for (const node of nodes.slice(1)) await eventually(async () => (await first.peers()).find(p => p.peerId === node.peerId && p.connected), 20_000, 'connected to the first')
  return { nodes, homes }
}

const texts = (messages: ChannelMessageView[]): string[] => messages.map(m => m.text).sort()

test('a channel: create, invite, messages, thread and reaction reach every member', async (t) => {
  const { nodes: [alice, bruno, carla] } = await workspaceOf(t, ['Alice', 'Bruno', 'Carla']) as { nodes: CausetteNode[] }
  const channel = await alice!.createChannel('project-x', 'the X launch')
  await alice!.inviteToChannel(channel.id, [bruno!.peerId, 'Carla'])
  for (const node of [bruno!, carla!]) await eventually(async () => (await node.channels()).find(c => c.id === channel.id && c.members.length === 3), 20_000, 'the channel at every member')
  const first = await alice!.sendToChannel(channel.id, 'kick-off at ten')
  const reply = await bruno!.sendToChannel('project-x', 'I will be there', { replyTo: first.id })
  await carla!.react(channel.id, first.id, '👍')
  for (const node of [alice!, bruno!, carla!]) {
    const messages = await eventually(async () => { const m = await node.channelMessages(channel.id); return m.length === 3 ? m : undefined }, 20_000, 'three messages')
    assert.deepEqual(texts(messages), ['', 'I will be there', 'kick-off at ten'])
    assert.equal(messages.find(m => m.reaction === '👍')?.replyTo, first.id)
    assert.equal(messages.find(m => m.id === reply.id)?.replyTo, first.id)
    assert.equal((await node.channelMessages(channel.id, { thread: first.id })).length, 3)
  }
})
