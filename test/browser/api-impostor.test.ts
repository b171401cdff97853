// Another local user takes the app's port once the daemon stops (issue 12, item 4). The app, opened
// before from the real daemon and now served by its service worker, must send that impostor no
// credential: not in a header, a subprotocol, a URL or a body. The impostor relays the app's node
// proof challenges to the real daemon, restarted on another port: the proof it gets back is bound
// to that port's origin, and the app refuses it. When the daemon is back on its port, the app
// (token unchanged) works again.
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { startApiServer, type ApiServer } from '../../core/api/server.js'
import { launchProfile, type BrowserProfile } from '../helpers/browser.js'
import { buildUiOnce, startDaemon, waitUntil, type Daemon } from '../helpers/browser-daemons.js'

interface SeenRequest { method: string, url: string, headers: string, body: string, upgrade: boolean }

/** A server on `port` that records everything it is sent and relays node proofs to `realApi`. */
async function startImpostor (port: number, realApi: string): Promise<{ seen: SeenRequest[], server: Server }> {
  const seen: SeenRequest[] = []
  const record = async (message: IncomingMessage, upgrade: boolean): Promise<void> => {
    let body = ''
    if (!upgrade) for await (const chunk of message) body += String(chunk)
    seen.push({ method: message.method ?? '', url: message.url ?? '', headers: JSON.stringify(message.rawHeaders), body, upgrade })
  }
  const server = createServer((incoming, response) => {
    void record(incoming, false).then(() => {
      if (incoming.url?.startsWith('/api/v1/node-proof') === true) {
        // Relayed with the real daemon's own Host, as its guard requires.
        httpRequest(realApi + incoming.url, relayed => { void relayed.pipe(response.writeHead(relayed.statusCode ?? 502, relayed.headers)) }).end()
        return
      }
      if (incoming.url?.startsWith('/api/') === true) {
        response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"UNAVAILABLE","message":"try again"}}')
        return
      }
      response.writeHead(404).end()
    })
  })
  server.on('upgrade', (incoming: IncomingMessage, socket) => {
    void record(incoming, true)
    socket.destroy()
  })
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve))
  return { seen, server }
}

describe('an impostor on the app\'s port', () => {
  let daemon: Daemon
  let profile: BrowserProfile
  let page: Page
  let elsewhere: ApiServer | undefined
  let back: ApiServer | undefined

  before(async () => {
    daemon = await startDaemon({ name: 'Alice Martin' })
    profile = await launchProfile()
    page = await profile.context.newPage()
    await page.goto(daemon.appLink)
    await page.getByRole('heading', { name: 'Hello, Alice Martin' }).waitFor()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
  })
  after(async () => {
    await profile?.close()
    await elsewhere?.close()
    await back?.close()
    // Its API was replaced by `elsewhere` (closed above): the node is stopped alone, its profile removed.
    await daemon?.node.stop()
    if (daemon !== undefined) await rm(daemon.home, { recursive: true, force: true })
  })

  it('receives no token, and the app works again when the daemon is back', async () => {
    const token = daemon.api.token
    const port = Number(new URL(daemon.api.url).port)
    await daemon.api.close()
    elsewhere = await startApiServer({ node: daemon.node, home: daemon.node.home, port: 0, uiDir: await buildUiOnce() })
    const impostor = await startImpostor(port, elsewhere.url)

    await page.reload()
    const apiRequests = (): SeenRequest[] => impostor.seen.filter(seen => seen.url.startsWith('/api/'))
    await waitUntil(() => apiRequests().length >= 3, 'the app to call the impostor', 30_000)
    for (const seen of impostor.seen) {
      for (const part of [seen.url, seen.headers, seen.body]) assert.equal(part.includes(token), false, `${seen.method} ${seen.url} carried the token`)
    }
    assert.deepEqual(apiRequests().filter(seen => !seen.url.startsWith('/api/v1/node-proof?')), [], 'only node proofs were asked')
    await page.getByText(/did not prove it is your causette node/).waitFor()

    const closed = new Promise<void>(resolve => impostor.server.close(() => { resolve() }))
    impostor.server.closeAllConnections()
    await closed
    back = await startApiServer({ node: daemon.node, home: daemon.node.home, port, uiDir: await buildUiOnce() })
    await waitUntil(async () => await page.getByText(/did not prove it is your causette node/).count() === 0, 'the app to trust its node again', 30_000)
    await page.getByRole('heading', { name: 'Hello, Alice Martin' }).waitFor()
  })
})
