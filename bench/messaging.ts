// causette messages between two nodes, the receiver in its own process: round trip from `send` to
// the "delivered" event (signed, sent, verified, stored durably and acknowledged by the peer), and
// throughput of messages sent back to back until the last is delivered. Then the same through the
// local HTTP API, to show what the API layer costs.
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startApiServer } from '../core/api/server.js'
import { startNode, type CausetteNode } from '../core/node/node.js'
import type { BenchSizes, TransportFigures } from './baselines.js'
import { startPeer } from './peer.js'
import { latency, timeEach } from './stats.js'

const TEXT = 'x'.repeat(100)

/** Resolves when every id in `ids` is delivered (also those delivered before the call). */
function deliveries (node: CausetteNode): { waitFor: (ids: Iterable<string>) => Promise<void> } {
  const delivered = new Set<string>()
  let waiting: { ids: Set<string>, resolve: () => void } | undefined
  node.events.subscribe(undefined, ({ event }) => {
    if (event.type !== 'message-state' || event.state !== 'delivered') return
    delivered.add(event.id)
    if (waiting?.ids.delete(event.id) === true && waiting.ids.size === 0) waiting.resolve()
  })
  return {
    waitFor: async (ids) => {
      const missing = new Set([...ids].filter(id => !delivered.has(id)))
      if (missing.size === 0) return
      await new Promise<void>(resolve => { waiting = { ids: missing, resolve } })
    }
  }
}

/** A throughput row with the CPU time both ends spent per message: the figure a busy machine disturbs least. */
export interface MessagingFigures extends TransportFigures { cpuMicrosPerMessage: number }

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100

/** CPU time (user + system, every thread) of this process and of `pid`, in µs; the peer's read from /proc (Linux). */
function cpuMicrosOfBoth (pid: number): number {
  const own = process.cpuUsage()
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return own.user + own.system + (Number(fields[11]) + Number(fields[12])) * 1_000_000 / TICKS_PER_SECOND
}

async function measure (send: () => Promise<string>, waitFor: (ids: Iterable<string>) => Promise<void>, sizes: BenchSizes, concurrency: number, cpu: () => number): Promise<MessagingFigures> {
  const samples = await timeEach(sizes.roundTrips, async () => { await waitFor([await send()]) })
  const start = performance.now()
  const cpuBefore = cpu()
  const ids: string[] = []
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < sizes.throughputMessages) ids.push(await send())
  }))
  await waitFor(ids)
  return {
    ...latency(samples),
    perSecond: Math.round(sizes.throughputMessages / ((performance.now() - start) / 1000)),
    cpuMicrosPerMessage: Math.round((cpu() - cpuBefore) / sizes.throughputMessages)
  }
}

export async function benchMessaging (sizes: BenchSizes): Promise<{ node: MessagingFigures, api: MessagingFigures }> {
  const receiver = await startPeer<{ address: string, peerId: string }>('causette')
  const home = await mkdtemp(join(tmpdir(), 'causette-bench-'))
  const sender = await startNode({ home, name: 'sender', port: 0, listenHost: '127.0.0.1', mdns: false, peers: [receiver.ready.address] })
  const api = await startApiServer({ node: sender, home, port: 0 })
  try {
    while (!(await sender.peers()).some(p => p.peerId === receiver.ready.peerId && p.connected)) await new Promise(resolve => setTimeout(resolve, 20))
    const { waitFor } = deliveries(sender)
    const to = receiver.ready.peerId
    // Through the node's messaging interface, as many sends in flight as a busy UI and CLI would make.
    const cpu = (): number => cpuMicrosOfBoth(receiver.pid)
    const node = await measure(async () => (await sender.send(to, TEXT)).id, waitFor, sizes, 64, cpu)
    // Through the local API: a few HTTP clients at once, as a UI and integrations would.
    const post = async (): Promise<string> => {
      const response = await fetch(`${api.url}/api/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to, text: TEXT })
      })
      if (response.status !== 201) throw new Error(`POST /messages answered ${response.status}`)
      return ((await response.json()) as { id: string }).id
    }
    const viaApi = await measure(post, waitFor, { ...sizes, throughputMessages: Math.round(sizes.throughputMessages / 2) }, 16, cpu)
    return { node, api: viaApi }
  } finally {
    await api.close()
    await sender.stop()
    await receiver.stop()
    await rm(home, { recursive: true, force: true })
  }
}
