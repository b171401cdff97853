// causette messages between two nodes, the receiver in its own process: round trip from `send` to
// the "delivered" event (signed, sent, verified, stored durably and acknowledged by the peer), and
// throughput of messages sent back to back until the last is delivered. Then the same through the
// local HTTP API, to show what the API layer costs.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { startApiServer } from '../core/api/server.js'
import { startNode, type CausetteNode } from '../core/node/node.js'
import type { BenchSizes, TransportFigures } from './baselines.js'
import { startPeer } from './peer.js'
import { cpuMicrosOf } from './proc.js'
import { latency, timeEach } from './stats.js'

const TEXT = 'x'.repeat(100)

/** Resolves when every id in `ids` is delivered (also those delivered before the call). */
export function deliveries (node: CausetteNode): { waitFor: (ids: Iterable<string>) => Promise<void> } {
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

/** CPU time of this process (the sender's node and its API) and of the receiver's, in µs. */
function cpuMicrosOfBoth (pid: number): number {
  const own = process.cpuUsage()
  return own.user + own.system + cpuMicrosOf(pid)
}

/** Sends `count` messages, `concurrency` at a time, and resolves with their ids once every send has returned. */
type SendBatch = (count: number, concurrency: number) => Promise<string[]>
/** Sends `count` messages one after the other, each once the one before is delivered; resolves with each one's round trip in ms. */
type RoundTrips = (count: number) => Promise<number[]>

async function measure (roundTrips: RoundTrips, sendBatch: SendBatch, waitFor: (ids: Iterable<string>) => Promise<void>, sizes: BenchSizes, cpu: () => number): Promise<MessagingFigures> {
  const samples = await roundTrips(sizes.roundTrips)
  const start = performance.now()
  const cpuBefore = cpu()
  await waitFor(await sendBatch(sizes.throughputMessages, IN_FLIGHT))
  return {
    ...latency(samples),
    perSecond: Math.round(sizes.throughputMessages / ((performance.now() - start) / 1000)),
    cpuMicrosPerMessage: Math.round((cpu() - cpuBefore) / sizes.throughputMessages)
  }
}

/** Sends in flight during a throughput run, the same for the node interface and the API (a busy UI and CLI). */
const IN_FLIGHT = 16

export async function inFlight (count: number, concurrency: number, send: () => Promise<string>): Promise<string[]> {
  const ids: string[] = []
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < count) ids.push(await send())
  }))
  return ids
}

interface ApiClient { sendBatch: SendBatch, roundTrips: RoundTrips, cpuMicros: () => number, stop: () => Promise<void> }

/**
 * bench/api-client.ts in its own process: the integration's HTTP client, whose CPU is not the
 * daemon's. It times its round trips itself, from its POST to the "delivered" event on its own
 * event stream, as an integration or the app learns it.
 */
export async function startApiClient (options: { url: string, token: string, to: string, text: string }): Promise<ApiClient> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./api-client.ts', import.meta.url).pathname, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const nextLine = async (): Promise<unknown> => {
    const { value, done } = await lines.next()
    if (done === true) throw new Error('the bench API client exited')
    return JSON.parse(value as string)
  }
  await nextLine()
  return {
    sendBatch: async (count, concurrency) => {
      child.stdin.write(JSON.stringify({ count, concurrency }) + '\n')
      return ((await nextLine()) as { ids: string[] }).ids
    },
    roundTrips: async (count) => {
      child.stdin.write(JSON.stringify({ roundTrips: count }) + '\n')
      return ((await nextLine()) as { samplesMs: number[] }).samplesMs
    },
    cpuMicros: () => cpuMicrosOf(child.pid!),
    stop: async () => {
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.stdin.end()
      await exited
    }
  }
}

export async function benchMessaging (sizes: BenchSizes): Promise<{ node: MessagingFigures, api: MessagingFigures & { clientMicrosPerMessage: number } }> {
  const receiver = await startPeer<{ address: string, peerId: string }>('causette')
  const home = await mkdtemp(join(tmpdir(), 'causette-bench-'))
  const sender = await startNode({ home, name: 'sender', port: 0, listenHost: '127.0.0.1', mdns: false, peers: [receiver.ready.address] })
  const api = await startApiServer({ node: sender, home, port: 0 })
  try {
    while (!(await sender.peers()).some(p => p.peerId === receiver.ready.peerId && p.connected)) await new Promise(resolve => setTimeout(resolve, 20))
    const { waitFor } = deliveries(sender)
    const to = receiver.ready.peerId
    const cpu = (): number => cpuMicrosOfBoth(receiver.pid)
    // Through the node's messaging interface, called in this process.
    const sendBatch: SendBatch = async (count, concurrency) => await inFlight(count, concurrency, async () => (await sender.send(to, TEXT)).id)
    const node = await measure(async count => await timeEach(count, async () => { await waitFor(await sendBatch(1, 1)) }), sendBatch, waitFor, sizes, cpu)
    // Through the local API, from a client in its own process: the same messages, the same number
    // in flight, and the CPU of both nodes (the client's own is reported beside it). The client
    // times the round trips itself, until "delivered" reaches it on the event stream it keeps open
    // (so the daemon's cost of telling it counts), not through this process.
    const client = await startApiClient({ url: api.url, token: api.token, to, text: TEXT })
    try {
      const clientBefore = client.cpuMicros()
      const viaApi = await measure(client.roundTrips, client.sendBatch, waitFor, sizes, cpu)
      const clientMicrosPerMessage = Math.round((client.cpuMicros() - clientBefore) / (sizes.roundTrips + sizes.throughputMessages))
      return { node, api: { ...viaApi, clientMicrosPerMessage } }
    } finally {
      await client.stop()
    }
  } finally {
    await api.close()
    await sender.stop()
    await receiver.stop()
    await rm(home, { recursive: true, force: true })
  }
}
