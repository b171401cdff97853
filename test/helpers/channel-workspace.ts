// A workspace of real nodes on loopback for the channel tests: the first creates it, the others
// join with an invite, and every node knows every member and is connected to the first.
import type { TestContext } from 'node:test'
import type { CausetteNode } from '../../core/node/node.js'
import { addressOf, eventually, tempHome, testNode, type TestNodeOptions } from './nodes.js'

/** `clocks`: a node's clock by its index, for one that runs wrong (default Date.now). */
/** `clocks` and `extra` (more options) by the node's index in `names`. */
export async function workspaceOf (t: TestContext, names: string[], clocks: Record<number, () => number> = {}, extra: Record<number, TestNodeOptions> = {}): Promise<{ nodes: CausetteNode[], homes: string[] }> {
  const homes = await Promise.all(names.map(async () => await tempHome(t)))
  const clock = (i: number): TestNodeOptions => ({ ...extra[i], ...clocks[i] !== undefined ? { now: clocks[i] } : {} })
  const first = await testNode(t, { name: names[0]!, home: homes[0]!, ...clock(0) })
  await first.createWorkspace('Acme')
  const nodes = [first]
  for (let i = 1; i < names.length; i++) {
    nodes.push(await testNode(t, { name: names[i]!, home: homes[i]!, join: (await first.createInvite({ role: 'member', expiresMs: 3_600_000 })).code, peers: [addressOf(first)], ...clock(i) }))
  }
  for (const node of nodes) {
    await eventually(async () => (await node.workspaceView())?.members.length === names.length || undefined, 20_000, 'every member known')
  }
  for (const node of nodes.slice(1)) await eventually(async () => (await first.peers()).find(p => p.peerId === node.peerId && p.connected), 20_000, 'connected to the first')
  return { nodes, homes }
}
