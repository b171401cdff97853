// Issue 14 item 3 in the browser, two real daemons in one workspace and two browsers: in a 1:1
// conversation and in a channel, Bruno replies with a quote and reacts, then takes his reaction
// back; Alice edits her message in place (Up arrow in the empty composer; Escape cancels) and
// Bruno sees "edited" with both versions and his quote updated; pressing the quote focuses the
// original; Alice deletes it and both see "This message was deleted", its text gone. axe-core
// finds nothing on either screen in the light and the dark theme.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { assertAccessible } from '../helpers/browser-axe.js'
import { startWorkspaceDaemons, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, type OpenApps } from '../helpers/browser-session.js'

const LONG = { timeout: 30_000 }

describe('browser app: edit, delete, reply with quote, react and take it back (1:1 and a channel)', () => {
  let alice: Daemon
  let bruno: Daemon
  let apps: OpenApps
  let a: Page
  let b: Page

  before(async () => {
    [alice, bruno] = await startWorkspaceDaemons(['Alice Martin', 'Bruno Petit']) as [Daemon, Daemon]
    apps = await openApps([alice, bruno]);
    [a, b] = apps.pages as [Page, Page]
  })

  after(async () => {
    await apps?.close()
    await alice?.close()
    await bruno?.close()
  })

  const message = (page: Page, text: string | RegExp) => page.getByRole('main').locator('[data-message-id]', { hasText: text })
  const go = async (page: Page, hash: string): Promise<void> => { await page.evaluate(h => { location.hash = h }, hash) }

  /** Both pages' steps, the same in a conversation and a channel. */
  async function exercise (composerA: ReturnType<Page['getByRole']>, composerB: ReturnType<Page['getByRole']>, original: string, where: string): Promise<void> {
    await composerA.fill(original)
    await composerA.press('Enter')
    await message(b, original).waitFor(LONG)

    // Bruno replies with a quote of it.
    await message(b, original).hover()
    await message(b, original).getByRole('button', { name: 'Reply to Alice Martin with a quote' }).click()
    await b.getByRole('status').filter({ hasText: 'Replying to Alice Martin' }).waitFor()
    assert.equal(await b.evaluate(() => document.activeElement?.tagName), 'TEXTAREA', `${where}: the composer has the cursor`)
    await composerB.fill('Yes, at the usual place')
    await composerB.press('Enter')
    const reply = message(a, 'Yes, at the usual place')
    await reply.getByRole('button', { name: new RegExp(`Alice Martin ${original}`) }).waitFor(LONG)

    // Bruno reacts, then takes it back; Alice sees both.
    await message(b, original).first().hover()
    await message(b, original).first().getByRole('button', { name: "Add a reaction to Alice Martin's message" }).click()
    await message(b, original).first().getByRole('button', { name: 'React 👍' }).click()
    const mine = message(b, original).first().getByRole('button', { name: '👍 1: you. Take yours back' })
    await mine.waitFor()
    await message(a, original).first().getByRole('button', { name: /^👍 1: Bruno Petit/ }).waitFor(LONG)
    await mine.click()
    await mine.waitFor({ state: 'detached' })
    await message(a, original).first().getByRole('button', { name: /^👍 1/ }).waitFor({ state: 'detached', ...LONG })

    // Alice edits in place: Escape first cancels, then Up arrow in the empty composer opens her last message.
    await message(a, original).first().hover()
    await message(a, original).first().getByRole('button', { name: 'Edit your message' }).click()
    const editor = a.getByRole('textbox', { name: 'Edit your message' })
    await editor.fill('never mind')
    await editor.press('Escape')
    await editor.waitFor({ state: 'detached' })
    await message(a, original).first().waitFor()
    await composerA.focus()
    await composerA.press('ArrowUp')
    await editor.fill(`${original} (moved to 12:30)`)
    await editor.press('Enter')
    await message(a, `${original} (moved to 12:30)`).first().getByText('edited').waitFor()
    const edited = message(b, `${original} (moved to 12:30)`).first()
    await edited.getByText('edited', { exact: true }).click(LONG)
    await edited.getByRole('list', { name: 'Versions, oldest first' }).getByText(original, { exact: true }).waitFor()
    const quote = message(b, 'Yes, at the usual place').getByRole('button', { name: /moved to 12:30/ })
    await quote.waitFor(LONG)

    for (const theme of ['light', 'dark'] as const) {
      await b.emulateMedia({ colorScheme: theme })
      await assertAccessible(b, `${where}, an edited message, a quote and a reaction (${theme})`)
    }
    await b.emulateMedia({ colorScheme: 'light' })

    // The quote leads to the original.
    await quote.click()
    await b.waitForFunction(() => document.activeElement?.getAttribute('data-message-id') !== null && document.activeElement?.textContent?.includes('moved to 12:30') === true)

    // Alice deletes it: both see the line, the text is gone.
    const edit = message(a, `${original} (moved to 12:30)`).first() // Bruno's reply quotes it too
    const id = await edit.getAttribute('data-message-id')
    await edit.hover()
    await edit.getByRole('button', { name: 'Delete your message' }).click()
    await a.getByRole('group', { name: 'Delete this message' }).getByRole('button', { name: 'Delete', exact: true }).click()
    const byId = (page: Page) => page.getByRole('main').locator(`[data-message-id="${id}"]`)
    await byId(a).getByText('This message was deleted').waitFor()
    await byId(b).getByText('This message was deleted').waitFor(LONG)
    assert.equal(await b.getByRole('main').getByText('moved to 12:30').count(), 0, `${where}: the deleted text is gone from Bruno's screen`)
    await message(b, 'Yes, at the usual place').getByRole('button', { name: /This message was deleted/ }).waitFor(LONG)
  }

  it('in a 1:1 conversation', async () => {
    await go(a, `#/chat/${encodeURIComponent(bruno.node.peerId)}`)
    await go(b, `#/chat/${encodeURIComponent(alice.node.peerId)}`)
    await exercise(a.getByRole('textbox', { name: 'Message' }), b.getByRole('textbox', { name: 'Message' }), 'Lunch at noon?', 'a conversation')
  })

  it('in a channel', async () => {
    const channel = await alice.node.createChannel('lunch-club')
    await alice.node.inviteToChannel(channel.id, [bruno.node.peerId])
    await go(a, `#/channel/${encodeURIComponent(channel.id)}`)
    await b.getByRole('link', { name: /^lunch-club/ }).click(LONG)
    await b.getByRole('heading', { name: 'lunch-club', level: 1 }).waitFor()
    await exercise(a.getByRole('textbox', { name: 'Message' }), b.getByRole('textbox', { name: 'Message' }), 'Pizza on Friday?', 'a channel')
  })
})
