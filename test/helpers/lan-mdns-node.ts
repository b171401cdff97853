// Starts test/lan/fixtures/mdns-node.ts (a bare libp2p node with our discovery module) inside a LAN
// host, stopped at the test's end: what the mDNS tests run on each desk.
import { spawnTsx } from './lan-process.js'
import type { TestContext } from 'node:test'
import type { LanHost } from './netns.js'
import type { LanProcess, LineMessage } from './lan-process.js'

const NODE_SCRIPT = 'test/lan/fixtures/mdns-node.ts'

export interface RunningNode {
  process: LanProcess
  peerId: string
  ready: LineMessage
}

export async function startMdnsNode (host: LanHost, t: TestContext, args: string[] = []): Promise<RunningNode> {
  const process = spawnTsx(host, NODE_SCRIPT, args)
  t.after(async () => {
    process.send({ event: 'stop' })
    await process.next('stopped', message => message.event === 'stopped').catch(() => {})
  })
  const ready = await process.next('the node to start', message => message.event === 'ready')
  return { process, peerId: String(ready.peerId), ready }
}
