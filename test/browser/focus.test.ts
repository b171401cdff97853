// Focus in the browser, with two users each in their own browser: Alice sets focus for 30 minutes;
// Bruno's composer says so before he writes; his normal message reaches her without a notification
// (the real Notification API, observed through the page) and he sees it was delivered silently; his
// urgent message, with its reason, notifies her at once; when her focus ends she gets one summary.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { screenshot } from '../helpers/browser.js'
import { startDaemonPair, waitUntil, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, type OpenApps } from '../helpers/browser-session.js'
import { assertAccessibleInBothThemes } from '../helpers/browser-axe.js'
import { FOCUS_END } from '../helpers/focus-end.js'

interface Shown { title: string, body: string, silent: boolean, requireInteraction: boolean }

/** Records every notification the page creates (with its options), then lets the real constructor show it. */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification
  window.shownNotifications = []
  window.focusCalls = 0
  const realFocus = window.focus.bind(window)
  window.focus = () => { window.focusCalls++; realFocus() }
  window.Notification = class extends Real {
    constructor (title, options) {
      super(title, options)
      window.shownNotifications.push({ title, body: options?.body ?? '', silent: options?.silent === true, requireInteraction: options?.requireInteraction === true })
    }
  }
  window.Notification.requestPermission = Real.requestPermission.bind(Real)
  Object.defineProperty(window.Notification, 'permission', { get: () => Real.permission })
})()`

describe('focus: held notifications, silent delivery, urgent breaks through', () => {
  let alice: Daemon
  let bruno: Daemon
  let apps: OpenApps
  let a: Page
  let b: Page
  const shown = async (): Promise<Shown[]> => await a.evaluate('window.shownNotifications') as Shown[]

  before(async () => {
    [alice, bruno] = await startDaemonPair(['Alice Martin', 'Bruno Petit'])
    apps = await openApps([alice, bruno], async (profile, daemon) => {
      if (daemon !== alice) return
      await profile.context.grantPermissions(['notifications'], { origin: alice.api.url })
      await profile.context.addInitScript(RECORD_NOTIFICATIONS)
    });
    [a, b] = apps.pages as [Page, Page]
  })

  after(async () => {
    await apps?.close()
    await alice?.close()
    await bruno?.close()
  })

  it('Alice sets focus for 30 minutes; Bruno sees it in People and in his composer', async () => {
    await a.getByRole('button', { name: /Your status: Available/ }).click()
    const dialog = a.getByRole('dialog', { name: 'Set your status' })
    await dialog.getByRole('radio', { name: 'Focus' }).check()
    await dialog.getByRole('textbox', { name: 'Status message' }).fill('Quarterly report')
    await dialog.getByRole('combobox', { name: 'Until' }).selectOption({ label: '30 minutes' })
    await screenshot(a, 'focus-picker')
    await dialog.getByRole('button', { name: 'Set status' }).click()
    await a.getByRole('button', { name: new RegExp(String.raw`Your status: Focus until ${FOCUS_END}`) }).waitFor()

    await b.locator(`#presence-${alice.node.peerId}`).getByText(new RegExp(String.raw`Focus until ${FOCUS_END} · Quarterly report`)).waitFor()
    await b.getByRole('button', { name: 'Alice Martin', exact: true }).click()
    await b.getByRole('status').getByText(new RegExp(String.raw`^Alice Martin is in focus until ${FOCUS_END}: your message will arrive silently for them$`)).waitFor()
    await screenshot(b, 'focus-composer-hint')
  })

  it("Bruno's normal message arrives silently: stored and listed, no notification", async () => {
    const composer = b.getByRole('textbox', { name: 'Message' })
    await composer.fill('The client called back, no rush.')
    await composer.press('Enter')
    // Alice's node held its notification: her presence shows one held (the node says held or notified, never both).
    await a.getByRole('link', { name: /^Bruno Petit/ }).getByText('The client called back, no rush.').waitFor()
    await a.getByRole('button', { name: /Your status: Focus/ }).click()
    await a.getByText('1 notification held for your summary.').waitFor()
    await a.keyboard.press('Escape')
    assert.deepEqual(await shown(), [], 'no notification during focus')
    // Bruno learns it was delivered silently.
    await b.locator('[data-message-id]', { hasText: 'The client called back' }).getByText(new RegExp(String.raw`silently, in focus until ${FOCUS_END}`)).waitFor()
    await screenshot(b, 'focus-delivered-silently')
  })

  it('an urgent message, with its reason, notifies Alice at once', async () => {
    await b.getByRole('checkbox', { name: 'Urgent' }).check()
    await b.getByRole('status').getByText(new RegExp(String.raw`^Alice Martin is in focus until ${FOCUS_END}: this urgent message notifies them at once$`)).waitFor()
    await b.getByRole('textbox', { name: /Why is it urgent/ }).fill('the client is on the phone')
    const composer = b.getByRole('textbox', { name: 'Message' })
    await composer.fill('Can you take the call?')
    await screenshot(b, 'focus-urgent-composer')
    await composer.press('Enter')
    await waitUntil(async () => (await shown()).length === 1, 'the urgent notification')
    const [urgent] = await shown()
    assert.equal(urgent!.title, 'Urgent: Bruno Petit')
    assert.equal(urgent!.body, 'the client is on the phone\nCan you take the call?')
    assert.equal(urgent!.requireInteraction, false)
    await a.getByRole('link', { name: /^Bruno Petit/ }).click()
    await a.locator('[data-message-id]', { hasText: 'Can you take the call?' }).getByText('the client is on the phone').waitFor()
    await screenshot(a, 'focus-urgent-received')
  })

  it('when focus ends, Alice gets one summary of what was held; nothing took the focus', async () => {
    await a.getByRole('link', { name: 'causette: home' }).click()
    await a.getByRole('button', { name: /Your status: Focus/ }).click()
    const dialog = a.getByRole('dialog', { name: 'Set your status' })
    await dialog.getByRole('radio', { name: 'Available' }).check()
    await dialog.getByRole('button', { name: 'Set status' }).click()
    await waitUntil(async () => (await shown()).length === 2, 'the summary')
    assert.deepEqual((await shown())[1], { title: '1 message during focus', body: 'From Bruno Petit', silent: true, requireInteraction: false })
    const digest = a.getByRole('region', { name: 'While you were in focus' })
    await digest.getByRole('link', { name: /Bruno Petit\s*1 message/ }).waitFor()
    await screenshot(a, 'focus-digest')
    await assertAccessibleInBothThemes(a, 'the digest panel')
    assert.equal(await a.evaluate('window.focusCalls'), 0, 'the app never calls window.focus()')
    await b.getByRole('status').getByText(/is in focus/).waitFor({ state: 'detached' }) // the hint goes once Bruno's node hears
  })
})
