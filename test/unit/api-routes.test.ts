// The routes of the local API against an in-memory node: validation, status codes, error mapping.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createApiApp } from '../../core/api/app.js'
import type { MessageView } from '../../core/api/schema.js'
import { FakeNode } from './api-fake-node.js'

const HOST = '127.0.0.1:7421'
const TOKEN = 'test-token'

function setup (): { node: FakeNode, request: (method: string, path: string, body?: unknown) => Promise<Response> } {
  const node = new FakeNode()
  const app = createApiApp({ node, token: TOKEN, port: 7421, uiDir: undefined })
  const request = async (method: string, path: string, body?: unknown): Promise<Response> => await app.request(`http://${HOST}${path}`, {
    method,
    headers: { host: HOST, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { node, request }
}

async function errorOf (response: Response): Promise<{ code: string, message: string }> {
  return ((await response.json()) as { error: { code: string, message: string } }).error
}

describe('API routes', () => {
  it('sends a message: 201 with the stored message', async () => {
    const { node, request } = setup()
    const response = await request('POST', '/api/v1/messages', { to: 'bob', text: 'hello' })
    assert.equal(response.status, 201)
    const message = await response.json() as MessageView
    assert.equal(message.text, 'hello')
    assert.deepEqual(node.sent.map(m => m.id), [message.id])
  })

  it('answers 400 naming the field when the body does not match its schema', async () => {
    const { request } = setup()
    const missing = await errorOf(await request('POST', '/api/v1/messages', { to: 'bob' }))
    assert.equal(missing.code, 'BAD_REQUEST')
    assert.match(missing.message, /text/)
    const extra = await errorOf(await request('POST', '/api/v1/messages', { to: 'bob', text: 'x', admin: true }))
    assert.match(extra.message, /admin/)
  })

  it('answers 400 on a body that is not JSON at all', async () => {
    const { request } = setup()
    const response = await request('POST', '/api/v1/read', undefined)
    assert.equal(response.status, 400)
  })

  it('answers 400 naming the query parameter that is wrong', async () => {
    const error = await errorOf(await setup().request('GET', '/api/v1/messages?limit=0'))
    assert.equal(error.code, 'BAD_REQUEST')
    assert.match(error.message, /limit/)
  })

  it('maps node errors by code: an unknown peer is 404 UNKNOWN_PEER', async () => {
    const response = await setup().request('POST', '/api/v1/messages', { to: 'carol', text: 'hi' })
    assert.equal(response.status, 404)
    assert.equal((await errorOf(response)).code, 'UNKNOWN_PEER')
  })

  it('hides unexpected errors behind a 500 without their message', async () => {
    const { node, request } = setup()
    node.peers = async () => { throw new Error('secret internals at /home/alice') }
    const original = console.error
    console.error = () => {}
    try {
      const response = await request('GET', '/api/v1/peers')
      assert.equal(response.status, 500)
      const error = await errorOf(response)
      assert.equal(error.code, 'INTERNAL')
      assert.doesNotMatch(error.message, /secret/)
    } finally {
      console.error = original
    }
  })

  it('marks read and renames with 204', async () => {
    const { node, request } = setup()
    assert.equal((await request('POST', '/api/v1/read', { conversation: 'conv-bob' })).status, 204)
    assert.equal((await request('PUT', '/api/v1/profile', { name: 'Alice B.' })).status, 204)
    assert.deepEqual(node.read, ['conv-bob'])
    assert.equal(node.name, 'Alice B.')
  })

  it('streams the journal export as text, a bad filter failing before the body starts', async () => {
    const { request } = setup()
    await request('POST', '/api/v1/messages', { to: 'bob', text: 'one' })
    const response = await request('GET', '/api/v1/journal/export?with=bob&redact=true')
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/)
    const lines = (await response.text()).trimEnd().split('\n')
    assert.equal(lines.length, 2)
    assert.equal(JSON.parse(lines[1]).redacted, true)
    assert.equal((await request('GET', '/api/v1/journal/export?with=carol')).status, 404)
  })

  it('answers 400 on GET /events without a WebSocket upgrade, 404 JSON on unknown API paths', async () => {
    const { request } = setup()
    assert.equal((await request('GET', '/api/v1/events')).status, 400)
    const unknown = await request('GET', '/api/v1/nope')
    assert.equal(unknown.status, 404)
    assert.equal((await errorOf(unknown)).code, 'NOT_FOUND')
  })

  it('serves a placeholder page with the node name at /', async () => {
    const { node } = setup()
    node.name = '<b>alice</b>'
    const app = createApiApp({ node, token: TOKEN, port: 7421, uiDir: '/nonexistent' })
    const response = await app.request(`http://${HOST}/`, { headers: { host: HOST } })
    assert.equal(response.status, 200)
    const page = await response.text()
    assert.match(page, /&#60;b&#62;alice/)
    assert.doesNotMatch(page, /<b>alice/)
  })
})
