// The local API's sockets are bounded (issue 12, item 6): beyond maxConnections a new socket is
// closed at once with a log line, an idle socket is closed after its timeout, event streams have
// their own bound, and the daemon keeps serving. A daemon under a file-handle limit whose API is
// flooded with idle sockets still accepts a colleague's connection and message.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import { createInterface } from 'node:readline'
import { describe, it, type TestContext } from 'node:test'
import WebSocket from 'ws'
import { EVENTS_SUBPROTOCOL } from '../../core/api/events.js'
import { startApiServer, type ApiServer } from '../../core/api/server.js'
import type { ApiLimits } from '../../core/api/connection-limits.js'
import { eventually, tempHome, testNode, waitForEvent } from '../helpers/nodes.js'
import { FakeNode } from '../unit/api-fake-node.js'

interface HeldSocket { socket: Socket, closed: boolean }

/** Opens `count` TCP connections to `url` that send nothing; resolves once each connected or failed. */
async function holdSockets (t: TestContext, url: string, count: number): Promise<HeldSocket[]> {
  const { hostname, port } = new URL(url)
  const held = await Promise.all(Array.from({ length: count }, async () => await new Promise<HeldSocket>(resolve => {
    const entry: HeldSocket = { socket: connect(Number(port), hostname), closed: false }
    entry.socket.on('close', () => { entry.closed = true })
    entry.socket.once('connect', () => { resolve(entry) })
    entry.socket.once('error', () => { resolve(entry) })
  })))
  t.after(() => { for (const { socket } of held) socket.destroy() })
  return held
}

async function startLimitedApi (t: TestContext, limits: Partial<ApiLimits>, node = new FakeNode()): Promise<{ api: ApiServer, logs: string[] }> {
  const logs: string[] = []
  const api = await startApiServer({ node, home: await tempHome(t), port: 0, uiDir: undefined, limits, log: line => { logs.push(line) } })
  t.after(async () => { await api.close() })
  return { api, logs }
}

/** The event stream as the CLI opens it; resolves with the socket, or the HTTP status that refused it. */
async function openEventStream (api: ApiServer): Promise<WebSocket | number> {
  return await new Promise((resolve, reject) => {
    const socket = new WebSocket(`${api.url.replace('http:', 'ws:')}/api/v1/events`, [EVENTS_SUBPROTOCOL], { headers: { authorization: `Bearer ${api.token}` } })
    socket.once('open', () => { resolve(socket) })
    socket.once('unexpected-response', (_request, response) => { resolve(response.statusCode ?? 0) })
    socket.once('error', reject)
  })
}

async function status (api: ApiServer): Promise<number> {
  return (await fetch(`${api.url}/api/v1/status`, { headers: { authorization: `Bearer ${api.token}` } })).status
}

interface Trickled { answer: string, closedEarly: boolean }

/**
 * Sends a request's head, then its `bodyBytes` bytes one at a time every `everyMs`; resolves with what
 * the server answered once the socket closes or the answer is in, and whether the server closed the
 * socket before the whole body was sent.
 */
async function trickle (api: ApiServer, method: string, path: string, type: string, bodyBytes: number, everyMs: number): Promise<Trickled> {
  const { hostname, port } = new URL(api.url)
  const socket = connect(Number(port), hostname)
  let answer = ''
  let sent = 0
  socket.write(`${method} ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${api.token}\r\n` +
    `Content-Type: ${type}\r\nContent-Length: ${bodyBytes}\r\nConnection: close\r\n\r\n`)
  const ticker = setInterval(() => { if (sent < bodyBytes && !socket.destroyed) socket.write(sent++ === 0 ? '{' : ' ') }, everyMs)
  try {
    return await new Promise<Trickled>(resolve => {
      socket.on('data', (chunk: Buffer) => { answer += chunk.toString() })
      socket.once('close', () => { resolve({ answer, closedEarly: sent < bodyBytes }) })
      socket.once('error', () => {})
    })
  } finally {
    clearInterval(ticker)
    socket.destroy()
  }
}

describe('API connection limits', () => {
  it('holds at most maxConnections sockets, closes the others with a log line, and keeps serving', async t => {
    const { api, logs } = await startLimitedApi(t, { maxConnections: 8 })
    const held = await holdSockets(t, api.url, 30)
    await eventually(() => held.filter(entry => entry.closed).length >= 22 ? true : undefined, 30_000, '22 sockets over the bound to be closed')
    assert.equal(held.filter(entry => !entry.closed).length, 8)
    assert.match(logs[0] ?? '', /more than 8 sockets are open to the local API/)
    // Freed sockets make room again.
    for (const { socket } of held) socket.destroy()
    // Until the server has seen them close, a new socket may still be over the bound and dropped.
    await eventually(async () => await status(api).catch(() => 0) === 200 ? true : undefined, 30_000, 'the API to answer again')
  })

  // Before the bound, the socket was never closed: the test's own timeout is what fails it.
  it('closes a socket that stays idle past its timeout, not an event stream', { timeout: 60_000 }, async t => {
    const { api } = await startLimitedApi(t, { idleTimeoutMs: 200 })
    const events = await openEventStream(api)
    t.after(() => { if (typeof events !== 'number') events.terminate() })
    assert.ok(typeof events !== 'number')
    // Opened after the event stream: by the time it is closed as idle, the stream has been idle longer.
    const [idle] = await holdSockets(t, api.url, 1)
    await new Promise<void>(resolve => { if (idle!.closed) resolve(); else idle!.socket.once('close', () => { resolve() }) })
    assert.equal(idle!.closed, true)
    assert.equal(events.readyState, WebSocket.OPEN)
    assert.equal(await status(api), 200)
  })

  // Before, a join waiting for a busy inviter (up to JOIN_PATIENCE_MS) was cut at the idle timeout: the CLI said "fetch failed".
  it('lets a join wait for the inviting computer past the idle timeout, and tells the node when its client goes away', { timeout: 60_000 }, async t => {
    const node = new FakeNode()
    const asked: AbortSignal[] = []
    let answer!: () => void
    const answered = new Promise<void>(resolve => { answer = resolve })
    const joinWorkspace = node.joinWorkspace.bind(node)
    node.joinWorkspace = async (code: string, signal?: AbortSignal) => {
      asked.push(signal!)
      await answered
      signal!.throwIfAborted()
      return await joinWorkspace(code)
    }
    const { api } = await startLimitedApi(t, { idleTimeoutMs: 200 }, node)
    const join = async (signal?: AbortSignal): Promise<Response> => await fetch(`${api.url}/api/v1/workspace/join`, {
      method: 'POST', headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ code: 'MEMBR-00000-00000-00000-00000-00000-00000-00000' }), ...(signal === undefined ? {} : { signal })
    })

    const cancel = new AbortController()
    const cancelled = join(cancel.signal).catch(() => 'cancelled')
    await eventually(() => asked.length === 1 ? true : undefined)
    cancel.abort()
    await new Promise(resolve => { if (asked[0]!.aborted) resolve(undefined); else asked[0]!.addEventListener('abort', resolve) })
    assert.equal(await cancelled, 'cancelled')

    const joined = join()
    await eventually(() => asked.length === 2 ? true : undefined)
    // Opened after the join's request: by the time it is closed as idle, the join's socket has been idle longer.
    const [idle] = await holdSockets(t, api.url, 1)
    await new Promise<void>(resolve => { if (idle!.closed) resolve(); else idle!.socket.once('close', () => { resolve() }) })
    answer()
    assert.equal((await joined).status, 200)
    assert.equal(asked[1]!.aborted, false)
  })

  // Before, Node's own request timeout applied (checked every 30 s): the slow body was answered.
  it('closes a socket whose request body trickles in past requestTimeout, unanswered', { timeout: 60_000 }, async t => {
    const { api } = await startLimitedApi(t, { requestTimeoutMs: 300 })
    const trickled = await trickle(api, 'POST', '/api/v1/messages', 'application/json', 100, 100)
    assert.deepEqual(trickled, { answer: '', closedEarly: true })
    assert.equal(await status(api), 200)
  })

  // A 5 GiB file takes minutes to stage: Node's request timeout used to cut it 30 to 60 s in.
  it('lets a file upload take longer than requestTimeout while its bytes keep coming', { timeout: 60_000 }, async t => {
    const { api } = await startLimitedApi(t, { requestTimeoutMs: 300 })
    const trickled = await trickle(api, 'POST', '/api/v1/files?name=slow.bin', 'application/octet-stream', 15, 100)
    assert.equal(trickled.closedEarly, false)
    assert.match(trickled.answer, /^HTTP\/1\.1 201 /)
    assert.match(trickled.answer, /"size":15/)
  })

  it('refuses event streams beyond their bound with 503', async t => {
    const { api, logs } = await startLimitedApi(t, { maxEventSockets: 2 })
    const open = async (): Promise<WebSocket | number> => await openEventStream(api)
    const first = await open()
    const second = await open()
    t.after(() => { for (const socket of [first, second]) if (typeof socket !== 'number') socket.terminate() })
    assert.ok(typeof first !== 'number' && typeof second !== 'number')
    const third = await open()
    if (typeof third !== 'number') third.terminate()
    assert.equal(typeof third === 'number' ? third : 'open', 503)
    assert.match(logs.join('\n'), /more than 2 event streams/)
    assert.equal(await status(api), 200)
  })

  it('a daemon near its file-handle limit, its API flooded, still takes a colleague\'s connection and message', async t => {
    // Under 512 file handles, with the default bounds: 1,000 idle API sockets would use them all up.
    const home = await tempHome(t)
    const child = spawn('prlimit', ['--nofile=512', process.execPath, '--import', 'tsx', new URL('../helpers/api-node-main.ts', import.meta.url).pathname, home], { stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = new Promise<void>(resolve => child.once('exit', () => { resolve() }))
    t.after(async () => { if (child.exitCode === null) { child.kill('SIGKILL'); await exited } })
    const alice = await new Promise<{ peerId: string, address: string, apiUrl: string }>((resolve, reject) => {
      child.once('exit', code => { reject(new Error(`the daemon exited early (${code})`)) })
      createInterface({ input: child.stdout }).once('line', line => { resolve(JSON.parse(line)) })
    })
    await holdSockets(t, alice.apiUrl, 1000)

    const bruno = await testNode(t, { name: 'bruno', peers: [alice.address] })
    await eventually(async () => (await bruno.peers()).some(peer => peer.peerId === alice.peerId && peer.connected) ? true : undefined, 60_000, 'bruno to connect to alice')
    const sent = await bruno.send(alice.peerId, 'still reachable?')
    await waitForEvent(bruno, frame => frame.event.type === 'message-state' && frame.event.id === sent.id && frame.event.state === 'delivered', 60_000)
  })
})
