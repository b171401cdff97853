// The safety number and trust routes of the local API, served by real nodes on loopback (mDNS off):
// what they answer, how an unknown peer and a bad body are refused, how OpenAPI describes them.
import assert from 'node:assert/strict'
import { describe, it, type TestContext } from 'node:test'
import { openApiDocument } from '../../core/api/openapi.js'
import { apiRoutes } from '../../core/api/routes.js'
import type { PeerView, SafetyNumberView, TrustView } from '../../core/api/schema.js'
import { startApiServer } from '../../core/api/server.js'
import { apiClient } from '../../core/cli/client.js'
import type { CausetteNode } from '../../core/node/node.js'
import { addressOf, testNode, waitForPeer } from '../helpers/nodes.js'

type Request = (method: string, path: string, body?: unknown) => Promise<{ status: number, body: any }>

/** Requests to `node`'s own API server on loopback, with its token, as the CLI makes them. */
async function api (t: TestContext, node: CausetteNode): Promise<Request> {
  const server = await startApiServer({ node, home: node.home, port: 0 })
  t.after(async () => { await server.close() })
  const client = await apiClient(node.home)
  return async (method, path, body) => {
    const response = await client.fetch(`/api/v1${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    return { status: response.status, body: await response.json() }
  }
}

describe('API: safety number and trust', () => {
  it('GET /peers/{peerId}/safety-number gives the same digits on both sides; POST /peers/{peerId}/trust marks verified', async (t) => {
    const alice = await testNode(t, { name: 'alice' })
    const bob = await testNode(t, { name: 'bob', peers: [addressOf(alice)] })
    await waitForPeer(alice, bob.peerId)
    await waitForPeer(bob, alice.peerId)
    const asAlice = await api(t, alice)
    const asBob = await api(t, bob)

    const fromAlice = await asAlice('GET', `/peers/${bob.peerId}/safety-number`)
    assert.equal(fromAlice.status, 200)
    const safety = fromAlice.body as SafetyNumberView
    assert.match(safety.digits, /^\d{5}( \d{5}){11}$/)
    assert.deepEqual({ ...safety, digits: '', qr: '' }, { peerId: bob.peerId, name: 'bob', digits: '', qr: '', verified: false, keyChanged: false })
    assert.equal(Buffer.from(safety.qr, 'base64').subarray(0, 3).toString(), 'CSN')
    const fromBob = await asBob('GET', `/peers/${encodeURIComponent('ALICE')}/safety-number`) // a display name, any case
    assert.equal((fromBob.body as SafetyNumberView).digits, safety.digits)

    const trusted = await asAlice('POST', `/peers/${bob.peerId}/trust`, {})
    assert.equal(trusted.status, 200)
    assert.deepEqual([(trusted.body as TrustView).peer.verified, (trusted.body as TrustView).acceptedKeyChange], [true, false])
    const peers = (await asAlice('GET', '/peers')).body as PeerView[]
    assert.equal(peers.find(p => p.peerId === bob.peerId)?.verified, true)
    assert.equal(((await asAlice('GET', `/peers/${bob.peerId}/safety-number`)).body as SafetyNumberView).verified, true)
  })

  it('refuses an unknown peer (404 UNKNOWN_PEER) and a body with fields (400)', async (t) => {
    const request = await api(t, await testNode(t, { name: 'alice' }))
    for (const [method, path, body] of [['GET', '/peers/nobody/safety-number', undefined], ['POST', '/peers/nobody/trust', {}]] as const) {
      const { status, body: answer } = await request(method, path, body)
      assert.deepEqual([status, answer.error.code], [404, 'UNKNOWN_PEER'])
      assert.match(answer.error.message, /nobody/)
    }
    const extra = await request('POST', '/peers/nobody/trust', { verified: true })
    assert.deepEqual([extra.status, extra.body.error.code], [400, 'BAD_REQUEST'])
  })

  it('is described in the OpenAPI document', () => {
    const doc = openApiDocument(apiRoutes) as { paths: Record<string, Record<string, { operationId: string }>>, components: { schemas: Record<string, unknown> } }
    assert.equal(doc.paths['/peers/{peerId}/safety-number']?.get?.operationId, 'getSafetyNumber')
    assert.equal(doc.paths['/peers/{peerId}/trust']?.post?.operationId, 'trustPeer')
    assert.ok(doc.components.schemas.SafetyNumber)
    assert.ok(doc.components.schemas.Trust)
  })
})
