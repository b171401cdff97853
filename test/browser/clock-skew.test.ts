// A clock a day off, in the browser: Alice's computer runs a day ahead of Bruno's and Carla's (her
// node's clock is injected). Her app says so in a banner; Bruno's People note her clock; her message
// to Bruno shows it claims a time a day after it arrived. Once she sets her clock right, the banner
// goes without anyone speaking again. Screenshots in test-artifacts/.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { screenshot } from '../helpers/browser.js'
import { buildUiOnce, startDaemon, waitUntil, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, type OpenApps } from '../helpers/browser-session.js'

const DAY = 24 * 3600_000
/** How far Alice's clock is ahead; set to 0 when she fixes it. */
let aliceAhead = DAY

describe('browser app: a computer whose clock is a day ahead', () => {
  let alice: Daemon
  let bruno: Daemon
  let carla: Daemon
  let apps: OpenApps
  let a: Page
  let b: Page

  before(async () => {
    const uiDir = await buildUiOnce()
    bruno = await startDaemon({ name: 'Bruno Petit', uiDir })
    carla = await startDaemon({ name: 'Carla Rossi', uiDir, peers: [bruno.address] })
    alice = await startDaemon({ name: 'Alice Martin', uiDir, peers: [bruno.address, carla.address], now: () => Date.now() + aliceAhead })
    for (const daemon of [alice, bruno, carla]) {
      await waitUntil(async () => (await daemon.node.status()).clock.peers === 2, `${daemon.name} to hear both colleagues' clocks`, 30_000)
    }
    apps = await openApps([alice, bruno]);
    [a, b] = apps.pages as [Page, Page]
  })

  after(async () => {
    await apps?.close()
    for (const daemon of [alice, bruno, carla]) await daemon?.close()
  })

  const clockBanner = (page: Page) => page.locator('[data-banner="clock"]')

  it('tells Alice her clock is a day ahead of her colleagues\'', async () => {
    await clockBanner(a).waitFor()
    assert.equal(await clockBanner(a).innerText(), 'Your computer\'s clock is 1 day ahead of your colleagues\': fix it in the system settings')
    await screenshot(a, 'clock-skew-banner')
  })

  it('tells Bruno nothing about his own clock, and notes Alice\'s in People', async () => {
    await b.getByRole('button', { name: 'Alice Martin', exact: true }).waitFor()
    await waitUntil(async () => /Clock 1 day ahead/.test(await b.locator(`#presence-${alice.node.peerId}`).innerText()), 'the note on Alice')
    assert.doesNotMatch(await b.locator(`#presence-${carla.node.peerId}`).innerText(), /Clock/)
    assert.equal(await clockBanner(b).count(), 0)
    await screenshot(b, 'clock-skew-people')
  })

  it('shows on Alice\'s message that it claims to be sent a day after it arrived', async () => {
    await alice.node.send(bruno.node.peerId, 'Are we still on for the review?')
    await b.getByRole('button', { name: 'Alice Martin', exact: true }).click()
    const received = b.locator('[data-message-id]', { hasText: 'still on for the review' })
    await received.waitFor()
    assert.match(await received.innerText(), /Sent 1 day later than it arrived: the sender's clock may be wrong/)
  })

  it('takes the banner away once Alice sets her clock right', async () => {
    aliceAhead = 0
    await clockBanner(a).waitFor({ state: 'detached', timeout: 90_000 })
    assert.equal((await alice.node.status()).clock.wrong, false)
  })
})
