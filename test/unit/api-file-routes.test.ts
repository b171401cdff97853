// The file routes of the local API against an in-memory node: the upload, the download headers,
// inline images only for raster types whose bytes agree, the single-use download link, the guard.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createApiApp } from '../../core/api/app.js'
import type { AttachmentView, DownloadTicket, StagedFileView } from '../../core/api/schema.js'
import { FakeFileNode } from './api-fake-file-node.js'

const HOST = '127.0.0.1:7421'
const TOKEN = 'test-token'
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5])
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')

function setup (): { node: FakeFileNode, request: (method: string, path: string, init?: { body?: BodyInit, headers?: Record<string, string> }) => Promise<Response> } {
  const node = new FakeFileNode()
  const app = createApiApp({ node, token: TOKEN, port: 7421, uiDir: undefined })
  const request = async (method: string, path: string, init: { body?: BodyInit, headers?: Record<string, string> } = {}): Promise<Response> =>
    await app.request(`http://${HOST}${path}`, { method, body: init.body, headers: { host: HOST, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers } })
  return { node, request }
}

const upload = { 'content-type': 'application/octet-stream' }
const json = (value: unknown): { body: string } => ({ body: JSON.stringify(value) })

async function errorOf (response: Response): Promise<{ code: string, message: string }> {
  return ((await response.json()) as { error: { code: string, message: string } }).error
}

describe('API file routes', () => {
  it('stages an upload streamed as application/octet-stream, its name made safe, and sends it', async () => {
    const { node, request } = setup()
    const response = await request('POST', `/api/v1/files?name=${encodeURIComponent('../../etc/pass\u202Ewd.txt')}&type=text/plain`, { body: 'hello file', headers: upload })
    assert.equal(response.status, 201)
    const staged = await response.json() as StagedFileView
    assert.doesNotMatch(staged.name, /[/\\\u202E]/)
    assert.equal(staged.size, 10)
    const sent = await request('POST', '/api/v1/messages', json({ to: 'bob', attachments: [{ file: staged.id }] }))
    assert.equal(sent.status, 201)
    assert.deepEqual(node.sendOptions.at(-1)?.attachments, [{ file: staged.id }])
  })

  it('refuses an empty body, a missing name, a JSON or form body and a message of nothing', async () => {
    const { request } = setup()
    const empty = await request('POST', '/api/v1/files?name=a.txt', { body: '', headers: upload })
    assert.equal(empty.status, 400)
    assert.match((await errorOf(empty)).message, /empty/)
    const noName = await request('POST', '/api/v1/files', { body: 'x', headers: upload })
    assert.equal(noName.status, 400)
    assert.match((await errorOf(noName)).message, /name/)
    assert.equal((await request('POST', '/api/v1/files?name=a.txt', { body: '{}' })).status, 415)
    assert.equal((await request('POST', '/api/v1/files?name=a.txt', { body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 415)
    const nothing = await request('POST', '/api/v1/messages', json({ to: 'bob' }))
    assert.equal(nothing.status, 400)
    assert.match((await errorOf(nothing)).message, /text/)
  })

  it('takes an upload larger than the JSON body limit (the store bounds it, not the API)', async () => {
    const { node, request } = setup()
    const response = await request('POST', '/api/v1/files?name=big.bin', { body: new Uint8Array(2 * 1024 * 1024 + 5), headers: upload })
    assert.equal(response.status, 201)
    assert.equal([...node.staged.values()][0]?.size, 2 * 1024 * 1024 + 5)
  })

  it('serves a held file as a download: attachment with filename*, octet-stream, nosniff, a sandbox CSP, the same bytes', async () => {
    const { node, request } = setup()
    const view = node.receive('Devis été "2026".svg', 'image/svg+xml', SVG)
    const response = await request('GET', `/api/v1/attachments/${view.id}/content`)
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-type'), 'application/octet-stream')
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="Devis ete _2026_.svg"; filename*=UTF-8\'\'Devis%20%C3%A9t%C3%A9%20%222026%22.svg')
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
    assert.equal(response.headers.get('content-security-policy'), "sandbox; default-src 'none'")
    assert.equal(response.headers.get('content-length'), String(SVG.byteLength))
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), SVG)
  })

  it('shows a PNG inline, and refuses inline for SVG, HTML and a "PNG" whose bytes are HTML, closing what it opened', async () => {
    const { node, request } = setup()
    const png = node.receive('photo.png', 'image/png', PNG)
    const inline = await request('GET', `/api/v1/attachments/${png.id}/content?inline=true`)
    assert.equal(inline.status, 200)
    assert.equal(inline.headers.get('content-type'), 'image/png')
    assert.match(inline.headers.get('content-disposition') ?? '', /^inline; /)
    assert.equal(inline.headers.get('content-security-policy'), "sandbox; default-src 'none'")
    assert.deepEqual(new Uint8Array(await inline.arrayBuffer()), PNG)
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>')
    for (const view of [node.receive('a.svg', 'image/svg+xml', SVG), node.receive('a.html', 'text/html', html), node.receive('fake.png', 'image/png', html)]) {
      const refused = await request('GET', `/api/v1/attachments/${view.id}/content?inline=true`)
      assert.equal(refused.status, 400, view.name)
      assert.equal(refused.headers.get('content-type')?.startsWith('application/json'), true)
    }
    assert.equal(node.contentClosed, node.contentOpened)
  })

  it('shows an image stated as another raster type (a JPEG named .png) as what its bytes are', async () => {
    const { node, request } = setup()
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1])
    const named = node.receive('photo.png', 'image/png', jpeg)
    const inline = await request('GET', `/api/v1/attachments/${named.id}/content?inline=true`)
    assert.equal(inline.status, 200)
    assert.equal(inline.headers.get('content-type'), 'image/jpeg', 'the type its bytes prove, one of the four')
    assert.equal(inline.headers.get('x-content-type-options'), 'nosniff')
    assert.deepEqual(new Uint8Array(await inline.arrayBuffer()), jpeg)
    const svgAsJpeg = node.receive('drawing.jpg', 'image/jpeg', SVG)
    assert.equal((await request('GET', `/api/v1/attachments/${svgAsJpeg.id}/content?inline=true`)).status, 400, 'bytes of no raster type stay refused')
    const jpegAsSvg = node.receive('photo.svg', 'image/svg+xml', jpeg)
    assert.equal((await request('GET', `/api/v1/attachments/${jpegAsSvg.id}/content?inline=true`)).status, 400, 'a type never shown inline stays refused whatever its bytes')
  })

  it('answers FILE_NOT_HELD (409) for a file still fetching and NOT_FOUND for a wrong id', async () => {
    const { node, request } = setup()
    const fetching = node.receive('big.bin', 'application/octet-stream', PNG, 'fetching')
    const notHeld = await request('GET', `/api/v1/attachments/${fetching.id}/content`)
    assert.equal(notHeld.status, 409)
    assert.equal((await errorOf(notHeld)).code, 'FILE_NOT_HELD')
    assert.equal((await request('POST', `/api/v1/attachments/${fetching.id}/download`, json({}))).status, 409)
    assert.equal((await request('GET', '/api/v1/attachments/nope')).status, 404)
    assert.equal((await request('GET', '/api/v1/attachments/nope/content')).status, 404)
    assert.equal((await request('DELETE', '/api/v1/files/nope')).status, 404)
  })

  it('gives a download link that works once, without the token, and not from another origin', async () => {
    const { node, request } = setup()
    const view = node.receive('report.pdf', 'application/pdf', PNG)
    const ticketResponse = await request('POST', `/api/v1/attachments/${view.id}/download`, json({}))
    assert.equal(ticketResponse.status, 201)
    const { url } = await ticketResponse.json() as DownloadTicket
    assert.match(url, /^\/api\/v1\/downloads\/[A-Za-z0-9_-]{43}$/)
    const foreign = await request('GET', url, { headers: { authorization: '', origin: 'http://evil.example' } })
    assert.equal(foreign.status, 403)
    const rebound = await request('GET', url, { headers: { authorization: '', host: 'evil.example:7421' } })
    assert.equal(rebound.status, 403, 'DNS rebinding: another Host is refused, ticket or not')
    const first = await request('GET', url, { headers: { authorization: '' } })
    assert.equal(first.status, 200)
    assert.equal(first.headers.get('content-type'), 'application/octet-stream')
    assert.match(first.headers.get('content-disposition') ?? '', /^attachment; /)
    assert.deepEqual(new Uint8Array(await first.arrayBuffer()), PNG)
    const second = await request('GET', url, { headers: { authorization: '' } })
    assert.equal(second.status, 404)
    assert.equal((await request('GET', '/api/v1/downloads/not-a-ticket', { headers: { authorization: '' } })).status, 401)
  })

  it('cancels, retries, drops a staged file and reports usage', async () => {
    const { node, request } = setup()
    const view = node.receive('a.bin', 'application/octet-stream', PNG, 'fetching')
    assert.equal(((await (await request('POST', `/api/v1/attachments/${view.id}/cancel`, json({}))).json()) as AttachmentView).state, 'cancelled')
    assert.equal(((await (await request('POST', `/api/v1/attachments/${view.id}/retry`, json({}))).json()) as AttachmentView).state, 'fetching')
    const staged = await (await request('POST', '/api/v1/files?name=a.txt', { body: 'abc', headers: upload })).json() as StagedFileView
    assert.equal((await request('DELETE', `/api/v1/files/${staged.id}`)).status, 204)
    const usage = await (await request('GET', '/api/v1/files')).json() as { mineBytes: number }
    assert.equal(usage.mineBytes, PNG.byteLength)
  })
})
