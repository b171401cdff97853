// Delivery through a carrier, in an office where Carla's desk is on two networks that do not route
// to each other (wired and Wi-Fi): Alice on the wired one, Bruno on the Wi-Fi, each in a network
// namespace of their own (test/helpers/netns.ts), Carla's namespace plugged into both. Alice and
// Bruno share a workspace and learn each other's addresses (the membership log, peer exchange), but
// cannot connect: Carla carries Alice's sealed messages to Bruno and his signed receipts back. The
// baseline is Alice writing to Carla directly, in the same run. Each desk is a node in a process of
// its own (bench/carried-desk.ts); no mDNS, the peers given at start. Needs root and iproute2, as
// the LAN tests do; otherwise its rows say why and the rest of the bench runs.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLan, type LanHost } from '../test/helpers/netns.js'
import type { TransportFigures } from './baselines.js'
import type { Question } from './carried-desk.js'
import { childLines } from './child-lines.js'
import { benchTeardown } from './lan-teardown.js'
import { latency, round, type Latency } from './stats.js'
import { namespacesMissing, type Unavailable } from './tools.js'

export interface CarriedFigures {
  /** From send to the message stored by the recipient, and to the sender seeing it delivered. */
  direct: { stored: Latency, delivered: Latency, perSecond: number }
  carried: { stored: Latency, delivered: Latency, perSecond: number }
}

interface Desk { peerId: string, addresses: string[], ask: <T>(question: Question) => Promise<T> }

interface PeerState { peerId: string, connected: boolean }

/** `bench/carried-desk.ts` in `host`'s namespace, its temporary profile under `tempDir`. */
async function startDesk (host: LanHost, tempDir: string, start: { name: string, join?: string, peers?: string[] }): Promise<Desk> {
  const child = host.spawn(process.execPath, ['--import', 'tsx', new URL('./carried-desk.ts', import.meta.url).pathname, JSON.stringify(start)], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, TMPDIR: tempDir } })
  const lines = childLines(child, `the carrier bench's desk ${start.name}`)
  const { ready } = JSON.parse(await lines.next()) as { ready: { peerId: string, addresses: string[] } }
  // One question at a time: the desk answers in turn.
  let queue = Promise.resolve()
  const ask = async <T>(question: Question): Promise<T> => {
    const answer = queue.then(async () => { lines.send(JSON.stringify(question)); return JSON.parse(await lines.next()) as T })
    queue = answer.then(() => {}, () => {})
    return await answer
  }
  return { ...ready, ask }
}

/** The desk's address on `network` (`10.231.X.0/24`), as a multiaddr to give as a peer. */
function addressOn (desk: Desk, network: string): string {
  const prefix = `/ip4/${network.split('.').slice(0, 3).join('.')}.`
  const address = desk.addresses.find(candidate => candidate.startsWith(prefix))
  if (address === undefined) throw new Error(`no address on ${network} among ${desk.addresses.join(', ')}`)
  return address
}

async function until (what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 120_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

const peersOf = async (desk: Desk): Promise<PeerState[]> => (await desk.ask<{ peers: PeerState[] }>({ peers: true })).peers

async function measure (from: Desk, to: Desk, messages: number, roundTrips: number): Promise<CarriedFigures['direct']> {
  const { deliveredMs, sentAt } = await from.ask<{ deliveredMs: number[], sentAt: Record<string, number> }>({ roundTrips: { to: to.peerId, count: roundTrips } })
  const { storedAt } = await to.ask<{ storedAt: Record<string, number | null> }>({ storedAt: Object.keys(sentAt) })
  const stored = Object.entries(sentAt).map(([id, sent]) => {
    const at = storedAt[id]
    if (at == null) throw new Error(`${id} was delivered but its recipient never stored it`)
    return at - sent
  })
  const { seconds } = await from.ask<{ seconds: number }>({ burst: { to: to.peerId, count: messages } })
  return { stored: latency(stored), delivered: latency(deliveredMs), perSecond: round(messages / seconds) }
}

export async function benchCarried (options: { messages?: number, roundTrips?: number, log?: (line: string) => void } = {}): Promise<CarriedFigures | Unavailable> {
  const missing = await namespacesMissing('ip')
  if (missing !== undefined) return { unavailable: missing }
  const teardown = benchTeardown()
  try {
    const tempDir = await mkdtemp(join(tmpdir(), 'causette-bench-carried-'))
    teardown.after(async () => { await rm(tempDir, { recursive: true, force: true }) })
    const wired = await createLan(teardown, { hosts: 2, multicastRoute: false })
    const [aliceHost, carlaHost] = wired.hosts as [LanHost, LanHost]
    const wifi = await createLan(teardown, { hosts: 1, multicastRoute: false })
    const brunoHost = wifi.hosts[0]!
    const carlaWifi = await wifi.plugIn(carlaHost, 'eth1')
    options.log?.(`carrier bench: Alice at ${aliceHost.address} (wired), Bruno at ${brunoHost.address} (Wi-Fi), Carla at ${carlaHost.address} and ${carlaWifi}`)
    const alice = await startDesk(aliceHost, tempDir, { name: 'Alice' })
    await alice.ask({ createWorkspace: 'Bench' })
    const carlaInvite = await alice.ask<{ code: string }>({ invite: 'admin' })
    const carla = await startDesk(carlaHost, tempDir, { name: 'Carla', join: carlaInvite.code, peers: [addressOn(alice, wired.subnet)] })
    // Bruno joins through Carla, the one desk he can reach: Alice learns his keys from the log. Carla's
    // code names her Wi-Fi address, as an admin on two networks chooses it (`causette invite --address`).
    const brunoInvite = await carla.ask<{ code: string }>({ invite: 'member', address: carlaWifi })
    const bruno = await startDesk(brunoHost, tempDir, { name: 'Bruno', join: brunoInvite.code, peers: [addressOn(carla, wifi.subnet)] })
    await until('Alice and Bruno know each other', async () =>
      (await peersOf(alice)).some(peer => peer.peerId === bruno.peerId) && (await peersOf(bruno)).some(peer => peer.peerId === alice.peerId))
    options.log?.('carrier bench: Alice and Bruno know each other from the membership log, Carla is on both networks')
    const direct = await measure(alice, carla, options.messages ?? 2_000, options.roundTrips ?? 200)
    const carried = await measure(alice, bruno, options.messages ?? 2_000, options.roundTrips ?? 200)
    // Cannot happen with no route between them; checked so that a broken setup cannot pass as a figure.
    if ((await peersOf(alice)).some(peer => peer.peerId === bruno.peerId && peer.connected)) throw new Error('Alice and Bruno connected directly: the carrier bench measured the wrong path')
    return { direct, carried }
  } catch (error) {
    return { unavailable: `the carrier bench failed: ${error instanceof Error ? error.message : String(error)}` }
  } finally {
    await teardown.run() // what is still running is killed with its namespace
  }
}

export function printCarriedFigures (carried: CarriedFigures | Unavailable, row: (name: string, figures: TransportFigures, width: number) => string): void {
  console.log('\nthrough a carrier: Alice (wired) and Bruno (Wi-Fi) on two networks that do not route to each other, Carla\'s desk on both')
  if ('unavailable' in carried) { console.log(`  not measured: ${carried.unavailable}`); return }
  console.log(`${'(three desks in network namespaces, each node in its own process)'.padEnd(68)}    p50 ms    p99 ms       msgs/s`)
  const rows = (name: string, figures: CarriedFigures['direct']): string[] => [
    row(`${name}: stored by the recipient`, { ...figures.stored, perSecond: figures.perSecond }, 68),
    row(`${name}: the sender sees "delivered"`, { ...figures.delivered, perSecond: figures.perSecond }, 68)
  ]
  for (const line of [...rows('Alice to Carla, direct (wired)', carried.direct), ...rows('Alice to Bruno, carried by Carla', carried.carried)]) console.log(line)
}
