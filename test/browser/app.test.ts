// The browser app against two real daemons, in Debian's Chromium: first run, people, a message from
// one user to the other (author, "delivered"), reload, phone width and dark theme, a touch phone's
// "Jump to…" without a keyboard shortcut.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { launchProfile, overflowingElements, screenshot, type BrowserProfile } from '../helpers/browser.js'
import { contrastFailures } from '../helpers/browser-contrast.js'
import { startDaemonPair, type Daemon } from '../helpers/browser-daemons.js'
import { emulatePhone, tap } from '../helpers/browser-touch.js'

/** Opens the header's name editor: its field and buttons must be wholly in the window, over none of the page links. */
async function assertNameEditorFits (page: Page, width: number): Promise<void> {
  await page.getByRole('button', { name: /^Your display name/ }).click()
  const parts = [page.getByRole('textbox', { name: 'Display name' }), page.getByRole('button', { name: 'Save', exact: true }), page.getByRole('button', { name: 'Cancel', exact: true })]
  const links = await page.getByRole('navigation', { name: 'Pages' }).getByRole('link').all()
  for (const part of parts) {
    const box = (await part.boundingBox())!
    assert.ok(box.y >= 0 && box.x >= 0 && box.x + box.width <= width, `in the ${width} px window: ${JSON.stringify(box)}`)
    for (const link of links) {
      const other = (await link.boundingBox())!
      const apart = box.x + box.width <= other.x || other.x + other.width <= box.x || box.y + box.height <= other.y || other.y + other.height <= box.y
      assert.ok(apart, `${JSON.stringify(box)} over the link ${await link.innerText()} ${JSON.stringify(other)}, ${width} px wide`)
    }
  }
}

/**
 * The header at this width: no part of it covers another or leaves the window; where `withWord`,
 * the status button shows its word (on a phone it is a dot: the word does not fit there).
 */
async function assertHeaderFits (page: Page, width: number, withWord: boolean): Promise<void> {
  const status = page.getByRole('button', { name: /^Your status: / })
  if (withWord) {
    const word = status.locator('.label')
    const wordBox = await word.boundingBox()
    assert.ok(wordBox !== null && wordBox.width > 0, `the status button shows its word at ${width} px`)
    assert.match(await word.innerText(), /^(Available|Focus|Away|Offline)/)
  }
  const pages = await page.getByRole('navigation', { name: 'Pages' }).getByRole('link').all()
  const parts = [page.getByRole('link', { name: 'causette: home' }), ...pages, status, page.getByRole('button', { name: /^Your display name/ })]
  const boxes = await Promise.all(parts.map(async part => (await part.boundingBox())!))
  for (const [index, box] of boxes.entries()) {
    assert.ok(box.x >= 0 && box.x + box.width <= width, `header part ${index} in the ${width} px window: ${JSON.stringify(box)}`)
    for (const other of boxes.slice(index + 1)) {
      const apart = box.x + box.width <= other.x || other.x + other.width <= box.x
      assert.ok(apart, `header parts apart at ${width} px: ${JSON.stringify(box)} and ${JSON.stringify(other)}`)
    }
  }
}

describe('browser app, two daemons, two browser profiles', () => {
  let alice: Daemon
  let bruno: Daemon
  let aliceBrowser: BrowserProfile
  let brunoBrowser: BrowserProfile
  let a: Page
  let b: Page

  before(async () => {
    [alice, bruno] = await startDaemonPair(['Alice Martin', 'Bruno Petit'])
    aliceBrowser = await launchProfile()
    brunoBrowser = await launchProfile()
    a = await aliceBrowser.context.newPage()
    b = await brunoBrowser.context.newPage()
  })

  after(async () => {
    await aliceBrowser?.close()
    await brunoBrowser?.close()
    await alice?.close()
    await bruno?.close()
  })

  it('without a token, explains how to open the app from the printed link', async () => {
    await a.goto(alice.api.url + '/')
    await a.getByRole('heading', { name: "Open causette from your node's link" }).waitFor()
    assert.ok(await a.getByText('causette start').isVisible())
    await screenshot(a, 'first-run-no-token')
  })

  it('refuses a wrong token with a clear message', async () => {
    // The node cannot prove it holds a token it does not have: the app cannot tell a wrong token from
    // another program on the port, so it says both, keeps the token and sends it nowhere.
    await a.goto(`${alice.api.url}/#token=not-the-right-one`)
    await a.getByRole('alert').getByText(/did not prove it is your causette node/).waitFor()
    await a.getByText(/open the new link it printed/).waitFor()
  })

  it('first run: takes the token from the link, removes it from the address bar, keeps it', async () => {
    await a.goto(alice.appLink)
    await a.getByRole('heading', { name: 'Hello, Alice Martin' }).waitFor()
    // Whether this machine's user has `causette install`ed is not the test's to choose: either wording.
    // A node run from source has no program file to install: the note says so rather than offer a button.
    await a.getByText(/^Start at login: (off|on)\. This causette runs from its source code/).waitFor()
    assert.ok(!a.url().includes('token'), `the token is still in the address bar: ${a.url()}`)
    assert.equal(await a.evaluate(() => localStorage.getItem('causette.token')), alice.api.token)
    await b.goto(bruno.appLink)
    await b.getByRole('heading', { name: 'Hello, Bruno Petit' }).waitFor()
  })

  it('lists the other user in People as a button named by their name, connected', async () => {
    const person = a.getByRole('button', { name: 'Bruno Petit', exact: true })
    await person.waitFor()
    assert.match(await a.locator(`#presence-${bruno.node.peerId}`).innerText(), /Connected/)
    await screenshot(a, 'home-people')
  })

  it('sends a message that appears in the other window with its author and turns delivered', async () => {
    await a.getByRole('button', { name: 'Bruno Petit', exact: true }).click()
    const composer = a.getByRole('textbox', { name: 'Message' })
    await composer.fill('Bonjour Bruno, the quarterly report is on the shared drive.')
    await composer.press('Enter')
    assert.equal(await composer.inputValue(), '', 'Enter sends and clears the composer')

    const sent = a.locator('[data-message-id]', { hasText: 'the quarterly report' })
    await sent.locator('[data-state="delivered"], [data-state="read"]').waitFor()

    // Bruno sees it arrive in his conversation list, unread, then opens it.
    const conversation = b.getByRole('link', { name: /^Alice Martin/ })
    await conversation.getByText('1', { exact: true }).waitFor()
    await screenshot(b, 'home-unread')
    assert.deepEqual(await contrastFailures(b), [])
    await conversation.click()
    const received = b.locator('[data-message-id]', { hasText: 'the quarterly report' })
    await received.waitFor()
    assert.match(await received.locator('.author').innerText(), /Alice Martin/)
    assert.ok(await received.getByText('Signed').isVisible(), 'the verified-signature mark is shown')
    await screenshot(b, 'chat-received')
  })

  it('replies with the keyboard only: Shift+Enter makes a new line, Enter sends', async () => {
    await b.getByRole('textbox', { name: 'Message' }).focus()
    await b.keyboard.type('Merci Alice!')
    await b.keyboard.press('Shift+Enter')
    await b.keyboard.type('I will read it this afternoon.')
    await b.keyboard.press('Enter')
    const reply = a.locator('[data-message-id]', { hasText: 'I will read it this afternoon.' })
    await reply.waitFor()
    assert.equal(await reply.locator('.text').innerText(), 'Merci Alice!\nI will read it this afternoon.')
    await b.locator('[data-message-id]', { hasText: 'I will read it' }).locator('[data-state="delivered"]').waitFor()
    await screenshot(a, 'chat-sent-read')
    assert.deepEqual(await contrastFailures(a), [])
  })

  it('works with the keyboard alone, with a visible focus', async () => {
    await a.goto(alice.api.url + '/#/')
    await a.getByRole('heading', { name: /Hello/ }).waitFor()
    const focused = async (): Promise<{ label: string | null, outline: string }> => await a.evaluate(() => {
      const element = document.activeElement as HTMLElement
      return { label: element.getAttribute('aria-label') ?? element.textContent?.trim() ?? null, outline: getComputedStyle(element).outlineStyle }
    })
    for (let tabs = 0; (await focused()).label !== 'Bruno Petit'; tabs++) {
      assert.ok(tabs < 30, 'the person button is reachable with Tab')
      await a.keyboard.press('Tab')
    }
    assert.notEqual((await focused()).outline, 'none', 'the focus is visible')
    await screenshot(a, 'keyboard-focus')
    await a.keyboard.press('Enter')
    await a.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Message')
    await a.keyboard.type('Sent without a mouse.')
    await a.keyboard.press('Enter')
    await b.locator('[data-message-id]', { hasText: 'Sent without a mouse.' }).waitFor()
  })

  it('keeps a draft per conversation and the conversation across a reload', async () => {
    await a.getByRole('textbox', { name: 'Message' }).fill('a draft for Bruno')
    await a.reload()
    await a.locator('[data-message-id]', { hasText: 'the quarterly report' }).waitFor()
    await a.locator('[data-message-id]', { hasText: 'I will read it this afternoon.' }).waitFor()
    assert.equal(await a.getByRole('textbox', { name: 'Message' }).inputValue(), 'a draft for Bruno')
  })

  it('finds messages across conversations', async () => {
    await a.getByRole('searchbox', { name: 'Search messages' }).fill('quarterly')
    await a.getByText('1 message found').waitFor()
    await a.locator('mark', { hasText: 'quarterly' }).waitFor()
    await screenshot(a, 'search')
    await a.getByRole('searchbox', { name: 'Search messages' }).fill('')
  })

  it('changes the display name, and the other side sees it', async () => {
    await a.getByRole('button', { name: /Your display name: Alice Martin/ }).click()
    const field = a.getByRole('textbox', { name: 'Display name' })
    await field.fill('Alice M.')
    await field.press('Enter')
    await a.getByRole('button', { name: /Your display name: Alice M\./ }).waitFor()
    assert.equal((await alice.node.status()).name, 'Alice M.')
    await b.getByRole('heading', { name: 'Alice M.' }).waitFor()
    // Her messages already on Bruno's screen take the new name with the same event, without a reload.
    const authors = await b.locator('[data-message-id] .author').allInnerTexts()
    assert.ok(authors.includes('Alice M.'), `her messages name her anew: ${authors.join(', ')}`)
    assert.ok(!authors.includes('Alice Martin'), `no message names her by the old name: ${authors.join(', ')}`)
  })

  it('sets a status from the header', async () => {
    await a.getByRole('button', { name: /Your status: Available/ }).click()
    const dialog = a.getByRole('dialog', { name: 'Set your status' })
    await dialog.getByRole('radio', { name: 'Focus' }).check()
    await dialog.getByRole('textbox', { name: 'Status message' }).fill('Writing the report')
    await dialog.getByRole('combobox', { name: 'Until' }).selectOption({ label: '1 hour' })
    await screenshot(a, 'status-picker')
    assert.deepEqual(await contrastFailures(a), [])
    await dialog.getByRole('button', { name: 'Set status' }).click()
    await a.getByRole('button', { name: /Your status: Focus until/ }).waitFor()
  })

  it('fits a 360 px phone screen, in the dark theme too', async () => {
    await b.setViewportSize({ width: 360, height: 740 })
    await b.emulateMedia({ colorScheme: 'dark' })
    await b.locator('[data-message-id]').first().waitFor()
    assert.deepEqual(await overflowingElements(b), [])
    await assertHeaderFits(b, 360, false)
    // A window snapped to half a screen shows the status word again.
    await b.setViewportSize({ width: 600, height: 740 })
    await assertHeaderFits(b, 600, true)
    await b.setViewportSize({ width: 360, height: 740 })
    assert.deepEqual(await contrastFailures(b), [])
    await screenshot(b, 'phone-dark-chat')
    await b.getByRole('link', { name: 'Back to conversations' }).click()
    await b.getByRole('button', { name: 'Alice M.', exact: true }).waitFor()
    assert.deepEqual(await overflowingElements(b), [])
    assert.deepEqual(await contrastFailures(b), [])
    await screenshot(b, 'phone-dark-home')
    await b.emulateMedia({ colorScheme: 'light' })
    assert.deepEqual(await contrastFailures(b), [])
    await screenshot(b, 'phone-light-home')

    await assertNameEditorFits(b, 360)
    await screenshot(b, 'phone-name-editor')
    await b.keyboard.press('Escape')
    // A window snapped to half a screen has no room beside the page links either.
    await b.setViewportSize({ width: 800, height: 740 })
    await assertNameEditorFits(b, 800)
    await b.keyboard.press('Escape')
    await b.getByRole('button', { name: /^Your display name/ }).waitFor()
  })

  it('on a touch phone, "Jump to…" shows no keyboard shortcut, and a tap on it opens the jump box', async () => {
    const phone = await brunoBrowser.context.newPage()
    try {
      await emulatePhone(phone)
      await phone.goto(bruno.api.url + '/#/')
      const jump = phone.getByRole('button', { name: /^Jump to…/ })
      await jump.waitFor()
      assert.equal(await jump.locator('kbd').isVisible(), false, 'no shortcut shown where there is no keyboard')
      assert.equal(await phone.getByRole('button', { name: 'Jump to…', exact: true }).count(), 1, 'nor in its name')
      await tap(phone, jump)
      await phone.getByRole('dialog', { name: 'Jump to' }).getByRole('combobox', { name: 'Jump to' }).waitFor()
    } finally {
      await phone.close()
    }
    // With a keyboard (and its mouse), at the same width, the shortcut is learnt there.
    assert.equal(await b.getByRole('button', { name: 'Jump to… Ctrl K', exact: true }).locator('kbd').isVisible(), true)
  })

  it('catches up by itself after its daemon restarts (a new event epoch), without a reload', async () => {
    await b.setViewportSize({ width: 1280, height: 800 })
    await b.getByRole('button', { name: 'Alice M.', exact: true }).click()
    await b.locator('[data-message-id]', { hasText: 'Sent without a mouse.' }).waitFor()
    const epoch = bruno.node.events.epoch
    await bruno.restart()
    assert.notEqual(bruno.node.events.epoch, epoch)
    await bruno.node.send(alice.node.peerId, 'Written after my node restarted.')
    await b.locator('[data-message-id]', { hasText: 'Written after my node restarted.' }).waitFor()
    await b.locator('[data-message-id]', { hasText: 'the quarterly report' }).waitFor()
    assert.equal(await b.getByText(/Cannot reach your causette node/).count(), 0)
  })
})
