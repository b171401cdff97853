// The emoji picker and the delivery marks, in the browser with two real daemons in one workspace.
// Alice opens the picker from the composer, searches in English ("thumbs") and in French ("pouce"),
// chooses with the keyboard alone and the emoji lands at the caret; Escape puts the focus back; she
// reacts to Bruno's channel message through the picker. axe-core scans the open picker in both
// themes. An emoji of several characters (❤️‍🔥, a flag, a skin tone, a keycap) is one glyph in the
// picker, in a message and in a reaction, on this machine's Chromium, which has no emoji font of its
// own: the app's font draws them. The reaction picker opens beside its message, inside the
// conversation and the window, on a phone (touch) too. A message Bruno has read and one he has not show different marks and
// different words.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { screenshot } from '../helpers/browser.js'
import { assertAccessible } from '../helpers/browser-axe.js'
import { startWorkspaceDaemons, waitUntil, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, type OpenApps } from '../helpers/browser-session.js'
import { emulatePhone, tap } from '../helpers/browser-touch.js'

describe('browser app: the emoji picker, and read vs delivered', () => {
  let alice: Daemon
  let bruno: Daemon
  let apps: OpenApps
  let page: Page
  let channel: string

  before(async () => {
    [alice, bruno] = await startWorkspaceDaemons(['Alice Martin', 'Bruno Petit']) as [Daemon, Daemon]
    await bruno.node.send(alice.node.peerId, 'Lunch at noon?')
    channel = (await alice.node.createChannel('project-atlas', 'The Atlas launch')).id
    await alice.node.inviteToChannel(channel, [bruno.node.peerId])
    await waitUntil(async () => (await bruno.node.channels()).some(c => c.id === channel), 'Bruno to be in the channel', 30_000)
    await bruno.node.sendToChannel(channel, 'The launch slides are ready.')
    apps = await openApps([alice])
    page = apps.pages[0]!
  })

  after(async () => {
    await apps?.close()
    await alice?.close()
    await bruno?.close()
  })

  const go = async (hash: string): Promise<void> => { await page.evaluate(`location.hash = ${JSON.stringify(hash)}`) }
  const focusedName = async (): Promise<string | null> => await page.evaluate('document.activeElement?.getAttribute("aria-label") ?? null') as string | null
  const waitForFocus = async (name: string): Promise<void> => {
    await waitUntil(async () => await focusedName() === name, `the focus on "${name}"`)
  }
  const composer = (): ReturnType<Page['getByRole']> => page.getByRole('textbox', { name: 'Message' })

  async function openComposerPicker (): Promise<ReturnType<Page['getByRole']>> {
    await page.getByRole('button', { name: 'Insert an emoji' }).click()
    const dialog = page.getByRole('dialog', { name: 'Insert an emoji' })
    await dialog.getByRole('grid').waitFor()
    return dialog
  }

  it('from the composer: search "thumbs", then "pouce"; arrows and Enter put the emoji at the caret', async () => {
    await go(`#/chat/${bruno.node.peerId}`)
    await composer().fill('See you')
    await composer().evaluate((box: HTMLTextAreaElement) => { box.setSelectionRange(3, 3) })
    const dialog = await openComposerPicker()
    await waitForFocus('Search emoji')
    const search = dialog.getByRole('searchbox', { name: 'Search emoji' })
    await search.fill('thumbs')
    await dialog.getByRole('grid', { name: /thumbs/ }).waitFor()
    assert.equal(await dialog.getByRole('gridcell').first().getByRole('button').getAttribute('aria-label'), 'thumbs up')
    await search.fill('pouce')
    await dialog.getByRole('grid', { name: /pouce/ }).waitFor()
    assert.equal(await dialog.getByRole('gridcell').first().getByRole('button').getAttribute('aria-label'), 'thumbs up', 'the French name finds it too')
    await page.keyboard.press('ArrowDown')
    await waitForFocus('thumbs up')
    await page.keyboard.press('ArrowRight')
    await waitUntil(async () => await focusedName() !== 'thumbs up', 'the focus to move right')
    await page.keyboard.press('ArrowLeft')
    await waitForFocus('thumbs up')
    await page.keyboard.press('Enter')
    await dialog.waitFor({ state: 'hidden' })
    assert.equal(await composer().inputValue(), 'See👍 you')
    await waitForFocus('Message')
    const caret = await composer().evaluate((box: HTMLTextAreaElement) => [box.selectionStart, box.selectionEnd])
    assert.deepEqual(caret, [3 + '👍'.length, 3 + '👍'.length], 'the caret is just after the emoji')
  })

  it('Escape closes the picker and gives the focus back to its button; the emoji just used comes first', async () => {
    const dialog = await openComposerPicker()
    assert.equal(await dialog.getByRole('button', { name: 'Recently used' }).getAttribute('aria-pressed'), 'true')
    assert.equal(await dialog.getByRole('gridcell').first().getByRole('button').getAttribute('aria-label'), 'thumbs up')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await waitForFocus('Insert an emoji')
    await composer().fill('')
  })

  for (const theme of ['light', 'dark'] as const) {
    it(`axe-core finds nothing on the open picker, ${theme} theme`, async () => {
      await page.emulateMedia({ colorScheme: theme })
      const dialog = await openComposerPicker()
      await dialog.getByRole('searchbox', { name: 'Search emoji' }).fill('coeur')
      await dialog.getByRole('grid', { name: /coeur/ }).waitFor()
      await screenshot(page, `emoji-picker-${theme}`)
      await assertAccessible(page, `the emoji picker (${theme})`)
      await page.keyboard.press('Escape')
      await dialog.waitFor({ state: 'hidden' })
    })
  }

  /** The emoji in `selector`'s elements drawn wider than one glyph (1.25 em), with their widths in em. */
  async function drawnWide (selector: string): Promise<string[]> {
    await page.evaluate(async () => { await document.fonts.load('1em "causette emoji"', '\u2764\uFE0F\u200D\u{1F525}') })
    return await page.locator(selector).evaluateAll(elements => elements.flatMap(element => {
      const em = parseFloat(getComputedStyle(element).fontSize)
      const range = document.createRange()
      range.selectNodeContents(element)
      const width = range.getBoundingClientRect().width / em
      return width > 1.25 ? [`${element.textContent} ${width.toFixed(2)} em`] : []
    }))
  }

  it('an emoji of several characters is one glyph in every category of the picker, in a message and in a reaction', async () => {
    await go(`#/chat/${bruno.node.peerId}`)
    const dialog = await openComposerPicker()
    const categories = dialog.getByRole('toolbar', { name: 'Emoji categories' }).getByRole('button')
    let measured = 0
    for (let index = 0; index < await categories.count(); index++) {
      await categories.nth(index).click()
      await dialog.getByRole('grid', { name: await categories.nth(index).getAttribute('aria-label') ?? '' }).waitFor()
      assert.deepEqual(await drawnWide('.emoji-panel [role="gridcell"] button'), [], `${await categories.nth(index).getAttribute('aria-label')}: one glyph each`)
      measured += await dialog.getByRole('gridcell').count()
    }
    assert.ok(measured > 1800, `every emoji measured (${measured})`)
    await page.keyboard.press('Escape')

    const sequences = ['❤️‍🔥', '😶‍🌫️', '👩‍❤️‍👩', '🏳️‍🌈', '👍🏽', '🇫🇷', '#️⃣']
    await bruno.node.send(alice.node.peerId, sequences.join(' '))
    const text = page.getByRole('main').locator('[data-message-id] .text').filter({ hasText: sequences[0]! })
    await text.waitFor()
    const widths = await text.evaluate((element, wanted) => {
      const em = parseFloat(getComputedStyle(element).fontSize)
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
      const found: Record<string, number> = {}
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        for (const emoji of wanted) {
          const at = node.textContent!.indexOf(emoji)
          if (at < 0) continue
          const range = document.createRange()
          range.setStart(node, at)
          range.setEnd(node, at + emoji.length)
          found[emoji] = Number((range.getBoundingClientRect().width / em).toFixed(2))
        }
      }
      return found
    }, sequences)
    assert.deepEqual(Object.keys(widths).sort(), [...sequences].sort(), 'each found in the message')
    assert.deepEqual(Object.entries(widths).filter(([, width]) => width > 1.25), [], 'each one glyph in the message')
  })

  type Box = { x: number, y: number, width: number, height: number }
  const boxOf = async (locator: ReturnType<Page['locator']>): Promise<Box> => {
    const box = await locator.boundingBox()
    assert.ok(box !== null, 'shown')
    return box
  }

  /** Opens "More reactions" on `message` and checks that it lies beside its button (not over it), inside the conversation and the window. */
  /** Opens the picker of more reactions under `message`, on `on` (Alice's page unless told), and checks where it opens. */
  async function openReactionPicker (message: ReturnType<Page['locator']>, on = page): Promise<ReturnType<Page['getByRole']>> {
    const opener = message.getByRole('button', { name: 'More reactions' })
    await opener.click()
    const dialog = on.getByRole('dialog', { name: 'More reactions' })
    await dialog.getByRole('grid').waitFor()
    const [picker, button, conversation] = [await boxOf(on.locator('.emoji-panel:popover-open')), await boxOf(opener), await boxOf(on.getByRole('main'))]
    const viewport = on.viewportSize()!
    const where = `picker ${JSON.stringify(picker)}, button ${JSON.stringify(button)}, conversation ${JSON.stringify(conversation)}, window ${viewport.width}x${viewport.height}`
    assert.ok(picker.x >= conversation.x && picker.x + picker.width <= conversation.x + conversation.width, `inside the conversation, not over the sidebar: ${where}`)
    assert.ok(picker.y >= 0 && picker.y + picker.height <= viewport.height, `inside the window: ${where}`)
    const apart = (start: number, length: number, otherStart: number, otherLength: number): number => Math.max(start - (otherStart + otherLength), otherStart - (start + length))
    const [apartX, apartY] = [apart(picker.x, picker.width, button.x, button.width), apart(picker.y, picker.height, button.y, button.height)]
    assert.ok(Math.max(apartX, apartY) >= 0 && Math.max(apartX, apartY) <= 12, `beside its button, not over it: ${where}`)
    return dialog
  }

  it('a reaction through the picker, in a channel: "fusée" finds the rocket; "cœur en feu" is one glyph on its chip', async () => {
    await page.emulateMedia({ colorScheme: 'light' })
    await go(`#/channel/${encodeURIComponent(channel)}`)
    const message = page.getByRole('main').locator('[data-message-id]').filter({ hasText: 'The launch slides are ready.' })
    await message.getByRole('button', { name: "Add a reaction to Bruno Petit's message" }).click()
    const dialog = await openReactionPicker(message)
    await dialog.getByRole('searchbox', { name: 'Search emoji' }).fill('fusée')
    await dialog.getByRole('grid', { name: /fusée/ }).waitFor()
    await page.keyboard.press('Enter')
    await message.getByRole('button', { name: /^🚀 1: you\. Take yours back$/, pressed: true }).waitFor()
    await waitForFocus("Add a reaction to Bruno Petit's message")
    await waitUntil(async () => (await bruno.node.channelMessages(channel, { limit: 20 })).some(m => m.reactions?.some(reaction => reaction.emoji === '🚀') === true), 'Bruno to get the reaction', 30_000)

    await message.getByRole('button', { name: "Add a reaction to Bruno Petit's message" }).click()
    await (await openReactionPicker(message)).getByRole('searchbox', { name: 'Search emoji' }).fill('cœur en feu')
    await page.getByRole('dialog', { name: 'More reactions' }).getByRole('grid', { name: /cœur en feu/ }).waitFor()
    await page.keyboard.press('Enter')
    await message.getByRole('button', { name: /^❤️‍🔥 1: you/ }).waitFor()
    assert.deepEqual(await drawnWide('[data-message-id] .chip span[aria-hidden="true"]:first-child'), [], 'each reaction one glyph')
  })

  it('on a phone (390x844, touch) the reaction picker opens beside its message, inside the window, in both themes', async () => {
    const phone = await apps.profiles[0]!.context.newPage()
    try {
      await emulatePhone(phone)
      await phone.goto(page.url())
      const message = phone.getByRole('main').locator('[data-message-id]').filter({ hasText: 'The launch slides are ready.' })
      await tap(phone, message.getByText('The launch slides are ready.')) // a tap on a message brings its tools on a phone
      await tap(phone, message.getByRole('button', { name: "Add a reaction to Bruno Petit's message" }))
      for (const theme of ['light', 'dark'] as const) {
        await phone.emulateMedia({ colorScheme: theme })
        await openReactionPicker(message, phone)
        await screenshot(phone, `reaction-picker-phone-${theme}`)
        await phone.keyboard.press('Escape')
        await phone.getByRole('dialog', { name: 'More reactions' }).waitFor({ state: 'hidden' })
      }
    } finally {
      await phone.close()
    }
  })

  it('a message read and one only delivered: different words and different marks', async () => {
    const read = await alice.node.send(bruno.node.peerId, 'Minutes of the meeting attached.')
    const state = async (id: string): Promise<string | undefined> => (await alice.node.messages({ with: bruno.node.peerId, limit: 20 })).find(m => m.id === id)?.state
    await waitUntil(async () => await state(read.id) === 'delivered', 'the first message delivered', 30_000)
    const conversation = (await bruno.node.messages({ with: alice.node.peerId, limit: 1 }))[0]!.conversation
    await bruno.node.markRead(conversation)
    await waitUntil(async () => await state(read.id) === 'read', 'the first message read', 30_000)
    const delivered = await alice.node.send(bruno.node.peerId, 'And the budget sheet.')
    await waitUntil(async () => await state(delivered.id) === 'delivered', 'the second message delivered', 30_000)

    await go(`#/chat/${bruno.node.peerId}`)
    const mark = (id: string): ReturnType<Page['locator']> => page.locator(`[data-message-id="${id}"] [data-state]`).first()
    await page.locator(`[data-message-id="${delivered.id}"] [data-state="delivered"]`).waitFor()
    await page.locator(`[data-message-id="${read.id}"] [data-state="read"]`).waitFor()
    assert.equal((await mark(read.id).innerText()).trim(), 'Read')
    assert.equal((await mark(delivered.id).innerText()).trim(), 'Delivered')
    assert.match(await mark(read.id).getAttribute('title') ?? '', /^Read: /)
    assert.match(await mark(delivered.id).getAttribute('title') ?? '', /^Delivered: /)
    const shape = async (id: string): Promise<string> => await mark(id).locator('svg').evaluate(svg => svg.innerHTML)
    assert.notEqual(await shape(read.id), await shape(delivered.id), 'read and delivered differ by shape, not colour alone')
    assert.equal(await mark(read.id).locator('svg').getAttribute('data-shape'), 'read')
    assert.equal(await mark(delivered.id).locator('svg').getAttribute('data-shape'), 'delivered')
  })
})
