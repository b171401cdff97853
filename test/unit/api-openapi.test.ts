// The OpenAPI document: generated from the route table, valid OpenAPI 3.1, listing every route.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import { createApiApp } from '../../core/api/app.js'
import { apiRoutes } from '../../core/api/routes.js'
import { FakeNode } from './api-fake-node.js'

const HOST = '127.0.0.1:7421'

async function fetchDocument (): Promise<Record<string, any>> {
  const app = createApiApp({ node: new FakeNode(), token: 't', port: 7421, uiDir: undefined })
  const response = await app.request(`http://${HOST}/api/v1/openapi.json`, { headers: { host: HOST, authorization: 'Bearer t' } })
  assert.equal(response.status, 200)
  return JSON.parse(await response.text()) as Record<string, any>
}

describe('OpenAPI document', () => {
  it('is served at /api/v1/openapi.json as OpenAPI 3.1.0 and validates against the 3.1 schema', async () => {
    const document = await fetchDocument()
    assert.equal(document.openapi, '3.1.0')
    const result = await new Validator().validate(document)
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2))
  })

  it('lists every route of the table, and nothing else', async () => {
    const document = await fetchDocument()
    const documented = Object.entries(document.paths as Record<string, object>)
      .flatMap(([path, operations]) => Object.keys(operations).map(method => `${method} ${path}`)).sort()
    const served = apiRoutes.map(route => `${route.method} ${route.path}`).sort()
    assert.deepEqual(documented, served)
    for (const expected of ['get /status', 'get /peers', 'get /conversations', 'get /messages', 'post /messages', 'post /read',
      'get /search', 'put /profile', 'get /journal/export', 'get /events', 'get /openapi.json']) {
      assert.ok(served.includes(expected), expected)
    }
  })

  it('describes bodies, queries and responses with the shared schemas', async () => {
    const { paths, components } = await fetchDocument()
    assert.deepEqual(paths['/messages'].post.requestBody.content['application/json'].schema, { $ref: '#/components/schemas/SendRequest' })
    assert.deepEqual(paths['/messages'].post.responses['201'].content['application/json'].schema, { $ref: '#/components/schemas/Message' })
    const parameters = (paths['/messages'].get.parameters as Array<{ name: string, required: boolean }>).map(p => p.name)
    assert.deepEqual(parameters, ['with', 'conversation', 'q', 'before', 'after', 'around', 'limit'])
    assert.deepEqual((paths['/search'].get.parameters as Array<{ name: string }>).map(p => p.name), ['q', 'limit'])
    assert.deepEqual(paths['/search'].get.responses['200'].content['application/json'].schema, { $ref: '#/components/schemas/SearchResults' })
    for (const id of ['Message', 'MessageState', 'Peer', 'Status', 'Conversation', 'Event', 'Error']) assert.ok(components.schemas[id], id)
  })

  it('documents the sendId of both send requests: its form, and that a retry with it sends nothing again', async () => {
    const { components } = await fetchDocument()
    for (const request of ['SendRequest', 'ChannelSend']) {
      const sendId = components.schemas[request].properties.sendId
      assert.deepEqual([sendId.minLength, sendId.maxLength, sendId.pattern], [16, 64, '^[A-Za-z0-9_-]{16,64}$'], request)
      assert.match(sendId.description, /a retry with the same sendId answers the message already stored, sending nothing/)
      assert.match(sendId.description, /409 SEND_ID_REUSED/)
      assert.ok(!((components.schemas[request].required ?? []) as string[]).includes('sendId'), `${request}: sendId is optional`)
    }
  })
})
