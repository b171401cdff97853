// Search in the app, two daemons in one workspace: a word typed without its accent and in capitals
// finds the message far back in a long 1:1 history; arrow keys reach the result, Enter opens the
// conversation scrolled to it and highlighted, and scrolling down follows the history back to the
// present; a channel message far back opens the same way; a result is an address, which opens the
// found message in a new page as a bookmark would. axe-core on the results and on the found message,
// in both themes.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { screenshot } from '../helpers/browser.js'
import { assertAccessible } from '../helpers/browser-axe.js'
import { startWorkspaceDaemons, waitUntil, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, type OpenApps } from '../helpers/browser-session.js'

const COUNT = 1_200
const BATCH = 200
const TARGET = 'Le contrat Dupont est signé, on peut lancer'
const CHANNEL_COUNT = 400
const CHANNEL_TARGET = "L'ÉCOLE Jaurès rouvre lundi"

/** Bruno's messages to Alice: one far back, then many; and the same in a channel. */
async function seed (alice: Daemon, bruno: Daemon): Promise<string> {
  let arrived = 0
  const unsubscribe = alice.node.events.subscribe(undefined, ({ event }) => {
    if (event.type === 'message' && event.message.direction === 'in') arrived++
  })
  await bruno.node.send(alice.node.peerId, 'first message')
  await bruno.node.send(alice.node.peerId, TARGET)
  for (let start = 3; start <= COUNT; start += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, COUNT - start + 1) }, async (_, i) => await bruno.node.send(alice.node.peerId, `routine update ${start + i}`)))
  }
  await bruno.node.send(alice.node.peerId, 'the newest message')
  await waitUntil(() => arrived === COUNT + 1, `${COUNT + 1} messages to arrive`, 120_000)
  unsubscribe()
  const channel = await alice.node.createChannel('chantier', 'the works')
  await alice.node.inviteToChannel(channel.id, [bruno.node.peerId])
  await waitUntil(async () => (await bruno.node.channels()).some(c => c.id === channel.id && c.members.length === 2), 'the channel at Bruno', 30_000)
  await bruno.node.sendToChannel(channel.id, CHANNEL_TARGET)
  for (let start = 2; start <= CHANNEL_COUNT; start += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, CHANNEL_COUNT - start + 1) }, async (_, i) => await bruno.node.sendToChannel(channel.id, `site note ${start + i}`)))
  }
  await waitUntil(async () => (await alice.node.channelMessages(channel.id, { limit: 1000 })).length === CHANNEL_COUNT, `${CHANNEL_COUNT} channel messages at Alice`, 120_000)
  return channel.id
}

describe('search: find a message far back and jump to it', () => {
  const session = {} as { daemons: Daemon[], apps: OpenApps, page: Page, channel: string }
  before(async () => {
    session.daemons = await startWorkspaceDaemons(['Alice Martin', 'Bruno Petit'])
    session.channel = await seed(session.daemons[0]!, session.daemons[1]!)
    session.apps = await openApps([session.daemons[0]!])
    session.page = session.apps.pages[0]!
  })
  after(async () => {
    await session.apps?.close()
    for (const daemon of session.daemons ?? []) await daemon.close()
  })

  it('finds "signé" typed as SIGNE, with the word highlighted; no axe violation in either theme', async () => {
    const { page } = session
    await page.getByRole('searchbox', { name: 'Search messages' }).fill('SIGNE')
    const result = page.locator('a.result', { hasText: 'contrat Dupont' })
    await result.waitFor()
    assert.equal(await result.locator('mark').first().textContent(), 'signé')
    assert.match(await result.textContent() ?? '', /Bruno/)
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme })
      await assertAccessible(page, `search results (${theme})`)
    }
    await page.emulateMedia({ colorScheme: 'light' })
    await screenshot(page, 'search-results')
  })

  it('arrow down and Enter open the conversation scrolled to the message, highlighted', async () => {
    const { page } = session
    await page.getByRole('searchbox', { name: 'Search messages' }).press('ArrowDown')
    await waitUntil(async () => await page.evaluate(() => document.activeElement?.classList.contains('result') === true), 'the first result focused')
    await page.keyboard.press('Enter')
    const found = page.locator('[data-found="true"]')
    await found.waitFor()
    assert.match(await found.textContent() ?? '', /contrat Dupont/)
    const [box, log] = [await found.boundingBox(), await page.getByRole('log').boundingBox()]
    assert.ok(box !== null && log !== null && box.y >= log.y && box.y + box.height <= log.y + log.height, `the found message is in view: ${JSON.stringify({ box, log })}`)
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme })
      await assertAccessible(page, `conversation at a found message (${theme})`)
    }
    await page.emulateMedia({ colorScheme: 'light' })
    await screenshot(page, 'search-found')
  })

  it('scrolling down from the found message reaches the newest one', async () => {
    const { page } = session
    const newest = page.locator('[data-message-id]', { hasText: 'the newest message' })
    await waitUntil(async () => {
      await page.getByRole('log').evaluate((log) => { log.scrollTop = log.scrollHeight })
      return await newest.isVisible()
    }, 'the newest message after scrolling down', 60_000)
  })

  it('a channel message far back opens in its channel, scrolled to and highlighted', async () => {
    const { page } = session
    const box = page.getByRole('searchbox', { name: 'Search messages' })
    await box.fill('ecole jaures')
    const result = page.locator('a.result', { hasText: 'rouvre lundi' })
    await result.waitFor()
    assert.match(await result.textContent() ?? '', /#chantier/)
    await result.click()
    const found = page.locator('[data-found="true"]', { hasText: 'rouvre lundi' })
    await found.waitFor()
    const [where, log] = [await found.boundingBox(), await page.getByRole('log').boundingBox()]
    assert.ok(where !== null && log !== null && where.y >= log.y && where.y + where.height <= log.y + log.height, `the found message is in view: ${JSON.stringify({ where, log })}`)
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme })
      await assertAccessible(page, `channel at a found message (${theme})`)
    }
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('a result is an address: the address bar names the message, and a new page opened at it (a bookmark) shows it, highlighted', async () => {
    const { page } = session
    await page.getByRole('searchbox', { name: 'Search messages' }).fill('signe dupont')
    const result = page.locator('a.result', { hasText: 'contrat Dupont' })
    await result.waitFor()
    const address = await result.getAttribute('href')
    assert.match(address ?? '', /^#\/chat\/[^/]+\/message\/[^/]+$/)
    await result.click()
    await waitUntil(async () => new URL(page.url()).hash === address, 'the address bar at the found message')
    const bookmark = await page.context().newPage()
    try {
      await bookmark.goto(new URL(address!, page.url()).href)
      const found = bookmark.locator('[data-found="true"]')
      await found.waitFor()
      assert.match(await found.textContent() ?? '', /contrat Dupont/)
      const [box, log] = [await found.boundingBox(), await bookmark.getByRole('log').boundingBox()]
      assert.ok(box !== null && log !== null && box.y >= log.y && box.y + box.height <= log.y + log.height, `the found message is in view: ${JSON.stringify({ box, log })}`)
    } finally {
      await bookmark.close()
    }
  })
})
