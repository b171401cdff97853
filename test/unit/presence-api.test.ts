// The presence and settings routes of the local API, against an in-memory node: validation,
// PATCH semantics, digests listed and dismissed, and the OpenAPI document naming them.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createApiApp } from '../../core/api/app.js'
import type { PresenceView } from '../../core/api/schema.js'
import type { NodeApi } from '../../core/api/node-api.js'
import { FakeNode } from './api-fake-node.js'

const HOST = '127.0.0.1:7421'
const TOKEN = 'test-token'

function setup (): { node: FakeNode, request: (method: string, path: string, body?: unknown) => Promise<Response> } {
  const node = new FakeNode()
  const app = createApiApp({ node: node as unknown as NodeApi, token: TOKEN, port: 7421, uiDir: undefined })
  const request = async (method: string, path: string, body?: unknown): Promise<Response> => await app.request(`http://${HOST}${path}`, {
    method,
    headers: { host: HOST, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { node, request }
}

describe('presence API', () => {
  it('sets and reads the presence; refuses an unknown status and a multi-line text', async () => {
    const { request } = setup()
    const set = await request('PUT', '/api/v1/presence', { status: 'focus', text: 'Deep work', until: 1_900_000_000_000 })
    assert.equal(set.status, 200)
    assert.equal(((await (await request('GET', '/api/v1/presence')).json()) as PresenceView).status, 'focus')
    for (const body of [{ status: 'asleep' }, { status: 'focus', text: 'a\nb' }, { status: 'focus', color: 'red' }, { status: 'focus', forMinutes: 0 }]) {
      const refused = await request('PUT', '/api/v1/presence', body)
      assert.equal(refused.status, 400, JSON.stringify(body))
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'BAD_REQUEST')
    }
  })

  it('mutes a conversation and counts activity', async () => {
    const { node, request } = setup()
    const muted = (await (await request('POST', '/api/v1/mute', { with: 'bob', muted: true, forMinutes: 60 })).json()) as PresenceView
    assert.deepEqual(muted.muted.map(m => m.conversation), ['bob'])
    assert.equal((await request('POST', '/api/v1/presence/activity', {})).status, 204)
    assert.equal(node.activity, 1)
  })

  it('PATCH /settings changes what it names and keeps the rest', async () => {
    const { request } = setup()
    const limit = 5 * 1024 ** 3
    assert.deepEqual(await (await request('GET', '/api/v1/settings')).json(), { readReceipts: true, notificationSound: true, fileLimitBytes: limit })
    const patched = await request('PATCH', '/api/v1/settings', { readReceipts: false })
    assert.equal(patched.status, 200)
    assert.deepEqual(await patched.json(), { readReceipts: false, notificationSound: true, fileLimitBytes: limit })
    assert.deepEqual(await (await request('PATCH', '/api/v1/settings', { notificationSound: false })).json(), { readReceipts: false, notificationSound: false, fileLimitBytes: limit })
    assert.deepEqual(await (await request('PATCH', '/api/v1/settings', { fileLimitBytes: 1024 ** 3 })).json(), { readReceipts: false, notificationSound: false, fileLimitBytes: 1024 ** 3 })
    assert.deepEqual(await (await request('PATCH', '/api/v1/settings', {})).json(), { readReceipts: false, notificationSound: false, fileLimitBytes: 1024 ** 3 })
    assert.equal((await request('PATCH', '/api/v1/settings', { readReceipts: 'no' })).status, 400)
    assert.equal((await request('PATCH', '/api/v1/settings', { notificationSound: 'loud' })).status, 400)
    assert.equal((await request('PATCH', '/api/v1/settings', { fileLimitBytes: -1 })).status, 400)
    assert.equal((await request('PATCH', '/api/v1/settings', { fileLimitBytes: 1.5 })).status, 400)
  })

  it('lists digests and dismisses one; an unknown one is 404 NOT_FOUND', async () => {
    const { node, request } = setup()
    const digest = { id: 'd1', time: 2, total: 1, since: 1, from: [{ peer: 'p', name: 'Bob', conversation: 'c', count: 1, messages: ['m'] }] }
    node.digestViews = [digest]
    assert.deepEqual(await (await request('GET', '/api/v1/presence/digests')).json(), [digest])
    assert.equal((await request('POST', '/api/v1/presence/digests/d1/dismiss', {})).status, 204)
    assert.deepEqual(await (await request('GET', '/api/v1/presence/digests')).json(), [])
    const again = await request('POST', '/api/v1/presence/digests/d1/dismiss', {})
    assert.equal(again.status, 404)
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'NOT_FOUND')
  })

  it('the OpenAPI document describes the new routes', async () => {
    const { request } = setup()
    const doc = await (await request('GET', '/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> }
    assert.ok(doc.paths['/presence']?.put !== undefined && doc.paths['/presence']?.get !== undefined)
    assert.ok(doc.paths['/settings']?.patch !== undefined)
    assert.ok(doc.paths['/mute']?.post !== undefined)
    assert.ok(doc.paths['/presence/digests']?.get !== undefined && doc.paths['/presence/digests/{digestId}/dismiss']?.post !== undefined)
  })
})
