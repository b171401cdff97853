// A conversation of 10,000 messages stays light: the message list renders only the rows near the
// viewport, loads older pages as the user scrolls up without moving what they are reading, and
// reaches the very first message.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { screenshot } from '../helpers/browser.js'
import { waitUntil } from '../helpers/browser-daemons.js'
import { pairWithBrowser } from '../helpers/browser-session.js'

const COUNT = 10_000
const BATCH = 200
const label = (i: number): string => `message ${String(i).padStart(5, '0')} of the long history`

/** The list's rendered rows and its item count. */
async function listState (page: Page): Promise<{ rendered: number, rows: number }> {
  return {
    rendered: await page.locator('[data-message-id]').count(),
    rows: Number(await page.getByRole('log').getAttribute('data-rows'))
  }
}

describe('a conversation of 10,000 messages', () => {
  const session = pairWithBrowser(async (alice, bruno) => {
    let arrived = 0
    const unsubscribe = alice.node.events.subscribe(undefined, ({ event }) => {
      if (event.type === 'message' && event.message.direction === 'in') arrived++
    })
    // The first and the last are sent alone, so that they are first and last (the batches between
    // go out concurrently and may share a millisecond).
    const send = async (i: number): Promise<unknown> => await bruno.node.send(alice.node.peerId, label(i))
    await send(1)
    for (let start = 2; start < COUNT; start += BATCH) {
      await Promise.all(Array.from({ length: Math.min(BATCH, COUNT - start) }, async (_, i) => await send(start + i)))
    }
    await send(COUNT)
    await waitUntil(() => arrived === COUNT, `${COUNT} messages to arrive`, 120_000)
    unsubscribe()
  })

  it('opens at the newest message with a few dozen rows in the DOM', async () => {
    const { page } = session
    await page.getByRole('link', { name: /^Bruno Petit/ }).click()
    await page.locator('[data-message-id]', { hasText: label(COUNT) }).waitFor()
    const { rendered } = await listState(page)
    assert.ok(rendered > 5 && rendered < 100, `${rendered} rows rendered`)
    await screenshot(page, 'long-history-newest')
  })

  it('loads older pages while scrolling up, keeping the message in view where it was', async () => {
    const { alice, bruno, page } = session
    const log = page.getByRole('log')
    const { rows } = await listState(page)
    // The oldest message of the first page, in the node's order (time, then id).
    const [oldest] = await alice.node.messages({ with: bruno.node.peerId, limit: rows })
    const oldestLoaded = page.locator(`[data-message-id="${oldest!.id}"]`)
    await log.evaluate((element) => { element.scrollTop = 0 })
    await page.waitForFunction((before) => Number(document.querySelector('[role=log]')?.getAttribute('data-rows')) > before, rows)
    await oldestLoaded.waitFor()
    const [box, viewport] = [await oldestLoaded.boundingBox(), await log.boundingBox()]
    const middle = box === null ? NaN : box.y + box.height / 2
    assert.ok(viewport !== null && middle > viewport.y && middle < viewport.y + viewport.height,
      `the message that was at the top is still in view after older ones were added above it: ${JSON.stringify({ box, viewport })}`)
  })

  it('reaches the first of 10,000 messages, still with a few dozen rows in the DOM', async () => {
    const { page } = session
    const start = page.getByText('Start of your conversation')
    while (!await start.isVisible()) {
      await page.getByRole('log').evaluate((log) => { log.scrollTop = 0 })
      await page.waitForFunction(() => document.querySelector('[role=log]')?.scrollTop !== 0 || document.body.innerText.includes('Start of your conversation'))
    }
    await page.locator('[data-message-id]', { hasText: label(1) }).waitFor()
    const { rendered, rows } = await listState(page)
    assert.equal(rows, COUNT)
    assert.ok(rendered < 100, `${rendered} rows rendered`)
    await screenshot(page, 'long-history-oldest')
  })

  it('follows a burst of 1,000 live messages at the bottom, still with a few dozen rows in the DOM', async () => {
    const { alice, bruno, page } = session
    await page.getByRole('log').press('End')
    await page.getByRole('log').evaluate((log) => { log.scrollTop = log.scrollHeight })
    for (let start = 1; start <= 1000; start += BATCH) {
      await Promise.all(Array.from({ length: BATCH }, (_, i) => bruno.node.send(alice.node.peerId, `burst ${start + i}`)))
    }
    await bruno.node.send(alice.node.peerId, 'end of the burst')
    const last = page.locator('[data-message-id]', { hasText: 'end of the burst' })
    await page.waitForFunction((rows) => Number(document.querySelector('[role=log]')?.getAttribute('data-rows')) === rows, COUNT + 1001)
    await last.waitFor()
    const [box, viewport] = [await last.boundingBox(), await page.getByRole('log').boundingBox()]
    assert.ok(box !== null && viewport !== null && box.y >= viewport.y && box.y + box.height <= viewport.y + viewport.height + 1, 'the list stayed at the bottom')
    const { rendered } = await listState(page)
    assert.ok(rendered < 100, `${rendered} rows rendered`)
  })
})
