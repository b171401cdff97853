// Delivery through a carrier: Alice and Bruno share a workspace but no connection; Carla is
// connected to both and carries Alice's sealed messages to Bruno and Bruno's signed receipts back.
// Three nodes in this process (one core for all three); the baseline is Alice writing to Carla
// directly, in the same process and run.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EventFrame } from '../core/api/schema.js'
import { startNode, type CausetteNode } from '../core/node/node.js'
import { latency, round, timeEach, type Latency } from './stats.js'

const TEXT = 'x'.repeat(100)

export interface CarriedFigures {
  /** From send to the message stored by the recipient, and to the sender seeing it delivered. */
  direct: { stored: Latency, delivered: Latency, perSecond: number }
  carried: { stored: Latency, delivered: Latency, perSecond: number }
}

/** Resolves when `node` emits an event matching `match`, checked for every event from now on. */
function watch (node: CausetteNode): (match: (frame: EventFrame) => boolean) => Promise<void> {
  const waiting = new Set<{ match: (frame: EventFrame) => boolean, resolve: () => void }>()
  node.events.subscribe(undefined, frame => {
    for (const w of waiting) if (w.match(frame)) { waiting.delete(w); w.resolve() }
  })
  return async match => { await new Promise<void>(resolve => { waiting.add({ match, resolve }) }) }
}

async function until (check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('bench setup timed out')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

async function measure (from: CausetteNode, to: CausetteNode, messages: number, roundTrips: number): Promise<CarriedFigures['direct']> {
  const atRecipient = watch(to)
  const atSender = watch(from)
  const stored: number[] = []
  const delivered = await timeEach(roundTrips, async () => {
    const start = performance.now()
    const stateSeen = (id: string) => (f: EventFrame) => f.event.type === 'message-state' && f.event.id === id && f.event.state === 'delivered'
    let id = ''
    const arrived = atRecipient(f => f.event.type === 'message' && f.event.message.id === id).then(() => { stored.push(performance.now() - start) })
    id = (await from.send(to.peerId, TEXT)).id
    await Promise.all([arrived, atSender(stateSeen(id))])
  })
  const start = performance.now()
  const ids = new Set<string>()
  const all = atSender(f => f.event.type === 'message-state' && f.event.state === 'delivered' && ids.delete(f.event.id) && ids.size === 0)
  // As many sends in flight as a busy UI and CLI would make, as in bench/messaging.ts.
  let next = 0
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next++ < messages) ids.add((await from.send(to.peerId, TEXT)).id)
  }))
  await all
  return { stored: latency(stored), delivered: latency(delivered), perSecond: round(messages / ((performance.now() - start) / 1000)) }
}

export async function benchCarried (options: { messages?: number, roundTrips?: number, log?: (line: string) => void } = {}): Promise<CarriedFigures> {
  const homes = await Promise.all(['alice', 'bruno', 'carla'].map(async name => await mkdtemp(join(tmpdir(), `causette-bench-${name}-`))))
  const nodes: CausetteNode[] = []
  try {
    const start = async (i: number, name: string, more: object = {}): Promise<CausetteNode> => {
      const node = await startNode({ home: homes[i]!, name, port: 0, listenHost: '127.0.0.1', mdns: false, ...more })
      nodes.push(node)
      return node
    }
    const alice = await start(0, 'Alice')
    await alice.createWorkspace('Bench')
    const loopback = (node: CausetteNode): string => node.addresses().find(a => a.includes('/127.0.0.1/'))!
    const carla = await start(2, 'Carla', { join: (await alice.createInvite({ role: 'admin', expiresMs: 600_000 })).code, peers: [loopback(alice)] })
    // Bruno joins through Carla and is only ever connected to her: Alice learns his keys from the log.
    const bruno = await start(1, 'Bruno', { join: (await carla.createInvite({ role: 'member', expiresMs: 600_000 })).code, peers: [loopback(carla)] })
    await until(async () => (await alice.peers()).some(p => p.peerId === bruno.peerId) && (await bruno.peers()).some(p => p.peerId === alice.peerId && !p.connected))
    options.log?.('carrier bench: Alice and Bruno know each other from the membership log, Carla connects them')
    const direct = await measure(alice, carla, options.messages ?? 2_000, options.roundTrips ?? 200)
    const carried = await measure(alice, bruno, options.messages ?? 2_000, options.roundTrips ?? 200)
    if ((await alice.peers()).some(p => p.peerId === bruno.peerId && p.connected)) throw new Error('Alice and Bruno connected directly: the carrier bench measured the wrong path')
    return { direct, carried }
  } finally {
    for (const node of nodes.reverse()) await node.stop()
    await Promise.all(homes.map(async home => await rm(home, { recursive: true, force: true })))
  }
}
