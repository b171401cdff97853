// Presence exceptions and kept digests in the browser, two daemons in one workspace with a project
// channel: Alice picks focus for 30 minutes with an exception, available for #project-x, in the
// status picker; Bruno's composer in the channel says nothing of focus while his 1:1 composer says
// she is in focus; his 1:1 message is held, his channel message notifies. Alice closes the app;
// her focus ends while it is closed; when she opens it again the digest is there, and once
// dismissed it stays gone after a reload. Screenshots in test-artifacts/.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { screenshot } from '../helpers/browser.js'
import { startWorkspaceDaemons, waitUntil, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, type OpenApps } from '../helpers/browser-session.js'
import { FOCUS_END } from '../helpers/focus-end.js'

describe('browser app: presence exceptions and digests kept while the app is closed', () => {
  let alice: Daemon
  let bruno: Daemon
  let apps: OpenApps
  let a: Page
  let b: Page
  let channelId: string

  before(async () => {
    [alice, bruno] = await startWorkspaceDaemons(['Alice Martin', 'Bruno Petit']) as [Daemon, Daemon]
    const channel = await alice.node.createChannel('project-x', 'The X launch')
    channelId = channel.id
    await alice.node.inviteToChannel(channel.id, [bruno.node.peerId])
    await waitUntil(async () => (await bruno.node.channels()).some(c => c.id === channel.id && c.members.length === 2), 'the channel at Bruno', 30_000)
    apps = await openApps([alice, bruno]);
    [a, b] = apps.pages as [Page, Page]
  })

  after(async () => {
    await apps?.close()
    await alice?.close()
    await bruno?.close()
  })

  const composerHint = (page: Page) => page.getByRole('status').getByText(/is in focus/)

  it('Alice sets focus for 30 minutes, available for #project-x, in the status picker', async () => {
    await a.getByRole('button', { name: /Your status: Available/ }).click()
    const dialog = a.getByRole('dialog', { name: 'Set your status' })
    await dialog.getByRole('radio', { name: 'Focus' }).check()
    await dialog.getByRole('textbox', { name: 'Status message' }).fill('Writing the X spec')
    await dialog.getByRole('combobox', { name: 'Until' }).selectOption({ label: '30 minutes' })
    const exceptions = dialog.getByRole('group', { name: 'Exceptions' })
    await exceptions.getByRole('combobox', { name: 'Exception for' }).selectOption({ label: '#project-x' })
    assert.equal(await exceptions.getByRole('combobox', { name: 'Exception status' }).inputValue(), 'available', 'the other usual choice comes first')
    await exceptions.getByRole('button', { name: 'Add exception' }).click()
    // A second one, removed again: the list edits before it is saved.
    await exceptions.getByRole('combobox', { name: 'Exception for' }).selectOption({ label: 'Bruno Petit' })
    await exceptions.getByRole('button', { name: 'Add exception' }).click()
    await exceptions.getByRole('button', { name: 'Remove the exception for Bruno Petit' }).click()
    assert.equal(await exceptions.getByRole('combobox', { name: 'Status for #project-x' }).inputValue(), 'available')
    await screenshot(a, 'presence-exceptions-picker')
    await dialog.getByRole('button', { name: 'Set status' }).click()
    await a.getByRole('button', { name: new RegExp(String.raw`Your status: Focus until ${FOCUS_END}, available for #project-x$`) }).waitFor()

    const mine = await alice.node.presence()
    assert.deepEqual(mine.exceptions.map(e => [e.name, e.status]), [['#project-x', 'available']])
    // Opened again, the picker shows the exception in force.
    await a.getByRole('button', { name: /Your status: Focus/ }).click()
    await dialog.getByRole('combobox', { name: 'Status for #project-x' }).waitFor()
    await a.keyboard.press('Escape')
  })

  it("Bruno's channel composer says nothing of focus; his 1:1 composer says she is in focus", async () => {
    await waitUntil(async () => (await bruno.node.peers()).some(p => p.peerId === alice.node.peerId && p.presence.status === 'focus'), "Bruno's node to hear of Alice's focus")
    await b.getByRole('button', { name: 'Alice Martin', exact: true }).click()
    await b.getByRole('status').getByText(new RegExp(String.raw`^Alice Martin is in focus until ${FOCUS_END}: your message will arrive silently for them$`)).waitFor()
    await screenshot(b, 'presence-exceptions-direct')

    await b.getByRole('region', { name: 'Channels' }).getByRole('link', { name: /project-x/ }).click()
    await b.getByRole('heading', { name: 'project-x', level: 1 }).waitFor()
    await b.getByRole('textbox', { name: 'Message' }).waitFor()
    assert.equal(await composerHint(b).count(), 0, 'available for the channel: no focus hint')
    await screenshot(b, 'presence-exceptions-channel')
  })

  it('in focus, the channel message notifies her; the 1:1 message is held', async () => {
    const inChannel = await bruno.node.sendToChannel(channelId, 'Spec review at ten?')
    const direct = await bruno.node.send(alice.node.peerId, 'And a private word')
    await waitUntil(async () => (await alice.node.presence()).held === 1, 'one held')
    await waitUntil(async () => (await alice.node.channelMessages(channelId)).some(m => m.id === inChannel.id), 'the channel message')
    await a.getByRole('button', { name: /Your status: Focus/ }).click()
    await a.getByText('1 notification held for your summary.').waitFor()
    await a.keyboard.press('Escape')
    assert.ok(direct.id.length > 0)
  })

  it('focus ends while the app is closed: the digest waits for the app, and goes once dismissed', async () => {
    await a.close()
    await alice.node.setPresence({ status: 'available' })
    await waitUntil(async () => (await alice.node.digests()).length === 1, 'the digest kept by the node')

    a = await apps.profiles[0]!.context.newPage()
    await a.goto(alice.appLink)
    const digest = a.getByRole('region', { name: 'While you were in focus' })
    await digest.getByRole('link', { name: /Bruno Petit\s*1 message/ }).waitFor()
    await screenshot(a, 'presence-exceptions-digest-after-reload')
    await digest.getByRole('button', { name: 'Dismiss the summary' }).click()
    await digest.waitFor({ state: 'detached' })
    await waitUntil(async () => (await alice.node.digests()).length === 0, 'the digest dismissed on the node')
    await a.reload()
    await a.getByRole('heading', { name: 'Hello, Alice Martin' }).waitFor()
    assert.equal(await a.getByRole('region', { name: 'While you were in focus' }).count(), 0, 'dismissed for good')
  })
})
