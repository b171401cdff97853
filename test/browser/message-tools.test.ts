// A message's tools (react, reply, edit, reply in thread), in the browser with two real daemons in one
// channel. At a phone's width (390 px) the tools of the message tapped cover neither its author line
// nor its text; one message's tools show at a time, at a phone's width and on a desktop; a tap on a
// thread's "1 reply" link opens the thread, nothing moving under the finger between the press and
// the release; a tool reached with the keyboard shows, with nothing over it.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { screenshot } from '../helpers/browser.js'
import { startWorkspaceDaemons, waitUntil, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, type OpenApps } from '../helpers/browser-session.js'

const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 800 }

type Box = { x: number, y: number, width: number, height: number }
const overlap = (one: Box, other: Box): boolean =>
  one.x < other.x + other.width && other.x < one.x + one.width && one.y < other.y + other.height && other.y < one.y + one.height

describe("browser app: a message's tools, at a phone's width and on a desktop", () => {
  let alice: Daemon
  let bruno: Daemon
  let apps: OpenApps
  let page: Page

  before(async () => {
    [alice, bruno] = await startWorkspaceDaemons(['Alice Martin', 'Bruno Petit']) as [Daemon, Daemon]
    const channel = (await alice.node.createChannel('project-atlas', 'The Atlas launch')).id
    await alice.node.inviteToChannel(channel, [bruno.node.peerId])
    await waitUntil(async () => (await bruno.node.channels()).some(c => c.id === channel), 'Bruno to be in the channel', 30_000)
    await bruno.node.sendToChannel(channel, 'The agenda is in the shared folder.')
    const kickOff = await alice.node.sendToChannel(channel, 'Kick-off tomorrow at ten.')
    await waitUntil(async () => (await bruno.node.channelMessages(channel, { limit: 20 })).some(m => m.id === kickOff.id), 'Bruno to get the kick-off', 30_000)
    await bruno.node.sendToChannel(channel, 'I will be there, with the mock-ups.', { replyTo: kickOff.id })
    apps = await openApps([alice])
    page = apps.pages[0]!
    await page.evaluate(`location.hash = ${JSON.stringify(`#/channel/${encodeURIComponent(channel)}`)}`)
    await message('Kick-off tomorrow at ten.').getByRole('link', { name: /^1 reply/ }).waitFor({ timeout: 30_000 })
  })

  after(async () => {
    await apps?.close()
    await alice?.close()
    await bruno?.close()
  })

  const message = (text: string): ReturnType<Page['locator']> => page.getByRole('main').locator('[data-message-id]').filter({ hasText: text })
  const agenda = (): ReturnType<Page['locator']> => message('The agenda is in the shared folder.')
  const kickOff = (): ReturnType<Page['locator']> => message('Kick-off tomorrow at ten.')
  const boxOf = async (locator: ReturnType<Page['locator']>): Promise<Box> => {
    const box = await locator.boundingBox()
    assert.ok(box !== null, 'shown')
    return box
  }
  /** The messages (their labels) whose tools are drawn: not hidden, transparent, clipped away or a pixel wide. */
  const drawnTools = async (): Promise<string[]> => await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('[data-message-id] .actions')]
    .filter(tools => {
      const style = getComputedStyle(tools)
      const box = tools.getBoundingClientRect()
      return style.display !== 'none' && style.visibility !== 'hidden' && style.opacity !== '0' && style.clipPath === 'none' && box.width > 2 && box.height > 2
    })
    .map(tools => tools.closest('[data-message-id]')!.getAttribute('aria-label') ?? ''))
  /** Takes the focus off the messages, as a fresh start for each test. */
  const blurMessages = async (): Promise<void> => { await page.getByRole('textbox', { name: 'Message' }).focus() }
  /** Runs `steps` at a phone's width, the focus off the messages at the start. */
  const atPhoneWidth = async (steps: () => Promise<void>): Promise<void> => {
    await page.setViewportSize(PHONE)
    try {
      await blurMessages()
      await steps()
    } finally {
      await page.setViewportSize(DESKTOP)
    }
  }

  it('at 390 px, the tools of the message tapped cover neither its author line nor its text', async () => {
    await atPhoneWidth(async () => {
      await agenda().getByText('The agenda is in the shared folder.').click()
      await waitUntil(async () => (await drawnTools()).length === 1, 'the tapped message to show its tools')
      const tools = await boxOf(agenda().locator('.actions'))
      for (const [part, locator] of [['author line', agenda().locator('header')], ['text', agenda().getByText('The agenda is in the shared folder.')]] as const) {
        const box = await boxOf(locator)
        assert.equal(overlap(tools, box), false, `the tools ${JSON.stringify(tools)} off the ${part} ${JSON.stringify(box)}`)
      }
      await screenshot(page, 'message-tools-phone')
    })
  })

  it("at 390 px, one message's tools at a time: its reactions open on one, then a tap on another", async () => {
    await atPhoneWidth(async () => {
      await agenda().getByText('The agenda is in the shared folder.').click()
      await agenda().getByRole('button', { name: "Add a reaction to Bruno Petit's message" }).click()
      await agenda().getByRole('group', { name: 'Pick a reaction' }).waitFor()
      await kickOff().getByText('Kick-off tomorrow at ten.').click()
      const [label] = await kickOff().evaluate(article => [article.getAttribute('aria-label') ?? ''])
      await waitUntil(async () => (await drawnTools()).includes(label!), 'the tools of the message tapped last')
      assert.deepEqual(await drawnTools(), [label], 'only the tools of the message tapped last')
    })
  })

  it('at 390 px, a tap on a thread\'s "1 reply" opens the thread; nothing moves between the press and the release', async () => {
    await atPhoneWidth(async () => {
      const link = kickOff().getByRole('link', { name: /^1 reply/ })
      const before = await boxOf(link)
      await page.mouse.move(before.x + before.width / 2, before.y + before.height / 2)
      await page.mouse.down()
      assert.deepEqual(await boxOf(link), before, 'the link where it was pressed')
      await page.mouse.up()
      await page.getByRole('region', { name: /^Thread in #project-atlas/ }).getByText('I will be there, with the mock-ups.').waitFor()
      await page.getByRole('link', { name: 'Close the thread' }).click()
    })
  })

  it('at 390 px, a tool reached with the keyboard shows, on top of the page', async () => {
    await atPhoneWidth(async () => {
      const react = agenda().getByRole('button', { name: "Add a reaction to Bruno Petit's message" })
      await react.focus()
      const [label] = await agenda().evaluate(article => [article.getAttribute('aria-label') ?? ''])
      assert.deepEqual(await drawnTools(), [label], 'the tools of the message the focus is in')
      const box = await boxOf(react)
      const onTop = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.closest('button')?.getAttribute('aria-label'), [box.x + box.width / 2, box.y + box.height / 2])
      assert.equal(onTop, "Add a reaction to Bruno Petit's message", 'nothing over the tool')
    })
  })

  it("on a desktop, one message's tools at a time: its reactions open on one, the pointer over another", async () => {
    await blurMessages()
    await kickOff().getByRole('button', { name: /^Add a reaction to/ }).click()
    await kickOff().getByRole('group', { name: 'Pick a reaction' }).waitFor()
    await agenda().hover()
    const [label] = await kickOff().evaluate(article => [article.getAttribute('aria-label') ?? ''])
    assert.deepEqual(await drawnTools(), [label], 'only the tools whose reactions are open')
  })
})
