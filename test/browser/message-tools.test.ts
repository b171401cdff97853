// A message's tools (react, reply, edit, reply in thread), in the browser with two real daemons in one
// channel. On a phone (390 px, touch) the tools of the message tapped show in a bar at the top that
// covers neither its author line, its text nor the composer, and a tap on the composer puts them away;
// one message's tools and reaction choices at a time, on a phone and on a desktop; a tap on a thread's
// "1 reply" link opens the thread, nothing moving under the finger between the press and the release;
// a tool reached with the keyboard shows, with nothing over it. A window as narrow as a phone but with
// a mouse keeps a desktop's tools, shown on hover in the message.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { screenshot } from '../helpers/browser.js'
import { startWorkspaceDaemons, waitUntil, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, type OpenApps } from '../helpers/browser-session.js'
import { emulatePhone, PHONE, tap } from '../helpers/browser-touch.js'

type Box = { x: number, y: number, width: number, height: number }
type Found = ReturnType<Page['locator']>
const overlap = (one: Box, other: Box): boolean =>
  one.x < other.x + other.width && other.x < one.x + one.width && one.y < other.y + other.height && other.y < one.y + one.height

const AGENDA = 'The agenda is in the shared folder.'
const KICK_OFF = 'Kick-off tomorrow at ten.'

/** What the tests look at on one page: the two messages, the composer and the tools drawn. */
function screenOf (page: Page) {
  const message = (text: string): Found => page.getByRole('main').locator('[data-message-id]').filter({ hasText: text })
  return {
    agenda: () => message(AGENDA),
    kickOff: () => message(KICK_OFF),
    composer: () => page.getByRole('textbox', { name: 'Message' }),
    labelOf: async (found: Found): Promise<string> => await found.evaluate(article => article.getAttribute('aria-label') ?? ''),
    /** The messages (their labels) whose tools are drawn: not hidden, transparent, clipped away or a pixel wide. */
    drawnTools: async (): Promise<string[]> => await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('[data-message-id] .actions')]
      .filter(tools => {
        const style = getComputedStyle(tools)
        const box = tools.getBoundingClientRect()
        return style.display !== 'none' && style.visibility !== 'hidden' && style.opacity !== '0' && style.clipPath === 'none' && box.width > 2 && box.height > 2
      })
      .map(tools => tools.closest('[data-message-id]')!.getAttribute('aria-label') ?? '')),
    /** The element on top at the centre of `found`, described by its tag and accessible name. */
    onTopOf: async (found: Found): Promise<string> => {
      const box = await boxOf(found)
      return await page.evaluate(([x, y]) => {
        const top = document.elementFromPoint(x!, y!)?.closest('button, textarea, a') ?? document.elementFromPoint(x!, y!)
        const named = top?.closest('[aria-label]')
        return `${top?.tagName.toLowerCase() ?? 'nothing'} in ${named?.getAttribute('aria-label') ?? 'nothing named'}`
      }, [box.x + box.width / 2, box.y + box.height / 2])
    }
  }
}

async function boxOf (found: Found): Promise<Box> {
  const box = await found.boundingBox()
  assert.ok(box !== null, 'shown')
  return box
}

describe("browser app: a message's tools, on a phone, in a narrow window and on a desktop", () => {
  let alice: Daemon
  let bruno: Daemon
  let apps: OpenApps
  /** Alice's app at 1280 px with a mouse, then 390 px with a mouse (a narrow desktop window). */
  let page: Page
  /** Alice's app on a phone: 390 px, touch only. */
  let phonePage: Page
  let desktop: ReturnType<typeof screenOf>
  let phone: ReturnType<typeof screenOf>

  before(async () => {
    [alice, bruno] = await startWorkspaceDaemons(['Alice Martin', 'Bruno Petit']) as [Daemon, Daemon]
    const channel = (await alice.node.createChannel('project-atlas', 'The Atlas launch')).id
    await alice.node.inviteToChannel(channel, [bruno.node.peerId])
    await waitUntil(async () => (await bruno.node.channels()).some(c => c.id === channel), 'Bruno to be in the channel', 30_000)
    await bruno.node.sendToChannel(channel, AGENDA)
    const kickOff = await alice.node.sendToChannel(channel, KICK_OFF)
    await waitUntil(async () => (await bruno.node.channelMessages(channel, { limit: 20 })).some(m => m.id === kickOff.id), 'Bruno to get the kick-off', 30_000)
    await bruno.node.sendToChannel(channel, 'I will be there, with the mock-ups.', { replyTo: kickOff.id })
    apps = await openApps([alice])
    page = apps.pages[0]!
    await page.evaluate(`location.hash = ${JSON.stringify(`#/channel/${encodeURIComponent(channel)}`)}`)
    phonePage = await apps.profiles[0]!.context.newPage()
    await emulatePhone(phonePage)
    await phonePage.goto(page.url())
    desktop = screenOf(page)
    phone = screenOf(phonePage)
    for (const screen of [desktop, phone]) await screen.kickOff().getByRole('link', { name: /^1 reply/ }).waitFor({ timeout: 30_000 })
  })

  after(async () => {
    await apps?.close()
    await alice?.close()
    await bruno?.close()
  })

  /** Runs `steps` on the phone, the focus off the messages at the start. */
  const onPhone = async (steps: () => Promise<void>): Promise<void> => {
    await phone.composer().focus()
    await phone.composer().blur()
    await steps()
  }

  it('on a phone, the tools of the message tapped cover neither its author line nor its text', async () => {
    await onPhone(async () => {
      await tap(phonePage, phone.agenda().getByText(AGENDA))
      await waitUntil(async () => (await phone.drawnTools()).length === 1, 'the tapped message to show its tools')
      const tools = await boxOf(phone.agenda().locator('.actions'))
      for (const [part, found] of [['author line', phone.agenda().locator('header')], ['text', phone.agenda().getByText(AGENDA)]] as const) {
        const box = await boxOf(found)
        assert.equal(overlap(tools, box), false, `the tools ${JSON.stringify(tools)} off the ${part} ${JSON.stringify(box)}`)
      }
      await screenshot(phonePage, 'message-tools-phone')
    })
  })

  it('on a phone, the composer stays free under the tools: a tap on it puts them away, and typing goes in', async () => {
    await onPhone(async () => {
      await tap(phonePage, phone.agenda().getByText(AGENDA))
      await waitUntil(async () => (await phone.drawnTools()).length === 1, 'the tapped message to show its tools')
      assert.equal(await phone.onTopOf(phone.composer()), 'textarea in Message', 'nothing over the composer')
      await tap(phonePage, phone.composer())
      await waitUntil(async () => (await phone.drawnTools()).length === 0, 'the tools to go away')
      await phonePage.keyboard.type('On my way')
      assert.equal(await phone.composer().inputValue(), 'On my way')
      await phone.composer().fill('')
    })
  })

  it("on a phone, one message's tools and reaction choices at a time: its reactions open on one, then a tap on another", async () => {
    await onPhone(async () => {
      await tap(phonePage, phone.agenda().getByText(AGENDA))
      await tap(phonePage, phone.agenda().getByRole('button', { name: "Add a reaction to Bruno Petit's message" }))
      const choices = phone.agenda().getByRole('group', { name: 'Pick a reaction' })
      await choices.waitFor()
      await tap(phonePage, phone.kickOff().getByText(KICK_OFF))
      const label = await phone.labelOf(phone.kickOff())
      await waitUntil(async () => (await phone.drawnTools()).includes(label), 'the tools of the message tapped last')
      assert.deepEqual(await phone.drawnTools(), [label], 'only the tools of the message tapped last')
      await choices.waitFor({ state: 'detached' })
    })
  })

  it('on a phone, a tap on a thread\'s "1 reply" opens the thread; nothing moves between the press and the release', async () => {
    await onPhone(async () => {
      const link = phone.kickOff().getByRole('link', { name: /^1 reply/ })
      const before = await boxOf(link)
      await phonePage.mouse.move(before.x + before.width / 2, before.y + before.height / 2)
      await phonePage.mouse.down()
      assert.deepEqual(await boxOf(link), before, 'the link where it was pressed')
      await phonePage.mouse.up()
      await phonePage.getByRole('region', { name: /^Thread in #project-atlas/ }).getByText('I will be there, with the mock-ups.').waitFor()
      await phonePage.getByRole('link', { name: 'Close the thread' }).click()
    })
  })

  it('on a phone, a tool reached with the keyboard shows, on top of the page', async () => {
    await onPhone(async () => {
      const react = phone.agenda().getByRole('button', { name: "Add a reaction to Bruno Petit's message" })
      await react.focus()
      assert.deepEqual(await phone.drawnTools(), [await phone.labelOf(phone.agenda())], 'the tools of the message the focus is in')
      assert.equal(await phone.onTopOf(react), "button in Add a reaction to Bruno Petit's message", 'nothing over the tool')
    })
  })

  it("on a desktop, one message's tools at a time: its reactions open on one, the pointer over another", async () => {
    await desktop.composer().focus()
    await desktop.kickOff().getByRole('button', { name: /^Add a reaction to/ }).click()
    await desktop.kickOff().getByRole('group', { name: 'Pick a reaction' }).waitFor()
    await desktop.agenda().hover()
    assert.deepEqual(await desktop.drawnTools(), [await desktop.labelOf(desktop.kickOff())], 'only the tools whose reactions are open')
    await desktop.composer().click()
    await desktop.kickOff().getByRole('group', { name: 'Pick a reaction' }).waitFor({ state: 'detached' })
  })

  it('in a window as narrow as a phone, with a mouse, the pointer over a message shows its tools in the message', async () => {
    await page.setViewportSize(PHONE)
    try {
      await desktop.composer().focus()
      await desktop.agenda().getByText(AGENDA).hover()
      const label = await desktop.labelOf(desktop.agenda())
      await waitUntil(async () => (await desktop.drawnTools()).includes(label), 'the tools of the message under the pointer')
      assert.deepEqual(await desktop.drawnTools(), [label], 'only the tools of the message under the pointer')
      const [tools, message] = [await boxOf(desktop.agenda().locator('.actions')), await boxOf(desktop.agenda())]
      assert.ok(tools.y >= message.y && tools.y + tools.height <= message.y + message.height, `the tools ${JSON.stringify(tools)} inside the message ${JSON.stringify(message)}`)
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 })
    }
  })
})
