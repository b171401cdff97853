// The app as an installed PWA and the local API as a hostile page sees it: the service worker takes
// control on first load and the app shell opens with the daemon gone; a page of another origin
// (another port on loopback) that replays the app's requests, token included, is refused.
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { screenshot } from '../helpers/browser.js'
import { contrastFailures } from '../helpers/browser-contrast.js'
import { startApiServer, type ApiServer } from '../../core/api/server.js'
import { buildUiOnce } from '../helpers/browser-daemons.js'
import { pairWithBrowser } from '../helpers/browser-session.js'

/** A page of another origin: http://127.0.0.1:<another port>/. */
async function startForeignSite (): Promise<{ url: string, server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title><p>another site</p>')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }
}

/**
 * What a page of another origin would run with the app's token: read, send (with a preflight), a
 * "simple" POST that needs none (the browser sends it; the daemon must refuse it), and the event
 * socket. A string, because the test runner's transpiler would add helpers the page lacks.
 */
function replayScript (api: string, token: string, to: string): string {
  return `(async () => {
    const headers = { authorization: 'Bearer ${token}', 'content-type': 'application/json' }
    const body = JSON.stringify({ to: '${to}', text: 'forged' })
    const attempt = (request) => request.then(response => 'answered ' + response.status, () => 'refused')
    return {
      read: await attempt(fetch('${api}/api/v1/messages', { headers })),
      send: await attempt(fetch('${api}/api/v1/messages', { method: 'POST', headers, body })),
      simple: await attempt(fetch('${api}/api/v1/messages', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body })),
      socket: await new Promise(resolve => {
        const ws = new WebSocket('${api.replace('http', 'ws')}/api/v1/events', ['causette.events.v1', 'causette.token.${token}'])
        ws.onopen = () => resolve('open')
        ws.onerror = () => resolve('refused')
      })
    }
  })()`
}

describe('PWA and origin checks', () => {
  const session = pairWithBrowser()
  let foreign: { url: string, server: Server }
  let restarted: ApiServer | undefined

  before(async () => { foreign = await startForeignSite() })
  after(async () => {
    await restarted?.close()
    foreign?.server.close()
  })

  it('installs: a manifest with icons, and a service worker that controls the page', async () => {
    const { alice, page } = session
    await page.goto(alice.appLink)
    await page.getByRole('heading', { name: /Hello/ }).waitFor()
    const manifest = await page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel=manifest]')!.href
      return await (await fetch(href)).json() as { name: string, display: string, icons: Array<{ sizes: string }> }
    })
    assert.equal(manifest.name, 'causette')
    assert.equal(manifest.display, 'standalone')
    assert.ok(manifest.icons.some(icon => icon.sizes === '512x512'))
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
  })

  it('refuses the app\'s own requests replayed from a page of another origin', async () => {
    const { alice, bruno, browser } = session
    const before = (await alice.node.messages({ limit: 1000 })).length
    const foreignPage = await browser.context.newPage()
    await foreignPage.goto(foreign.url)
    const outcome = await foreignPage.evaluate(replayScript(alice.api.url, alice.api.token, bruno.node.peerId)) as Record<string, string>
    // The no-cors POST does reach the daemon (no preflight): its 403 comes back with
    // Cross-Origin-Resource-Policy: same-origin, so the page is refused even an opaque answer, and
    // the unchanged message count below shows the daemon did not act on it.
    assert.deepEqual(outcome, { read: 'refused', send: 'refused', simple: 'refused', socket: 'refused' })
    assert.equal((await alice.node.messages({ limit: 1000 })).length, before, 'no message was sent')
    await foreignPage.close()

    // The same request outside a browser: refused with a foreign Origin, accepted with the app's.
    const replay = async (origin: string): Promise<number> => (await fetch(`${alice.api.url}/api/v1/status`, {
      headers: { authorization: `Bearer ${alice.api.token}`, origin }
    })).status
    assert.equal(await replay(foreign.url.slice(0, -1)), 403)
    assert.equal(await replay('http://evil.example'), 403)
    assert.equal(await replay(alice.api.url), 200)
  })

  it('opens the app shell offline, from the service worker, when the daemon is gone', async () => {
    const { alice, page } = session
    await alice.api.close()
    await page.reload()
    await page.getByRole('link', { name: 'causette: home' }).waitFor()
    await page.getByText(/Cannot reach your causette node/).waitFor()
    await screenshot(page, 'offline-shell')
    assert.deepEqual(await contrastFailures(page), [])
    // The verifier (and its libsodium chunk, precached) works with no daemon at all.
    await page.getByRole('link', { name: 'Verifier' }).click()
    await page.getByRole('heading', { name: 'Verify a journal export' }).waitFor()
    const file = join(await mkdtemp(join(tmpdir(), 'causette-export-')), 'journal.txt')
    let text = ''
    for await (const line of alice.node.exportJournal({})) text += line.endsWith('\n') ? line : `${line}\n`
    await writeFile(file, text)
    await page.getByLabel('Choose a file…').setInputFiles(file)
    await page.locator('[data-verdict="valid"]').waitFor()
    await rm(dirname(file), { recursive: true })
  })

  it('reconnects by itself when the daemon is back, and catches up', async () => {
    const { alice, bruno, page } = session
    const port = Number(new URL(alice.api.url).port)
    restarted = await startApiServer({ node: alice.node, home: alice.node.home, port, uiDir: await buildUiOnce() })
    await bruno.node.send(alice.node.peerId, 'Back online?')
    await page.getByRole('link', { name: 'causette: home' }).click()
    await page.getByRole('link', { name: /^Bruno Petit/ }).getByText('Back online?').waitFor()
    assert.equal(await page.getByText(/Cannot reach your causette node/).count(), 0)
  })
})
