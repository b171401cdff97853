// The HTTP client of the messaging bench's API row, in its own process: the integration that calls
// the daemon, whose own CPU is not the daemon's. It keeps the daemon's event stream open (GET
// /api/v1/events over a WebSocket), as the app does, and learns from it that a message was
// delivered. Reads one JSON line per command on stdin and answers one line once it is done:
//   {"count": n, "concurrency": k}: posts n messages, k requests in flight; answers {"ids": [...]}
//     once every POST has been answered;
//   {"roundTrips": n}: n messages one after the other, each timed from its POST until its
//     "delivered" event; answers {"samplesMs": [...]}.
// Each message carries a sendId of its own, as the app's do and as an integration that retries
// should (core/messaging/send-once.ts): its cost is the node's.
import { randomUUID } from 'node:crypto'
import { Agent, request } from 'node:http'
import { createInterface } from 'node:readline'
import { API_PREFIX, EVENTS_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '../core/api/paths.js'
import type { EventFrame } from '../core/api/schema.js'

interface ClientOptions { url: string, token: string, to: string, text: string }
type Command = { count: number, concurrency: number } | { roundTrips: number }

const options = JSON.parse(process.argv[2] ?? '{}') as ClientOptions

/** Ids the event stream said were delivered and nobody has waited for yet, and who waits for which. */
const delivered = new Set<string>()
const waiting = new Map<string, () => void>()

async function openEvents (): Promise<WebSocket> {
  const socket = new WebSocket(`${options.url.replace(/^http/, 'ws')}${API_PREFIX}/events`, [EVENTS_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + options.token])
  socket.addEventListener('message', ({ data }) => {
    const { event } = JSON.parse(String(data)) as EventFrame
    if (event.type !== 'message-state' || event.state !== 'delivered') return
    const waiter = waiting.get(event.id)
    if (waiter === undefined) delivered.add(event.id)
    else waiter()
  })
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => { resolve() }, { once: true })
    socket.addEventListener('error', () => { reject(new Error('the event stream did not open')) }, { once: true })
  })
  return socket
}

// node:http with sockets kept alive, the lightest HTTP client Node has: undici's fetch cost this
// process about 390 µs a message against 190 (session 16), and a client's time is in the round trip.
const agent = new Agent({ keepAlive: true })
const postUrl = new URL(`${options.url}${API_PREFIX}/messages`)

async function post (): Promise<string> {
  const body = JSON.stringify({ to: options.to, text: options.text, sendId: randomUUID() })
  const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
  const { status, text } = await new Promise<{ status: number | undefined, text: string }>((resolve, reject) => {
    request(postUrl, { agent, method: 'POST', headers }, response => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => { chunks.push(chunk) })
      response.on('end', () => { resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString() }) })
      response.on('error', reject)
    }).on('error', reject).end(body)
  })
  if (status !== 201) throw new Error(`POST /messages answered ${String(status)}: ${text}`)
  return (JSON.parse(text) as { id: string }).id
}

async function deliveredEvent (id: string): Promise<void> {
  if (delivered.delete(id)) return
  await new Promise<void>(resolve => { waiting.set(id, resolve) })
  waiting.delete(id)
}

async function roundTrips (count: number): Promise<number[]> {
  const samplesMs: number[] = []
  for (let i = 0; i < count; i++) {
    const start = performance.now()
    await deliveredEvent(await post())
    samplesMs.push(performance.now() - start)
  }
  return samplesMs
}

async function batch (count: number, concurrency: number): Promise<string[]> {
  const ids: string[] = []
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < count) ids.push(await post())
  }))
  return ids
}

const events = await openEvents()
process.stdout.write(JSON.stringify({ ready: {} }) + '\n')
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as Command
  const answer = 'roundTrips' in command ? { samplesMs: await roundTrips(command.roundTrips) } : { ids: await batch(command.count, command.concurrency) }
  process.stdout.write(JSON.stringify(answer) + '\n')
}
events.close()
