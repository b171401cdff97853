// A channel of 100 members (issue 7, item 6): the author and its colleagues as nodes in this process
// on loopback (mDNS off), each member connected to the author only. Figures: the time from `send`
// until the last member has stored the message, and the author's cost per message (signing,
// encrypting once with its sender key and queueing the same bytes for every member, durably), beside
// the same text sent 1:1 to each member (a Double Ratchet message per member); and the time until the
// author knows every member has it (its record shows each member delivered, from their acks). The
// first channel message also hands the author's sender key to every member over the pairwise sessions.
// Run alone: `node --import tsx bench/channel.ts [members]`.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { startNode, type CausetteNode } from '../core/node/node.js'
import { latency, round, type Latency } from './stats.js'

const TEXT = 'x'.repeat(100)

export interface ChannelFigures {
  members: number
  setupSeconds: number
  rssMB: number
  /** The first message: the author's sender key goes to every member with it. */
  firstMessage: { authorMs: number, lastMemberMs: number }
  /** Later messages, one at a time. */
  channel: Figures
  /** The same text sent 1:1 to every member, one round per message. */
  oneToOne: Figures
}

interface Figures { authorMs: Latency, lastMemberMs: Latency, authorKnowsMs: Latency }
interface Run { authorMs: number, lastMemberMs: number, authorKnowsMs: number }

/** Resolves once each message id waited for was stored by `copies` of the nodes (all for a channel message, one for a 1:1). */
function arrivals (nodes: CausetteNode[]): (ids: string[], copies: number) => Promise<void> {
  const seen = new Map<string, number>()
  let waiting: { ids: Set<string>, copies: number, resolve: () => void } | undefined
  const check = (): void => {
    if (waiting === undefined) return
    for (const id of waiting.ids) if ((seen.get(id) ?? 0) >= waiting.copies) waiting.ids.delete(id)
    if (waiting.ids.size === 0) { const w = waiting; waiting = undefined; w.resolve() }
  }
  for (const node of nodes) {
    node.events.subscribe(undefined, ({ event }) => {
      const id = event.type === 'channel-message' ? event.message.id : event.type === 'message' && event.message.direction === 'in' ? event.message.id : undefined
      if (id === undefined) return
      seen.set(id, (seen.get(id) ?? 0) + 1)
      check()
    })
  }
  return async (ids, copies) => {
    await new Promise<void>(resolve => { waiting = { ids: new Set(ids), copies, resolve }; check() })
  }
}

/** Resolves once the author's records show each message id delivered to every member it went to. */
function acknowledged (author: CausetteNode): (ids: string[]) => Promise<void> {
  const done = new Set<string>()
  let waiting: { ids: Set<string>, resolve: () => void } | undefined
  const check = (): void => {
    if (waiting === undefined) return
    for (const id of waiting.ids) if (done.has(id)) waiting.ids.delete(id)
    if (waiting.ids.size === 0) { const w = waiting; waiting = undefined; w.resolve() }
  }
  author.events.subscribe(undefined, ({ event }) => {
    if (event.type === 'channel-message-state' && event.delivery.delivered === event.delivery.members) done.add(event.id)
    else if (event.type === 'message-state' && (event.state === 'delivered' || event.state === 'read')) done.add(event.id)
    else return
    check()
  })
  return async ids => {
    await new Promise<void>(resolve => { waiting = { ids: new Set(ids), resolve }; check() })
  }
}

async function until (what: string, check: () => Promise<boolean>, ms = 300_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench setup timed out: ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

/** Sends one message and times the author's part, the arrival at the last member, and the author learning it. */
async function timed (send: () => Promise<string[]>, arrived: (ids: string[]) => Promise<void>, known: (ids: string[]) => Promise<void>): Promise<Run> {
  const start = performance.now()
  // Arrivals before `send` resolves are counted too (the trackers keep every id they saw).
  const ids = await send()
  const authorMs = performance.now() - start
  await arrived(ids)
  const lastMemberMs = performance.now() - start
  await known(ids)
  return { authorMs, lastMemberMs, authorKnowsMs: performance.now() - start }
}

export async function benchChannel (options: { members?: number, messages?: number, log?: (line: string) => void } = {}): Promise<ChannelFigures> {
  const total = options.members ?? 100
  const messages = options.messages ?? 20
  const log = options.log ?? (() => {})
  const homes: string[] = []
  const nodes: CausetteNode[] = []
  const started = performance.now()
  const home = async (): Promise<string> => { const h = await mkdtemp(join(tmpdir(), 'causette-bench-channel-')); homes.push(h); return h }
  try {
    const author = await startNode({ home: await home(), name: 'author', port: 0, listenHost: '127.0.0.1', mdns: false })
    nodes.push(author)
    await author.createWorkspace('Bench')
    const address = author.addresses().find(a => a.includes('/127.0.0.1/'))!
    // Members join in small groups: each join is a round trip to the author, tried again if the
    // author's per-host connection limits (all members are on 127.0.0.1 here) turn it away.
    const join = async (name: string): Promise<CausetteNode> => {
      const profile = await home()
      for (let attempt = 1; ; attempt++) {
        const code = (await author.createInvite({ role: 'member', expiresMs: 3_600_000 })).code
        try {
          return await startNode({ home: profile, name, port: 0, listenHost: '127.0.0.1', mdns: false, join: code, peers: [address] })
        } catch (error) {
          if (attempt >= 10) throw error
          await new Promise(resolve => setTimeout(resolve, 500 * attempt))
        }
      }
    }
    for (let i = 1; i < total; i += 3) {
      const group = await Promise.all(Array.from({ length: Math.min(3, total - i) }, async (_, k) => await join(`member-${i + k}`)))
      nodes.push(...group)
      log(`  channel bench: ${nodes.length} of ${total} nodes`)
    }
    const members = nodes.slice(1)
    await until('the author connected to every member', async () => (await author.peers()).filter(p => p.connected).length >= members.length)
    const channel = (await author.createChannel('bench', 'a channel of every member')).id
    await author.inviteToChannel(channel, members.map(m => m.peerId))
    await until('every member holding the channel', async () => (await Promise.all(members.map(async m => await m.channel(channel).then(c => c.members.length === total, () => false)))).every(Boolean))
    const setupSeconds = round((performance.now() - started) / 1000, 1)
    log(`  channel bench: ${total} members in the channel after ${setupSeconds} s`)

    const tracker = arrivals(members)
    const known = acknowledged(author)
    const atEveryMember = async (ids: string[]): Promise<void> => { await tracker(ids, members.length) }
    const firstMessage = await timed(async () => [(await author.sendToChannel(channel, TEXT)).id], atEveryMember, known)
    const channelRuns: Run[] = []
    for (let i = 0; i < messages; i++) channelRuns.push(await timed(async () => [(await author.sendToChannel(channel, TEXT)).id], atEveryMember, known))
    // 1:1 to every member: the first round starts the pairwise sessions' chains, as the first channel message does.
    const oneToOneRuns: Run[] = []
    for (let i = 0; i <= messages; i++) {
      const run = await timed(async () => await Promise.all(members.map(async m => (await author.send(m.peerId, TEXT)).id)), async ids => { await tracker(ids, 1) }, known)
      if (i > 0) oneToOneRuns.push(run)
    }
    const figures = (runs: Run[]): Figures => ({ authorMs: latency(runs.map(r => r.authorMs)), lastMemberMs: latency(runs.map(r => r.lastMemberMs)), authorKnowsMs: latency(runs.map(r => r.authorKnowsMs)) })
    return {
      members: total,
      setupSeconds,
      rssMB: Math.round(process.memoryUsage().rss / 1024 / 1024),
      firstMessage: { authorMs: round(firstMessage.authorMs, 1), lastMemberMs: round(firstMessage.lastMemberMs, 1) },
      channel: figures(channelRuns),
      oneToOne: figures(oneToOneRuns)
    }
  } finally {
    await Promise.allSettled(nodes.map(async n => { await n.stop() }))
    await Promise.allSettled(homes.map(async h => { await rm(h, { recursive: true, force: true }) }))
  }
}

export function printChannelFigures (f: ChannelFigures, out: (line: string) => void = console.log): void {
  out(`\na channel of ${f.members} members, nodes in this process, each connected to the author only (${f.rssMB} MB RSS)   author ms p50/p99   last member ms p50/p99   author knows ms p50/p99`)
  const row = (name: string, r: Figures): string =>
    `${name.padEnd(72)} ${r.authorMs.p50Ms.toFixed(1).padStart(7)} ${r.authorMs.p99Ms.toFixed(1).padStart(7)} ${r.lastMemberMs.p50Ms.toFixed(1).padStart(9)} ${r.lastMemberMs.p99Ms.toFixed(1).padStart(9)} ${r.authorKnowsMs.p50Ms.toFixed(1).padStart(9)} ${r.authorKnowsMs.p99Ms.toFixed(1).padStart(9)}`
  out(`${'first channel message (with the sender key to every member)'.padEnd(72)} ${f.firstMessage.authorMs.toFixed(1).padStart(7)} ${''.padStart(7)} ${f.firstMessage.lastMemberMs.toFixed(1).padStart(9)}`)
  out(row('channel message (one group message, the same bytes to every member)', f.channel))
  out(row(`the same text 1:1 to each of the ${f.members - 1} members`, f.oneToOne))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchChannel({ members: Number(process.argv[2] ?? 100), log: line => { process.stderr.write(line + '\n') } })
  printChannelFigures(figures)
  console.log(JSON.stringify(figures))
}
