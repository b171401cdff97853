// Channels in the browser, three real daemons in one workspace and two browsers: Alice creates a
// project channel with a topic and her colleagues; she writes; Bruno sees it (unread in his list),
// replies in its thread and reacts; Alice sees both. Carla, in focus, shows in Alice's composer.
// The member panel marks the owner; Alice changes the topic and mutes the channel; Bruno leaves and
// Alice's member list follows. Dark theme and phone width, contrast checked; nothing calls
// window.focus(). Alice archives it at last. The channel browser: Alice opens a channel to the
// workspace; Bruno finds it under "Browse channels" (axe-core in both themes), joins in one click,
// and his joined/left lines stand among the messages; leaving takes it out of his sidebar, also after
// a reload, and the browser still offers it. The jump-to box: Ctrl+K from the composer, a channel's
// name without its accent or capital, a colleague's first name, Escape; the sidebar's button offers
// the open channel Bruno left; nothing on the join screen. Screenshots in test-artifacts/.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { overflowingElements, screenshot } from '../helpers/browser.js'
import { contrastFailures } from '../helpers/browser-contrast.js'
import { assertAccessible } from '../helpers/browser-axe.js'
import { startWorkspaceDaemons, waitUntil, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, type OpenApps } from '../helpers/browser-session.js'
import { FOCUS_END } from '../helpers/focus-end.js'

/** Counts the page's calls to window.focus(): the app must never raise its window. */
const COUNT_FOCUS_CALLS = `(() => {
  window.focusCalls = 0
  const realFocus = window.focus.bind(window)
  window.focus = () => { window.focusCalls++; realFocus() }
})()`

describe('browser app: channels, three daemons in one workspace', () => {
  let alice: Daemon
  let bruno: Daemon
  let carla: Daemon
  let apps: OpenApps
  let a: Page
  let b: Page
  let channelId: string

  before(async () => {
    [alice, bruno, carla] = await startWorkspaceDaemons(['Alice Martin', 'Bruno Petit', 'Carla Rossi']) as [Daemon, Daemon, Daemon]
    apps = await openApps([alice, bruno], async profile => { await profile.context.addInitScript(COUNT_FOCUS_CALLS) });
    [a, b] = apps.pages as [Page, Page]
  })

  after(async () => {
    await apps?.close()
    await alice?.close()
    await bruno?.close()
    await carla?.close()
  })

  const channels = (page: Page) => page.getByRole('region', { name: 'Channels' })
  const message = (page: Page, text: string) => page.locator('[data-message-id]', { hasText: text })
  const thread = (page: Page) => page.getByRole('region', { name: /^Thread in #project-atlas/ })

  it('Alice creates a channel with a topic and two colleagues from the workspace', async () => {
    await channels(a).getByRole('link', { name: 'New channel' }).click()
    await a.getByRole('heading', { name: 'New channel', level: 1 }).waitFor()
    await a.getByRole('textbox', { name: 'Channel name' }).fill('project-atlas')
    await a.getByRole('textbox', { name: /Topic/ }).fill('The Atlas launch, due in March')
    await a.getByRole('checkbox', { name: 'Bruno Petit' }).check()
    await a.getByRole('checkbox', { name: 'Carla Rossi' }).check()
    await screenshot(a, 'channels-create')
    await a.getByRole('button', { name: 'Create channel' }).click()

    await a.getByRole('heading', { name: 'project-atlas', level: 1 }).waitFor()
    await a.getByText('The Atlas launch, due in March').waitFor()
    await a.getByRole('button', { name: 'Members 3' }).waitFor()
    // Both colleagues were added together: one line names them.
    await a.locator('.member-line', { hasText: 'You added Bruno Petit and Carla Rossi' }).waitFor()
    const [channel] = await alice.node.channels()
    assert.equal(channel?.name, 'project-atlas')
    channelId = channel.id
    assert.deepEqual(channel.members.map(m => m.name), ['Alice Martin', 'Bruno Petit', 'Carla Rossi'])
    assert.equal(await a.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Message', 'the composer has the cursor')
  })

  it('Alice writes; Bruno sees the channel with one unread and reads the message with its author', async () => {
    const composer = a.getByRole('textbox', { name: 'Message' })
    await composer.fill('Kick-off tomorrow at ten in the big room.')
    await composer.press('Enter')
    await message(a, 'Kick-off tomorrow at ten').getByText('You', { exact: true }).waitFor()

    const link = channels(b).getByRole('link', { name: /^project-atlas\s*,\s*1 unread$/ })
    await link.waitFor({ timeout: 30_000 })
    await screenshot(b, 'channels-unread')
    // Delivered to both (the count moves live), read by none until Bruno opens the channel.
    await message(a, 'Kick-off tomorrow at ten').getByRole('button', { name: 'Delivered to 2 of 2', exact: true }).waitFor({ timeout: 30_000 })
    await link.click()
    await message(b, 'Kick-off tomorrow at ten').getByText('Alice Martin', { exact: true }).waitFor()
    await channels(b).getByRole('link', { name: 'project-atlas', exact: true }).waitFor()
    await waitUntil(async () => (await bruno.node.channel(channelId)).unread === 0, 'the channel marked read at Bruno\'s node')
  })

  it('Alice sees her message delivered to both, then read by Bruno who opened the channel, member by member', async () => {
    const state = message(a, 'Kick-off tomorrow at ten').getByRole('button', { name: 'Delivered to 2 of 2 · read by 1', exact: true })
    await state.waitFor({ timeout: 30_000 })
    await state.click()
    const members = message(a, 'Kick-off tomorrow at ten').getByRole('list', { name: 'Delivery to each member' })
    await members.getByRole('listitem').filter({ hasText: 'Bruno Petit' }).getByText(/^Read /).waitFor()
    await members.getByRole('listitem').filter({ hasText: 'Carla Rossi' }).getByText(/^Delivered /).waitFor()
    await screenshot(a, 'channels-delivery')
    await state.click()
    await members.waitFor({ state: 'detached' })
  })

  it('Bruno replies in the thread and reacts; Alice sees the reply count, the thread and the reaction', async () => {
    await message(b, 'Kick-off tomorrow at ten').hover()
    await b.getByRole('link', { name: 'Reply in thread to Alice Martin' }).click()
    const composer = thread(b).getByRole('textbox', { name: 'Reply in thread' })
    await composer.waitFor()
    assert.equal(await b.evaluate(() => document.activeElement?.closest('section')?.getAttribute('aria-labelledby')), 'thread-title', 'the thread composer has the cursor')
    await composer.fill('I will be there, with the mock-ups.')
    await composer.press('Enter')
    await thread(b).getByText('I will be there, with the mock-ups.').waitFor()
    await thread(b).getByText('1 reply').waitFor()

    await message(b, 'Kick-off tomorrow at ten').first().hover()
    await b.getByRole('main').locator('[data-message-id]').first().getByRole('button', { name: "Add a reaction to Alice Martin's message" }).click()
    await b.getByRole('main').getByRole('button', { name: 'React 👍' }).first().click()
    await b.getByRole('button', { name: /^👍 1: you/ }).first().waitFor()
    await screenshot(b, 'channels-thread-reply')

    const replies = message(a, 'Kick-off tomorrow at ten').getByRole('link', { name: /^1 reply/ })
    await replies.waitFor({ timeout: 30_000 })
    await message(a, 'Kick-off tomorrow at ten').getByRole('button', { name: /^👍 1: Bruno Petit\. React 👍 too$/ }).waitFor({ timeout: 30_000 })
    await replies.click()
    await thread(a).getByText('I will be there, with the mock-ups.').waitFor()
    await thread(a).getByText('Bruno Petit', { exact: true }).waitFor()
    await screenshot(a, 'channels-thread')
    await thread(a).getByRole('link', { name: 'Close the thread' }).click()
    await thread(a).waitFor({ state: 'detached' })
  })

  it('a channel of 700 messages: scrolling up loads older pages without moving what is read, to the beginning, none missing or twice', async () => {
    const COUNT = 700
    const text = (i: number): string => `history ${String(i).padStart(3, '0')} of the archive`
    const archive = await alice.node.createChannel('atlas-archive', 'Everything since the start')
    await alice.node.inviteToChannel(archive.id, [bruno.node.peerId])
    await waitUntil(async () => (await bruno.node.channels()).some(c => c.id === archive.id && c.member), "the invite at Bruno's node", 30_000)
    for (let start = 1; start <= COUNT; start += 50) {
      await Promise.all(Array.from({ length: 50 }, async (_, i) => await alice.node.sendToChannel(archive.id, text(start + i))))
    }
    await waitUntil(async () => (await bruno.node.channelMessages(archive.id, { limit: 1000 })).length === COUNT, `${COUNT} messages at Bruno's node`, 120_000)
    const expected = (await bruno.node.channelMessages(archive.id, { limit: 1000 })).map(m => m.id)

    await channels(b).getByRole('link', { name: /^atlas-archive/ }).click()
    const log = b.getByRole('log', { name: 'Messages in #atlas-archive' })
    await message(b, text(COUNT)).waitFor()
    const rows = async (): Promise<number> => Number(await log.getAttribute('data-rows'))
    const firstPage = await rows()
    assert.ok(firstPage < COUNT, `the first load holds the newest page only (${firstPage} rows)`)

    // The oldest message of the first page stays in view while the page before it is added above.
    const oldestLoaded = b.locator(`[data-message-id="${expected[COUNT - firstPage]}"]`)
    await log.evaluate((element) => { element.scrollTop = 0 })
    await oldestLoaded.waitFor()
    await waitUntil(async () => await rows() > firstPage, 'an older page')
    const [box, viewport] = [await oldestLoaded.boundingBox(), await log.boundingBox()]
    const middle = box === null ? NaN : box.y + box.height / 2
    assert.ok(viewport !== null && middle > viewport.y && middle < viewport.y + viewport.height,
      `the message that was at the top is still in view: ${JSON.stringify({ box, viewport })}`)

    const beginning = b.getByText('This is the beginning of #atlas-archive')
    while (!await beginning.isVisible()) {
      await log.evaluate((element) => { element.scrollTop = 0 })
      await b.waitForFunction(() => document.querySelector('[role=log]')?.scrollTop !== 0 || document.body.innerText.includes('This is the beginning of #atlas-archive'))
    }
    await message(b, text(1)).waitFor()
    await screenshot(b, 'channels-history-beginning')
    // Every message, and the two lines of the log before them: Alice created the channel, added Bruno.
    assert.equal(await rows(), COUNT + 2)
    await b.locator('.member-line', { hasText: 'Alice Martin added you' }).waitFor()
    // Down the whole list a screen at a time: every message once, in the node's order.
    // (No named functions inside: tsx would wrap them in a helper the page does not have.)
    const seen = await log.evaluate(async (element) => {
      const ids: string[] = []
      for (;;) {
        for (const row of element.querySelectorAll('[data-message-id]')) {
          const id = row.getAttribute('data-message-id')!
          if (!ids.includes(id)) ids.push(id)
        }
        if (element.scrollTop + element.clientHeight >= element.scrollHeight - 1) return ids
        element.scrollTop += element.clientHeight
        await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      }
    })
    assert.deepEqual(seen, expected)
    await channels(b).getByRole('link', { name: /^project-atlas/ }).click()
  })

  it("Carla in focus: Alice's channel composer says so and offers the urgent option", async () => {
    await carla.node.setPresence({ status: 'focus', text: 'Budget', forMinutes: 30 })
    const hint = a.getByRole('status').getByText(new RegExp(String.raw`^Carla Rossi is in focus until ${FOCUS_END}: your message will arrive silently for them$`))
    await hint.waitFor({ timeout: 30_000 })
    await a.getByRole('checkbox', { name: 'Urgent' }).check()
    await a.getByRole('textbox', { name: /Why is it urgent/ }).waitFor()
    await screenshot(a, 'channels-focus-hint')
    await a.getByRole('checkbox', { name: 'Urgent' }).uncheck()

    const composer = a.getByRole('textbox', { name: 'Message' })
    await composer.fill('The budget figures are in the shared drive.')
    await composer.press('Enter')
    await message(a, 'The budget figures are in the shared drive').getByRole('button', { name: 'Delivered to 2 of 2 · 1 silently, in focus', exact: true }).waitFor({ timeout: 30_000 })
  })

  it('the member panel marks the owner; the topic changes for everyone; Alice mutes; Bruno leaves, and Alice sees two members', async () => {
    await a.getByRole('button', { name: 'Members 3' }).click()
    const details = a.getByRole('region', { name: 'About #project-atlas' })
    const owner = details.getByRole('listitem').filter({ hasText: 'Alice Martin' })
    await owner.getByText('owner', { exact: true }).waitFor()
    await details.getByRole('button', { name: 'Remove Bruno Petit from #project-atlas' }).waitFor()
    await details.getByRole('button', { name: 'Archive channel' }).waitFor()
    await screenshot(a, 'channels-members')

    const topic = details.getByRole('textbox', { name: 'Topic' })
    await topic.fill('The Atlas launch, moved to April')
    await topic.press('Enter')
    await b.getByText('The Atlas launch, moved to April').waitFor({ timeout: 30_000 })
    await details.getByRole('button', { name: 'Mute for 1 hour' }).click()
    await channels(a).getByRole('link', { name: /^project-atlas\s*,\s*muted$/ }).waitFor()
    assert.equal(typeof (await alice.node.channel(channelId)).mutedUntil, 'number')

    await b.getByRole('button', { name: 'Members 3' }).click()
    const his = b.getByRole('region', { name: 'About #project-atlas' })
    assert.equal(await his.getByRole('button', { name: /^Remove / }).count(), 0, 'only the owner removes')
    assert.equal(await his.getByRole('button', { name: 'Archive channel' }).count(), 0, 'only the owner archives')
    await his.getByRole('button', { name: 'Leave channel' }).click()
    await his.getByRole('button', { name: 'Leave #project-atlas' }).click()
    await b.getByText('You are no longer a member of this channel.').first().waitFor()
    await channels(b).getByRole('link', { name: /^project-atlas/ }).waitFor({ state: 'detached' })
    assert.equal((await bruno.node.channel(channelId)).member, false)
    await b.locator('.member-line', { hasText: 'You left' }).waitFor()
    await a.getByText('Bruno Petit left').waitFor({ timeout: 30_000 })
    await screenshot(b, 'channels-left')

    await a.getByRole('button', { name: 'Members 2' }).waitFor({ timeout: 30_000 })
    assert.equal(await details.getByRole('listitem').filter({ hasText: 'Bruno Petit' }).count(), 0)
    assert.deepEqual((await alice.node.channel(channelId)).members.map(m => m.name), ['Alice Martin', 'Carla Rossi'])
  })

  it('Alice removes Carla in the member panel, and invites her back', async () => {
    const details = a.getByRole('region', { name: 'About #project-atlas' })
    await details.getByRole('button', { name: 'Remove Carla Rossi from #project-atlas' }).click()
    await details.getByRole('button', { name: 'Remove Carla Rossi', exact: true }).click()
    await details.getByText('Carla Rossi removed.').waitFor()
    await a.getByRole('button', { name: 'Members 1' }).waitFor({ timeout: 30_000 })
    await waitUntil(async () => !(await carla.node.channel(channelId)).member, "the removal at Carla's node", 30_000)

    const invite = details.getByRole('combobox', { name: 'Invite a colleague' })
    await invite.selectOption({ label: 'Carla Rossi' })
    await details.getByRole('button', { name: 'Invite', exact: true }).click()
    await details.getByText('Carla Rossi can now read what is sent from here on.').waitFor()
    await a.getByRole('button', { name: 'Members 2' }).waitFor({ timeout: 30_000 })
    await waitUntil(async () => (await carla.node.channel(channelId)).member, "the new invitation at Carla's node", 30_000)
  })

  it('reads well in the dark theme and at phone width; nothing took the focus', async () => {
    await a.emulateMedia({ colorScheme: 'dark' })
    assert.deepEqual(await contrastFailures(a), [])
    await screenshot(a, 'channels-dark')
    await a.emulateMedia({ colorScheme: 'light' })
    assert.deepEqual(await contrastFailures(a), [])

    await b.setViewportSize({ width: 360, height: 740 })
    await b.emulateMedia({ colorScheme: 'dark' })
    assert.deepEqual(await overflowingElements(b), [])
    await screenshot(b, 'channels-phone-dark')
    await b.getByRole('button', { name: 'Close the details' }).click()
    assert.deepEqual(await overflowingElements(b), [])
    await message(b, 'Kick-off tomorrow at ten').getByRole('link', { name: /^1 reply/ }).click()
    await thread(b).getByText('I will be there, with the mock-ups.').waitFor()
    assert.deepEqual(await overflowingElements(b), [])
    await screenshot(b, 'channels-phone-thread')
    await thread(b).getByRole('link', { name: 'Close the thread' }).click()
    await b.getByRole('link', { name: 'Back to conversations' }).click()
    await channels(b).waitFor()
    assert.deepEqual(await overflowingElements(b), [])
    await screenshot(b, 'channels-phone-list')

    assert.equal(await a.evaluate('window.focusCalls'), 0, 'the app never calls window.focus()')
    assert.equal(await b.evaluate('window.focusCalls'), 0, 'the app never calls window.focus()')
  })

  it('Alice, the owner, archives the channel: nothing more can be sent, its history stays', async () => {
    const details = a.getByRole('region', { name: 'About #project-atlas' })
    await details.getByRole('button', { name: 'Archive channel' }).click()
    await details.getByRole('button', { name: 'Archive #project-atlas' }).click()
    await a.getByText('This channel is archived: nothing more can be sent to it.').waitFor()
    assert.equal(await a.getByRole('textbox', { name: 'Message' }).isDisabled(), true)
    await channels(a).getByRole('link', { name: /^project-atlas\s*,\s*archived\s*,\s*muted$/ }).waitFor()
    await message(a, 'Kick-off tomorrow at ten').waitFor()
    assert.equal((await alice.node.channel(channelId)).archived, true)
    await waitUntil(async () => (await carla.node.channel(channelId)).archived, "the archive at Carla's node", 30_000)
    await screenshot(a, 'channels-archived')
  })

  it('the channel browser: Bruno joins an open channel in one click; the lines follow; leaving takes it out of his sidebar for good', async () => {
    await b.setViewportSize({ width: 1280, height: 800 })
    await b.emulateMedia({ colorScheme: 'light' })
    // An invite-only channel Bruno left: the browser shows it, and who to ask.
    const board = await alice.node.createChannel('board', 'Decisions')
    await alice.node.inviteToChannel(board.id, [bruno.node.peerId])
    await waitUntil(async () => (await bruno.node.channels()).some(c => c.id === board.id && c.member), "the invite at Bruno's node", 30_000)
    await bruno.node.leaveChannel(board.id)
    await channels(a).getByRole('link', { name: 'New channel' }).click()
    await a.getByRole('textbox', { name: 'Channel name' }).fill('lunch')
    await a.getByRole('textbox', { name: /Topic/ }).fill('Where we eat today')
    await a.getByRole('radio', { name: /Open to the workspace/ }).check()
    await a.getByRole('button', { name: 'Create channel' }).click()
    await a.getByRole('heading', { name: 'lunch', level: 1 }).waitFor()

    // From the sidebar, by the keyboard.
    await channels(b).getByRole('link', { name: 'Browse channels' }).focus()
    await b.keyboard.press('Enter')
    const browser = b.getByRole('region', { name: 'Browse channels' })
    const row = (name: string) => browser.getByRole('listitem').filter({ has: b.getByRole('heading', { name, exact: true }) })
    await row('lunch').getByText('Where we eat today').waitFor({ timeout: 30_000 })
    await row('lunch').getByText('1 member', { exact: true }).waitFor()
    await row('board').getByText(/^Invite-only: ask Alice Martin to invite you/).waitFor()
    await screenshot(b, 'channels-browse')
    for (const theme of ['dark', 'light'] as const) {
      await b.emulateMedia({ colorScheme: theme })
      await assertAccessible(b, `the channel browser (${theme})`)
    }

    await row('lunch').getByRole('button', { name: 'Join #lunch' }).click()
    await b.getByRole('heading', { name: 'lunch', level: 1 }).waitFor()
    await channels(b).getByRole('link', { name: /^lunch/ }).waitFor()
    await a.getByText('Bruno Petit joined').waitFor({ timeout: 30_000 })
    const composer = b.getByRole('textbox', { name: 'Message' })
    await composer.fill('Pizza at noon?')
    await composer.press('Enter')
    await message(a, 'Pizza at noon?').waitFor({ timeout: 30_000 })
    await b.getByRole('button', { name: 'Members 2' }).click()
    const details = b.getByRole('region', { name: 'About #lunch' })
    await details.getByRole('button', { name: 'Leave channel' }).click()
    await details.getByRole('button', { name: 'Leave #lunch' }).click()
    await channels(b).getByRole('link', { name: /^lunch/ }).waitFor({ state: 'detached' })
    await b.getByText('You are no longer a member of this channel. Join it again from Browse channels.').first().waitFor()
    await a.getByText('Bruno Petit left').waitFor({ timeout: 30_000 })
    // Alice's timeline: the lines in their place among the messages.
    const timeline = await a.locator('.member-line, [data-message-id]').allInnerTexts()
    const at = (text: string): number => timeline.findIndex(t => t.includes(text))
    assert.ok(at('You created the channel') < at('Bruno Petit joined') && at('Bruno Petit joined') < at('Pizza at noon?') && at('Pizza at noon?') < at('Bruno Petit left'), timeline.join(' | '))
    await screenshot(a, 'channels-member-lines')

    // After a reload too: not in his sidebar, still in the browser, to join again.
    await b.reload()
    await channels(b).getByRole('link', { name: 'Browse channels' }).click()
    await row('lunch').getByRole('button', { name: 'Join #lunch' }).waitFor({ timeout: 30_000 })
    assert.equal(await channels(b).getByRole('link', { name: /^lunch/ }).count(), 0)
    assert.equal(await channels(b).getByRole('link', { name: /^board/ }).count(), 0)
  })

  it('the jump-to box: Ctrl+K from the composer, a few letters, Enter opens the channel or the conversation; Escape gives the focus back', async () => {
    const design = await alice.node.createChannel('Équipe-Design', 'Mock-ups and icons')
    await channels(a).getByRole('link', { name: /^Équipe-Design/ }).waitFor({ timeout: 30_000 })
    const jump = (page: Page) => page.getByRole('dialog', { name: 'Jump to' })
    const field = (page: Page) => jump(page).getByRole('combobox', { name: 'Jump to' })
    const focusedLabel = async (page: Page): Promise<string | null | undefined> => await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))

    // From inside the composer: the key opens the box, the text typed goes to its field.
    const composer = a.getByRole('textbox', { name: 'Message' })
    await composer.focus()
    await a.keyboard.press('Control+k')
    await field(a).waitFor()
    assert.equal(await a.evaluate(() => document.activeElement?.id), 'jump-field', 'the field has the cursor')
    await a.keyboard.type('equip')
    await jump(a).getByRole('option', { name: /^Équipe-Design\s*,\s*channel$/, selected: true }).waitFor()
    assert.equal(await field(a).getAttribute('aria-activedescendant'), await jump(a).getByRole('option', { selected: true }).getAttribute('id'))
    await screenshot(a, 'jump-to-channel')
    await a.keyboard.press('Enter')
    await a.getByRole('heading', { name: 'Équipe-Design', level: 1 }).waitFor()
    await jump(a).waitFor({ state: 'hidden' })
    assert.equal(a.url().endsWith(`#/channel/${encodeURIComponent(design.id)}`), true, a.url())
    assert.equal(await focusedLabel(a), 'Message', 'the channel opened has the cursor')

    // A colleague's first name: the first match, whom Alice never wrote to, opens the 1:1 conversation.
    await a.keyboard.press('Control+k')
    await field(a).fill('BRUNO')
    await jump(a).getByRole('option', { name: /^Bruno Petit\s*,/ }).waitFor()
    await a.keyboard.press('ArrowDown')
    await a.keyboard.press('ArrowUp')
    await jump(a).getByRole('option', { name: /^Bruno Petit\s*,/, selected: true }).waitFor()
    await a.keyboard.press('Enter')
    await a.getByRole('heading', { name: 'Bruno Petit', level: 1 }).waitFor()
    assert.equal(a.url().endsWith(`#/chat/${bruno.node.peerId}`), true, a.url())

    // Escape closes it and gives the focus back where it was, the draft untouched.
    assert.equal(await focusedLabel(a), 'Message', 'the conversation opened has the cursor')
    await composer.fill('still here')
    await a.keyboard.press('Control+k')
    await field(a).waitFor()
    await a.keyboard.press('Escape')
    await jump(a).waitFor({ state: 'hidden' })
    assert.equal(await focusedLabel(a), 'Message')
    assert.equal(await composer.inputValue(), 'still here')

    // By the pointer: the sidebar's button; the open channel Bruno left is offered to join.
    await b.getByRole('button', { name: 'Jump to… Ctrl K' }).click()
    await field(b).fill('LUN')
    const lunch = jump(b).getByRole('option', { name: /^lunch\s*,\s*open channel, not joined$/ })
    await lunch.click()
    await b.getByRole('heading', { name: 'lunch', level: 1 }).waitFor()
    await b.getByText('You are no longer a member of this channel. Join it again from Browse channels.').first().waitFor()

    // The join screen is about one invite: the key stays the browser's, and no button offers the box.
    await b.evaluate('location.hash = "#/join/7KQ2M-NOT-A-CODE"')
    await b.getByRole('heading', { name: /^You are already in/ }).waitFor()
    await b.keyboard.press('Control+k')
    assert.equal(await jump(b).isVisible(), false)
    assert.equal(await b.getByRole('button', { name: /^Jump to/ }).count(), 0)
  })
})
