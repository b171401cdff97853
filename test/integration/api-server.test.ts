// The local API on a real socket: api.json and the token file, the Host check over real HTTP, and
// the events WebSocket (token as header or subprotocol, Origin, resume from ?since).
import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import WebSocket from 'ws'
import { EVENTS_SUBPROTOCOL } from '../../core/api/events.js'
import { startApiServer, type ApiServer } from '../../core/api/server.js'
import type { EventFrame } from '../../core/api/schema.js'
import { BOB, FakeNode } from '../unit/api-fake-node.js'

function rawGet (url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, response => { response.resume(); resolve(response.statusCode ?? 0) }).on('error', reject).end()
  })
}

function assertSecurityHeaders (response: Response, what: string): void {
  const policy = response.headers.get('content-security-policy') ?? ''
  for (const directive of ["default-src 'self'", "frame-ancestors 'none'", "frame-src 'none'", "object-src 'none'"]) assert.ok(policy.includes(directive), `${what}: ${directive} in ${policy}`)
  // The app draws a received image from a blob: URL (issue 16).
  assert.match(policy, /img-src [^;]*blob:/, what)
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff', what)
  assert.equal(response.headers.get('referrer-policy'), 'no-referrer', what)
  assert.equal(response.headers.get('x-frame-options'), 'DENY', what)
}

interface EventClient {
  socket: WebSocket
  /** Resolves once `count` frames have arrived since the socket was created. */
  frames: (count: number) => Promise<EventFrame[]>
}

/** Opens a WebSocket, recording frames from the first byte (they may come with the handshake). */
function connect (url: string, options: { protocols?: string[], headers?: Record<string, string> } = {}): Promise<EventClient | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers })
    const received: EventFrame[] = []
    const waiters: Array<() => void> = []
    socket.on('message', data => {
      received.push(JSON.parse(data.toString()) as EventFrame)
      for (const wake of waiters.splice(0)) wake()
    })
    const frames = async (count: number): Promise<EventFrame[]> => {
      while (received.length < count) await new Promise<void>(resolve => { waiters.push(resolve) })
      return received.slice(0, count)
    }
    socket.once('open', () => { resolve({ socket, frames }) })
    socket.once('unexpected-response', (_request, response) => { resolve(response.statusCode ?? 0) })
    socket.once('error', reject)
  })
}

function opened (result: EventClient | number, sockets: WebSocket[]): EventClient {
  assert.ok(typeof result !== 'number', `expected an open WebSocket, got HTTP ${String(result)}`)
  sockets.push(result.socket)
  return result
}

describe('API server', () => {
  let home: string
  let node: FakeNode
  let server: ApiServer
  let wsUrl: string
  const sockets: WebSocket[] = []

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'causette-api-'))
    node = new FakeNode()
    server = await startApiServer({ node, home, port: 0 })
    wsUrl = `${server.url.replace('http:', 'ws:')}/api/v1/events`
  })

  after(async () => {
    for (const socket of sockets) socket.terminate()
    await server.close()
    await rm(home, { recursive: true, force: true })
  })

  it('listens on 127.0.0.1 and writes api.json and api-token with mode 0600', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/)
    const apiFile = JSON.parse(await readFile(join(home, 'api.json'), 'utf8'))
    assert.deepEqual(apiFile, { url: server.url, token: server.token, pid: process.pid })
    assert.equal(Buffer.from(server.token, 'base64url').length, 32)
    assert.equal((await stat(join(home, 'api.json'))).mode & 0o777, 0o600)
    assert.equal((await stat(join(home, 'api-token'))).mode & 0o777, 0o600)
  })

  it('answers a client with the token, and refuses a rebound Host over real HTTP', async () => {
    const response = await fetch(`${server.url}/api/v1/status`, { headers: { authorization: `Bearer ${server.token}` } })
    assert.equal(response.status, 200)
    assert.equal(await rawGet(`${server.url}/api/v1/status`, { host: 'evil.example', authorization: `Bearer ${server.token}` }), 403)
    assert.equal((await fetch(`${server.url}/api/v1/status`)).status, 401)
  })

  it('puts security headers on every response: the app, answers, refusals, unknown paths', async () => {
    const authorization = `Bearer ${server.token}`
    const responses = {
      app: await fetch(`${server.url}/`),
      answer: await fetch(`${server.url}/api/v1/status`, { headers: { authorization } }),
      'refusal without the token': await fetch(`${server.url}/api/v1/status`),
      'refusal from another site': await fetch(`${server.url}/api/v1/status`, { headers: { authorization, origin: 'http://evil.example' } }),
      'unknown route': await fetch(`${server.url}/api/v1/nothing-here`, { headers: { authorization } }),
      'refused body': await fetch(`${server.url}/api/v1/messages`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: '{' })
    }
    for (const [what, response] of Object.entries(responses)) {
      await response.arrayBuffer()
      assertSecurityHeaders(response, `${what} (${response.status})`)
    }
    assert.deepEqual(Object.values(responses).map(response => response.status).slice(1), [200, 401, 403, 404, 400])
  })

  it('refuses a WebSocket without the token (401) or from a foreign Origin (403)', async () => {
    assert.equal(await connect(wsUrl), 401)
    assert.equal(await connect(wsUrl, { protocols: [EVENTS_SUBPROTOCOL, 'causette.token.wrong'] }), 401)
    assert.equal(await connect(wsUrl, { headers: { authorization: `Bearer ${server.token}`, origin: 'http://evil.example' } }), 403)
  })

  it('accepts the token as a subprotocol, the way a browser sends it, and never echoes it', async () => {
    const client = opened(await connect(wsUrl, { protocols: [EVENTS_SUBPROTOCOL, `causette.token.${server.token}`], headers: { origin: server.url } }), sockets)
    assert.equal(client.socket.protocol, EVENTS_SUBPROTOCOL)
    await node.send('bob', 'live')
    const [frame] = await client.frames(1)
    assert.equal(frame.event.type, 'message')
    assert.equal(frame.epoch, node.events.epoch)
  })

  it('resumes from ?since: buffered frames after it first, then live ones', async () => {
    const first = node.events.lastId
    await node.send(BOB.name, 'a')
    await node.send(BOB.name, 'b')
    const client = opened(await connect(`${wsUrl}?since=${first + 1}&epoch=${node.events.epoch}`, { headers: { authorization: `Bearer ${server.token}` } }), sockets)
    const [buffered] = await client.frames(1)
    assert.equal(buffered.id, first + 2)
    await node.send(BOB.name, 'c')
    const [, live] = await client.frames(2)
    assert.equal(live.id, first + 3)
  })

  it('sends every buffered frame when the client resumes from another epoch', async () => {
    const client = opened(await connect(`${wsUrl}?since=999&epoch=old`, { headers: { authorization: `Bearer ${server.token}` } }), sockets)
    const frames = await client.frames(node.events.lastId)
    assert.deepEqual(frames.map(frame => frame.id), Array.from({ length: node.events.lastId }, (_, i) => i + 1))
  })

  it('keeps the token across restarts and removes api.json on close', async () => {
    const token = server.token
    await server.close()
    await assert.rejects(stat(join(home, 'api.json')), { code: 'ENOENT' })
    server = await startApiServer({ node, home, port: 0 })
    assert.equal(server.token, token)
  })
})
