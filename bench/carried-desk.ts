// One desk of the carrier bench (bench/carried.ts), in a network namespace of its own: a causette
// node started from its one JSON argument {name, join?, peers?} (port 0, no mDNS, a temporary
// profile under $TMPDIR), which prints {"ready": {peerId, addresses}}. Then each line on stdin is a
// question answered by one line on stdout (Question below). Times are this machine's wall clock in
// ms with µs resolution (performance.timeOrigin + performance.now()), so that the bench compares a
// sender's and a recipient's. Serves until stdin closes, then stops its node and removes its profile.
// Run by bench/carried.ts:  ip netns exec <ns> node --import tsx bench/carried-desk.ts '<json>'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { startNode, type CausetteNode } from '../core/node/node.js'
import { deliveries, inFlight } from './messaging.js'
import { timeEach } from './stats.js'

type Delivered = ReturnType<typeof deliveries>['waitFor']

const TEXT = 'x'.repeat(100)
/** As many sends in flight as a busy UI and CLI would make (the carrier bench's figure since its first version). */
const IN_FLIGHT = 64

export type Question =
  | { createWorkspace: string } // answered {}
  | { invite: 'admin' | 'member', address?: string } // answered {code}; `address`: the one the joiner can reach
  | { peers: true } // answered {peers: [{peerId, connected}]}
  /** One message at a time, each once the one before is delivered: {deliveredMs: [...], sentAt: {id: wall ms}}. */
  | { roundTrips: { to: string, count: number } }
  /** `count` messages, IN_FLIGHT at a time, until the last is delivered: {seconds}. */
  | { burst: { to: string, count: number } }
  /** When each of these messages was stored here: {storedAt: {id: wall ms}}. */
  | { storedAt: string[] }

const wallClock = (): number => performance.timeOrigin + performance.now()

async function roundTrips (node: CausetteNode, waitFor: Delivered, to: string, count: number): Promise<object> {
  const sentAt: Record<string, number> = {}
  const deliveredMs = await timeEach(count, async () => {
    const start = wallClock()
    const { id } = await node.send(to, TEXT)
    sentAt[id] = start
    await waitFor([id])
  })
  return { deliveredMs, sentAt }
}

async function burst (node: CausetteNode, waitFor: Delivered, to: string, count: number): Promise<object> {
  const start = performance.now()
  await waitFor(await inFlight(count, IN_FLIGHT, async () => (await node.send(to, TEXT)).id))
  return { seconds: (performance.now() - start) / 1000 }
}

const { name, join: invite, peers } = JSON.parse(process.argv[2] ?? '{}') as { name: string, join?: string, peers?: string[] }
const home = await mkdtemp(join(tmpdir(), `causette-bench-${name.toLowerCase()}-`))
const node = await startNode({ home, name, port: 0, mdns: false, ...(invite === undefined ? {} : { join: invite }), ...(peers === undefined ? {} : { peers }) })
const { waitFor } = deliveries(node)
const storedAt = new Map<string, number>()
node.events.subscribe(undefined, ({ event }) => { if (event.type === 'message') storedAt.set(event.message.id, wallClock()) })

async function answer (question: Question): Promise<object> {
  if ('createWorkspace' in question) { await node.createWorkspace(question.createWorkspace); return {} }
  if ('invite' in question) return { code: (await node.createInvite({ role: question.invite, expiresMs: 600_000, ...(question.address === undefined ? {} : { address: question.address }) })).code }
  if ('peers' in question) return { peers: (await node.peers()).map(peer => ({ peerId: peer.peerId, connected: peer.connected })) }
  if ('roundTrips' in question) return await roundTrips(node, waitFor, question.roundTrips.to, question.roundTrips.count)
  if ('burst' in question) return await burst(node, waitFor, question.burst.to, question.burst.count)
  return { storedAt: Object.fromEntries(question.storedAt.map(id => [id, storedAt.get(id)])) }
}

const say = (message: object): void => { process.stdout.write(JSON.stringify(message) + '\n') }
say({ ready: { peerId: node.peerId, addresses: node.addresses() } })
for await (const line of createInterface({ input: process.stdin })) say(await answer(JSON.parse(line) as Question))
await node.stop()
await rm(home, { recursive: true, force: true })
process.exit(0)
