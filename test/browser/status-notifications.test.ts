// Status and notifications: an incoming message out of view raises a desktop notification (the
// real Notification API, observed through a wrapper), none while the user is in focus, and one
// summary when focus ends. Nothing ever takes the focus away from what the user is doing.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { waitUntil } from '../helpers/browser-daemons.js'
import { pairWithBrowser } from '../helpers/browser-session.js'

interface Shown { title: string, body: string }

/** Records every notification the page creates, then lets the real constructor show it. */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification
  window.shownNotifications = []
  window.Notification = class extends Real {
    constructor (title, options) { super(title, options); window.shownNotifications.push({ title, body: options?.body ?? '' }) }
  }
  window.Notification.requestPermission = Real.requestPermission.bind(Real)
  Object.defineProperty(window.Notification, 'permission', { get: () => Real.permission })
})()`

describe('status and notifications', () => {
  const session = pairWithBrowser()
  const shown = async (): Promise<Shown[]> => await session.page.evaluate('window.shownNotifications') as Shown[]

  before(async () => {
    const { alice, browser, page } = session
    await browser.context.grantPermissions(['notifications'], { origin: alice.api.url })
    await browser.context.addInitScript(RECORD_NOTIFICATIONS)
    await page.reload()
    await page.getByRole('heading', { name: /Hello/ }).waitFor()
  })

  it('notifies an incoming message that is not on screen', async () => {
    const { alice, bruno, page } = session
    await page.getByRole('link', { name: 'Settings' }).click()
    await page.getByText('Desktop notifications are on.').waitFor()
    await page.getByRole('link', { name: 'causette: home' }).click()
    await bruno.node.send(alice.node.peerId, 'Lunch at noon?')
    await waitUntil(async () => (await shown()).length === 1, 'a notification')
    assert.deepEqual(await shown(), [{ title: 'Bruno Petit', body: 'Lunch at noon?' }])
  })

  it('holds notifications in focus, then shows one summary when focus ends', async () => {
    const { alice, bruno, page } = session
    await page.getByRole('button', { name: /Your status: Available/ }).click()
    const dialog = page.getByRole('dialog', { name: 'Set your status' })
    await dialog.getByRole('radio', { name: 'Focus' }).check()
    await dialog.getByRole('button', { name: 'Set status' }).click()
    await page.getByRole('button', { name: /Your status: Focus/ }).waitFor()

    await bruno.node.send(alice.node.peerId, 'The client called back.')
    await bruno.node.send(alice.node.peerId, 'They agree to the price.')
    await page.getByRole('link', { name: /^Bruno Petit/ }).getByText('They agree to the price.').waitFor()
    assert.equal((await shown()).length, 1, 'no notification during focus')

    await page.getByRole('button', { name: /Your status: Focus/ }).click()
    await dialog.getByRole('radio', { name: 'Available' }).check()
    await dialog.getByRole('button', { name: 'Set status' }).click()
    await waitUntil(async () => (await shown()).length === 2, 'the summary')
    assert.deepEqual((await shown())[1], { title: '2 messages during focus', body: 'From Bruno Petit' })
  })
})
