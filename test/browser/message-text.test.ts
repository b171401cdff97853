// How a message's text shows in the real app, and mentions, with two daemons in one workspace and
// Alice's app in Chromium: markdown and clickable links with nothing injected, a quote of a
// message with a mention and bold as it reads (banner, quote, preview), a long message
// collapsed and opened by keyboard, the "@" list in the composer driven by keyboard, and a mention
// of Alice notifying through her muted channel but not through her focus unless urgent. axe-core
// scans the conversation and the open list in both themes.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { screenshot } from '../helpers/browser.js'
import { assertAccessible } from '../helpers/browser-axe.js'
import { startWorkspaceDaemons, waitUntil, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, recordNotifications, type OpenApps } from '../helpers/browser-session.js'

describe('browser app: message text and mentions', () => {
  let alice: Daemon
  let bruno: Daemon
  let apps: OpenApps
  let page: Page
  let channelId: string

  before(async () => {
    [alice, bruno] = await startWorkspaceDaemons(['Alice Martin', 'Bruno Petit']) as [Daemon, Daemon]
    apps = await openApps([alice], recordNotifications)
    page = apps.pages[0]!
    channelId = (await alice.node.createChannel('atlas')).id
    await alice.node.inviteToChannel(channelId, [bruno.node.peerId])
    await waitUntil(async () => (await bruno.node.channels()).some(c => c.id === channelId && c.member), "the channel at Bruno's node", 30_000)
  })

  after(async () => {
    await apps?.close()
    await alice?.close()
    await bruno?.close()
  })

  const message = (text: string) => page.locator('[data-message-id]', { hasText: text })
  const shown = async (): Promise<string[]> => await page.evaluate('window.shownNotifications') as string[]

  it('shows markdown and clickable links, with nothing injected', async () => {
    await bruno.node.send(alice.node.peerId, [
      'Weekly notes: **bold**, *italic* and `npm test`', '',
      '- first', '- second', '',
      '> a quote', '',
      '```', 'const x = 1', '```', '',
      'Wiki: https://intranet.example/wiki and mail bruno@example.com',
      `Hey @[Alice Martin](${alice.node.peerId})`,
      '<script>window.injected = 1</script> <img src=x onerror="window.injected = 2"> [bank](javascript:window.injected=3) javascript:window.injected=4'
    ].join('\n'))
    await page.getByRole('link', { name: /^Bruno Petit/ }).click()
    const notes = message('Weekly notes')
    await notes.locator('strong', { hasText: 'bold' }).waitFor()
    assert.equal(await notes.locator('em').textContent(), 'italic')
    assert.equal(await notes.locator('p code').textContent(), 'npm test')
    assert.deepEqual(await notes.locator('ul > li').allTextContents(), ['first', 'second'])
    assert.equal(await notes.locator('blockquote').textContent(), 'a quote')
    assert.equal(await notes.locator('pre code').textContent(), 'const x = 1')

    const wiki = notes.getByRole('link', { name: 'https://intranet.example/wiki' })
    assert.equal(await wiki.getAttribute('href'), 'https://intranet.example/wiki')
    assert.equal(await wiki.getAttribute('target'), '_blank')
    assert.equal(await wiki.getAttribute('rel'), 'noopener noreferrer')
    assert.equal(await notes.getByRole('link', { name: 'bruno@example.com' }).getAttribute('href'), 'mailto:bruno@example.com')
    assert.equal(await notes.getByRole('link').count(), 2, 'only the two real links')
    assert.equal(await notes.locator('script, img, iframe, [onerror]').count(), 0)
    assert.match(await notes.textContent() ?? '', /<script>window\.injected = 1<\/script> <img src=x onerror=.*\[bank\]\(javascript:/)
    assert.equal(await page.evaluate('window.injected'), undefined)
    assert.equal(await notes.locator('.mention.me').textContent(), '@Alice Martin (you)')
    await screenshot(page, 'message-text-markdown')
  })

  it('quotes a message as it reads: its mention by name, no Markdown markers, in the banner, the quote and the preview', async () => {
    await bruno.node.send(alice.node.peerId, `Le **devis** pour @[Alice Martin](${alice.node.peerId}), *relis* le \`plan\``)
    const plain = 'Le devis pour @Alice Martin, relis le plan'
    const original = message('pour @Alice Martin')
    await original.locator('strong', { hasText: 'devis' }).waitFor()
    await page.getByRole('link', { name: new RegExp(`^Bruno Petit.*${plain}$`) }).waitFor() // the sidebar's preview
    await original.hover()
    await original.getByRole('button', { name: 'Reply to Bruno Petit with a quote' }).click()
    const banner = page.getByRole('status').filter({ hasText: 'Replying to Bruno Petit' })
    assert.equal(await banner.locator('.excerpt').textContent(), plain)
    const box = page.getByRole('textbox', { name: 'Message' })
    await box.fill('Je regarde')
    await box.press('Enter')
    const quote = message('Je regarde').locator('button.quote')
    assert.equal(await quote.locator('.excerpt').textContent(), plain)
    await page.getByRole('link', { name: /^Bruno Petit.*You: Je regarde$/ }).waitFor()
    await screenshot(page, 'message-text-quote')
  })

  it('while replying with a quote, the @ list opens above the "Replying to" banner, never over it, at 1280x800 and 390x844', async () => {
    const original = message('pour @Alice Martin').first()
    await original.hover()
    await original.getByRole('button', { name: 'Reply to Bruno Petit with a quote' }).click()
    const banner = page.getByRole('status').filter({ hasText: 'Replying to Bruno Petit' })
    const box = page.getByRole('textbox', { name: 'Message' })
    const list = page.getByRole('listbox', { name: 'Colleagues to mention' })
    try {
      for (const [width, height] of [[1280, 800], [390, 844]] as const) {
        await page.setViewportSize({ width, height })
        await box.fill('')
        await box.pressSequentially('Vu @Br')
        await list.getByRole('option', { name: 'Bruno Petit' }).waitFor()
        const [shown, replying] = [await list.boundingBox(), await banner.boundingBox()]
        assert.ok(shown !== null && replying !== null)
        assert.ok(shown.y + shown.height <= replying.y && shown.y >= 0, `the list above the banner, inside the window: list ${JSON.stringify(shown)}, banner ${JSON.stringify(replying)}, ${width}x${height}`)
        for (const theme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: theme })
          await screenshot(page, `message-text-mention-over-reply-${width}-${theme}`)
        }
        await page.emulateMedia({ colorScheme: 'light' })
        await page.keyboard.press('Escape')
        await list.waitFor({ state: 'detached' })
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 })
    }
    await box.fill('')
    await page.getByRole('button', { name: 'Cancel the reply to Bruno Petit' }).click()
    await banner.waitFor({ state: 'detached' })
  })

  it('collapses a long message; Show more and Show less by keyboard; a hidden link reached by keyboard opens it', async () => {
    const lines = Array.from({ length: 40 }, (_, index) => `Long report, line ${index + 1}`)
    await bruno.node.send(alice.node.peerId, [...lines, 'see https://intranet.example/end'].join('\n'))
    const report = message('Long report, line 1')
    const more = report.getByRole('button', { name: 'Show more' })
    await more.waitFor()
    assert.equal(await more.getAttribute('aria-expanded'), 'false')
    const box = report.locator('.message-text')
    const collapsedHeight = (await box.boundingBox())!.height
    await more.focus()
    await page.keyboard.press('Enter')
    const less = report.getByRole('button', { name: 'Show less' })
    assert.equal(await less.getAttribute('aria-expanded'), 'true')
    assert.ok((await box.boundingBox())!.height > collapsedHeight * 1.5, 'the whole text shows')
    await page.keyboard.press('Enter')
    await more.waitFor()
    await report.getByRole('link', { name: 'https://intranet.example/end' }).focus()
    await less.waitFor()
    await less.click()
    await more.waitFor()

    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme })
      await assertAccessible(page, `a conversation with markdown, links, a mention and a long message (${theme})`)
    }
  })

  it('offers colleagues after @ in a channel, chosen by keyboard, and sends the mention', async () => {
    await page.getByRole('region', { name: 'Channels' }).getByRole('link', { name: /^atlas/ }).click()
    const box = page.getByRole('textbox', { name: 'Message' })
    await box.click()
    await page.keyboard.type('Ready @br')
    const list = page.getByRole('listbox', { name: 'Colleagues to mention' })
    const option = list.getByRole('option', { name: 'Bruno Petit' })
    await option.waitFor()
    assert.equal(await list.getByRole('option').count(), 1, 'Alice is not offered to herself')
    assert.equal(await option.getAttribute('aria-selected'), 'true')
    assert.equal(await box.getAttribute('aria-activedescendant'), await option.getAttribute('id'))
    await screenshot(page, 'message-text-mention-list')
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme })
      await assertAccessible(page, `the mention list (${theme})`)
    }
    await page.keyboard.press('Escape')
    await list.waitFor({ state: 'detached' })
    await page.keyboard.type('u')
    assert.equal(await list.count(), 0, 'closed for this @ until another one')
    for (const _ of '@bru') await page.keyboard.press('Backspace')
    await page.keyboard.type('@b')
    await option.waitFor()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Tab')
    await list.waitFor({ state: 'detached' })
    assert.equal(await box.inputValue(), 'Ready @Bruno Petit ', 'the box shows the name; the token is what is sent')
    await page.keyboard.type('for the review?')
    await page.keyboard.press('Enter')
    const sent = `Ready @[Bruno Petit](${bruno.node.peerId}) for the review?`
    await waitUntil(async () => (await bruno.node.channelMessages(channelId)).some(m => m.text === sent), "the mention at Bruno's node")
    assert.equal(await message('for the review?').locator('.mention:not(.me)').textContent(), '@Bruno Petit')

    // Editing it: the mention shows as the name, as in the composer, and stays a mention.
    await box.press('ArrowUp')
    const editor = page.getByRole('textbox', { name: 'Edit your message' })
    assert.equal(await editor.inputValue(), 'Ready @Bruno Petit for the review?')
    await editor.press('End')
    await editor.pressSequentially(' Today')
    await editor.press('Enter')
    const edited = `Ready @[Bruno Petit](${bruno.node.peerId}) for the review? Today`
    await waitUntil(async () => (await bruno.node.channelMessages(channelId)).some(m => m.text === edited), "the edit at Bruno's node")
  })

  it('a mention of Alice notifies through her muted channel, not through her focus unless urgent', async () => {
    await page.getByRole('link', { name: /^Bruno Petit/ }).click() // the channel off screen: its notifications show
    const mention = `@[Alice Martin](${alice.node.peerId})`
    await bruno.node.send(alice.node.peerId, `${mention} lunch at noon?`)
    await page.getByRole('link', { name: /^Bruno Petit.*@Alice Martin lunch at noon\?/ }).waitFor() // the list's preview shows the name, not the token
    await alice.node.muteChannel(channelId, { muted: true, forMinutes: 60 })
    await page.evaluate('window.shownNotifications = []')
    const heldBefore = (await alice.node.presence()).held
    await bruno.node.sendToChannel(channelId, 'Plain news while muted')
    await waitUntil(async () => (await alice.node.presence()).held === heldBefore + 1, 'the plain message held')
    await bruno.node.sendToChannel(channelId, `${mention} can you check the figures?`)
    await waitUntil(async () => (await shown()).includes('Bruno Petit in #atlas'), 'the mention notified through the mute')
    assert.deepEqual(await shown(), ['Bruno Petit in #atlas'])

    await alice.node.setPresence({ status: 'focus', forMinutes: 60 })
    await bruno.node.sendToChannel(channelId, `${mention} when you have a minute`)
    await waitUntil(async () => (await alice.node.presence()).held === heldBefore + 2, 'the mention held by focus')
    await bruno.node.sendToChannel(channelId, `${mention} the client is on the phone`, { urgent: 'the client is waiting' })
    await waitUntil(async () => (await shown()).length === 2, 'the urgent mention notified through focus')
    assert.deepEqual(await shown(), ['Bruno Petit in #atlas', 'Urgent: Bruno Petit in #atlas'])
    await alice.node.setPresence({ status: 'available' })
  })
})
