// The guard in front of the local API, exercised through hono's app.request (no socket).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createApiApp } from '../../core/api/app.js'
import { createLockedApp } from '../../core/api/locked-app.js'
import type { LockedNode } from '../../core/api/locked-node.js'
import { CausetteError } from '../../core/errors.js'
import { VERSION } from '../../core/runtime/build-info.js'
import { FakeNode } from './api-fake-node.js'

const PORT = 7421
const TOKEN = 'test-token'
const HOST = `127.0.0.1:${PORT}`

function setup (): { node: FakeNode, request: (path: string, init?: RequestInit) => Promise<Response> } {
  const node = new FakeNode()
  const app = createApiApp({ node, token: TOKEN, port: PORT, uiDir: undefined })
  return { node, request: async (path, init) => await app.request(`http://${HOST}${path}`, init) }
}

function headers (extra: Record<string, string> = {}): Record<string, string> {
  return { host: HOST, authorization: `Bearer ${TOKEN}`, ...extra }
}

async function errorCode (response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code
}

describe('API guard', () => {
  it('lets a request with the token, a loopback Host and no Origin through', async () => {
    const response = await setup().request('/api/v1/status', { headers: headers() })
    assert.equal(response.status, 200)
    assert.equal(((await response.json()) as { name: string }).name, 'alice')
  })

  it('accepts every loopback name for the right port', async () => {
    const { request } = setup()
    for (const host of [`localhost:${PORT}`, `[::1]:${PORT}`, `LOCALHOST:${PORT}`]) {
      assert.equal((await request('/api/v1/status', { headers: headers({ host }) })).status, 200, host)
    }
  })

  it('refuses a missing token with 401', async () => {
    const response = await setup().request('/api/v1/status', { headers: { host: HOST } })
    assert.equal(response.status, 401)
    assert.equal(await errorCode(response), 'UNAUTHORIZED')
  })

  it('refuses a wrong token with 401, also one sharing a prefix', async () => {
    const { request } = setup()
    for (const token of ['nope', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const response = await request('/api/v1/status', { headers: headers({ authorization: `Bearer ${token}` }) })
      assert.equal(response.status, 401, token)
    }
  })

  it('refuses a non-loopback Host with 403 (DNS rebinding), even with the token', async () => {
    const { request } = setup()
    for (const host of ['evil.example', `evil.example:${PORT}`, '127.0.0.1', `127.0.0.1:${PORT + 1}`, `127.0.0.2:${PORT}`]) {
      const response = await request('/api/v1/status', { headers: headers({ host }) })
      assert.equal(response.status, 403, host)
      assert.equal(await errorCode(response), 'FORBIDDEN')
    }
  })

  it('refuses the placeholder page too under a foreign Host', async () => {
    assert.equal((await setup().request('/', { headers: { host: 'evil.example' } })).status, 403)
  })

  it('refuses a foreign Origin with 403 and accepts our own', async () => {
    const { request } = setup()
    for (const origin of ['http://evil.example', 'null', `http://localhost:${PORT}`, `https://${HOST}`]) {
      const response = await request('/api/v1/status', { headers: headers({ origin }) })
      assert.equal(response.status, 403, origin)
    }
    assert.equal((await request('/api/v1/status', { headers: headers({ origin: `http://${HOST}` }) })).status, 200)
  })

  it('refuses a state-changing request that is not JSON with 415', async () => {
    const { node, request } = setup()
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const response = await request('/api/v1/messages', {
        method: 'POST',
        headers: headers(contentType === undefined ? {} : { 'content-type': contentType }),
        body: JSON.stringify({ to: 'bob', text: 'hi' })
      })
      assert.equal(response.status, 415, String(contentType))
      assert.equal(await errorCode(response), 'UNSUPPORTED_MEDIA_TYPE')
    }
    assert.equal(node.sent.length, 0)
  })

  it('turns start at login on only for the token holder on our own origin, as JSON: a page, a form, a foreign Host or a bad body installs nothing', async () => {
    const { node, request } = setup()
    const put = async (extra: Record<string, string>, body: string, withToken = true): Promise<Response> => await request('/api/v1/autostart', {
      method: 'PUT',
      headers: withToken ? headers(extra) : { host: HOST, ...extra },
      body
    })
    const json = { 'content-type': 'application/json' }
    const on = JSON.stringify({ enabled: true })
    assert.equal((await put(json, on, false)).status, 401)
    assert.equal((await put({ ...json, origin: 'http://evil.example' }, on)).status, 403)
    assert.equal((await put({ ...json, host: `evil.example:${PORT}` }, on)).status, 403)
    assert.equal((await put({ 'content-type': 'text/plain' }, on)).status, 415)
    assert.equal((await put(json, JSON.stringify({ enabled: true, program: '/tmp/evil' }))).status, 400, 'the request names no program')
    assert.equal((await put(json, JSON.stringify({ enabled: 'yes' }))).status, 400)
    assert.equal(node.startAtLogin, false)
    const accepted = await put({ ...json, origin: `http://${HOST}` }, on)
    assert.equal(accepted.status, 200)
    assert.equal(((await accepted.json()) as { enabled: boolean }).enabled, true)
    assert.equal(node.startAtLogin, true)
  })

  it('takes a release bundle on /update/apply only, with its own type (no form can send it), past the 1 MiB body limit', async () => {
    const { node, request } = setup()
    const bundle = new Uint8Array(2 * 1024 * 1024 + 1)
    const upload = async (path: string, contentType: string): Promise<Response> => await request(path, { method: 'POST', headers: headers({ 'content-type': contentType }), body: bundle })
    assert.equal((await upload('/api/v1/update/apply', 'application/vnd.causette.release')).status, 200)
    assert.equal(node.appliedBytes, bundle.byteLength)
    for (const [path, contentType] of [['/api/v1/messages', 'application/vnd.causette.release'], ['/api/v1/update/apply', 'application/octet-stream'], ['/api/v1/update/apply', 'multipart/form-data; boundary=x']] as const) {
      const response = await upload(path, contentType)
      assert.equal(response.status, 415, `${path} ${contentType}`)
      assert.equal(await errorCode(response), 'UNSUPPORTED_MEDIA_TYPE')
    }
    assert.equal(node.appliedBytes, bundle.byteLength)
  })
})

describe('API guard of a locked node (waiting for its passphrase)', () => {
  const PASSPHRASE = 'correct horse'

  /** A locked node whose unlock takes the right passphrase only, and waits for `release` when given one. */
  function lockedSetup (): { attempts: string[], attempted: () => Promise<void>, release: () => void, request: (path: string, init?: RequestInit) => Promise<Response> } {
    const attempts: string[] = []
    let release = (): void => {}
    let signalAttempt = (): void => {}
    const locked: LockedNode = {
      profile: '/home/ana/.causette',
      name: 'ana',
      unlock: async passphrase => {
        attempts.push(passphrase)
        signalAttempt()
        await new Promise<void>(resolve => { release = resolve })
        if (passphrase !== PASSPHRASE) throw new CausetteError('PASSPHRASE_WRONG', 'Wrong passphrase')
        return new FakeNode()
      }
    }
    const app = createLockedApp({ locked, token: TOKEN, port: PORT, uiDir: undefined })
    const attempted = async (): Promise<void> => { await new Promise<void>(resolve => { signalAttempt = resolve }) }
    return { attempts, attempted, release: () => { release() }, request: async (path, init) => await app.request(`http://${HOST}${path}`, init) }
  }

  const unlockWith = (passphrase: string, extra: Record<string, string> = {}, withToken = true): RequestInit => ({
    method: 'POST',
    headers: { ...(withToken ? headers() : { host: HOST }), 'content-type': 'application/json', ...extra },
    body: JSON.stringify({ passphrase })
  })

  it('refuses an unlock without the token, from a foreign Origin or Host, or not as JSON, before any attempt', async () => {
    const { attempts, request } = lockedSetup()
    assert.equal((await request('/api/v1/unlock', unlockWith(PASSPHRASE, {}, false))).status, 401)
    assert.equal((await request('/api/v1/unlock', unlockWith(PASSPHRASE, { origin: 'http://evil.example' }))).status, 403)
    assert.equal((await request('/api/v1/unlock', unlockWith(PASSPHRASE, { host: `evil.example:${PORT}` }))).status, 403)
    assert.equal((await request('/api/v1/unlock', unlockWith(PASSPHRASE, { 'content-type': 'text/plain' }))).status, 415)
    assert.equal((await request('/api/v1/unlock', { ...unlockWith(''), body: JSON.stringify({ passphrase: '' }) })).status, 400)
    assert.equal((await request('/api/v1/status', { headers: { host: HOST } })).status, 401, 'nor does it say it is locked without the token')
    assert.deepEqual(attempts, [])
  })

  it('answers its status (locked) and the node proof; every other route is NODE_LOCKED', async () => {
    const { request } = lockedSetup()
    const status = await request('/api/v1/status', { headers: headers() })
    assert.equal(status.status, 200)
    assert.deepEqual(await status.json(), { locked: true, profile: '/home/ana/.causette', name: 'ana', version: VERSION })
    assert.equal((await request(`/api/v1/node-proof?challenge=${'A'.repeat(43)}`, { headers: { host: HOST } })).status, 200)
    for (const path of ['/api/v1/peers', '/api/v1/conversations', '/api/v1/openapi.json']) {
      const response = await request(path, { headers: headers() })
      assert.equal(response.status, 423, path)
      assert.equal(await errorCode(response), 'NODE_LOCKED')
    }
  })

  it('takes one attempt at a time: a wrong passphrase is PASSPHRASE_WRONG, a second attempt meanwhile UNLOCK_BUSY', async () => {
    const { attempts, attempted, release, request } = lockedSetup()
    let attempt = attempted()
    const wrong = request('/api/v1/unlock', unlockWith('incorrect horse'))
    await attempt
    const meanwhile = await request('/api/v1/unlock', unlockWith(PASSPHRASE))
    assert.equal(meanwhile.status, 409)
    assert.equal(await errorCode(meanwhile), 'UNLOCK_BUSY')
    release()
    const refused = await wrong
    assert.equal(refused.status, 403)
    assert.equal(await errorCode(refused), 'PASSPHRASE_WRONG')
    attempt = attempted()
    const right = request('/api/v1/unlock', unlockWith(PASSPHRASE))
    await attempt
    release()
    assert.deepEqual(await (await right).json(), { locked: false })
    assert.deepEqual(attempts, ['incorrect horse', PASSPHRASE])
  })
})
