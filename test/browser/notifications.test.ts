// Notifications in the real app: the first-run prompt (asked once, "Not now" remembered, the
// browser's question only after a click), the notification sound (only with a notification the
// node lets through, never in focus, off with the setting), and the unread count on the app's icon
// (navigator.setAppBadge / clearAppBadge, observed through spies set before the app loads).
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { waitUntil } from '../helpers/browser-daemons.js'
import { assertAccessibleInBothThemes } from '../helpers/browser-axe.js'
import { pairWithBrowser } from '../helpers/browser-session.js'

/** NOT_NOW_KEY of ui/src/notifications/permission-prompt.svelte.ts (a runes module: not importable here). */
const NOT_NOW_KEY = 'causette.notifications.not-now'

/**
 * Spies: the page's notification permission reads 'default' until the app asks (then 'granted', as
 * a user would answer; the context's grant lets the real constructor show them), every
 * notification, every start of a sound, every badge call.
 */
const SPIES = `(() => {
  const Real = window.Notification
  window.permissionRequests = 0
  window.shownNotifications = []
  window.soundsPlayed = 0
  window.badgeCalls = []
  window.Notification = class extends Real {
    constructor (title, options) { super(title, options); window.shownNotifications.push(title) }
  }
  Object.defineProperty(window.Notification, 'permission', { get: () => localStorage.getItem('test.permission') ?? 'default' })
  window.Notification.requestPermission = async () => { window.permissionRequests++; localStorage.setItem('test.permission', 'granted'); return 'granted' }
  const start = OscillatorNode.prototype.start
  OscillatorNode.prototype.start = function (...args) { window.soundsPlayed++; return start.apply(this, args) }
  Object.defineProperty(Navigator.prototype, 'setAppBadge', { configurable: true, value: async (count) => { window.badgeCalls.push(['set', count]) } })
  Object.defineProperty(Navigator.prototype, 'clearAppBadge', { configurable: true, value: async () => { window.badgeCalls.push(['clear']) } })
})()`

describe('notifications', () => {
  const session = pairWithBrowser()
  const read = async <T>(expression: string): Promise<T> => await session.page.evaluate(expression) as T

  before(async () => {
    const { alice, browser, page } = session
    await browser.context.grantPermissions(['notifications'], { origin: alice.api.url })
    await browser.context.addInitScript(SPIES)
    await page.reload()
    await page.getByRole('heading', { name: /Hello/ }).waitFor()
  })

  it('asks once on first run: "Not now" is remembered, "Turn on" asks the browser', async () => {
    const { page } = session
    const prompt = page.getByRole('region', { name: 'Know when a colleague writes?' })
    await prompt.waitFor()
    await assertAccessibleInBothThemes(page, 'the notification prompt')
    await prompt.getByRole('button', { name: 'Not now' }).click()
    await prompt.waitFor({ state: 'detached' })
    await page.reload()
    await page.getByRole('heading', { name: /Hello/ }).waitFor()
    assert.equal(await prompt.count(), 0, 'not asked again after "Not now"')
    assert.equal(await read<number>('window.permissionRequests'), 0, 'the browser is never asked without a click')

    await page.evaluate(key => { localStorage.removeItem(key) }, NOT_NOW_KEY)
    await page.reload()
    await prompt.getByRole('button', { name: 'Turn on notifications' }).click()
    await prompt.waitFor({ state: 'detached' })
    assert.equal(await read<number>('window.permissionRequests'), 1)
  })

  it('sounds with a notification, never in focus, and not once the setting is off', async () => {
    const { alice, bruno, page } = session
    await bruno.node.send(alice.node.peerId, 'Lunch at noon?')
    await waitUntil(async () => (await read<string[]>('window.shownNotifications')).length === 1, 'a notification')
    await waitUntil(async () => await read<number>('window.soundsPlayed') === 1, 'its sound')

    await alice.node.setPresence({ status: 'focus', forMinutes: 60 })
    await page.getByRole('button', { name: /Your status: Focus/ }).waitFor()
    await bruno.node.send(alice.node.peerId, 'Held during focus')
    await page.getByRole('link', { name: /^Bruno Petit/ }).getByText('Held during focus').waitFor()
    await alice.node.setPresence({ status: 'available' })
    await waitUntil(async () => (await read<string[]>('window.shownNotifications')).length === 2, 'the summary after focus')
    await waitUntil(async () => await read<number>('window.soundsPlayed') === 2, 'the summary\'s sound')

    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page.getByRole('checkbox', { name: 'Play a sound with notifications' }).uncheck()
    await waitUntil(async () => !(await alice.node.settings()).notificationSound, 'the setting saved by the node')
    await bruno.node.send(alice.node.peerId, 'Quietly now')
    await waitUntil(async () => (await read<string[]>('window.shownNotifications')).length === 3, 'a third notification')
    assert.equal(await read<number>('window.soundsPlayed'), 2, 'no sound with the setting off')
    assert.deepEqual(await read<string[]>('window.shownNotifications'), ['Bruno Petit', '1 message during focus', 'Bruno Petit'])
  })

  it('shows the unread count on the app icon and clears it once read', async () => {
    const { alice, bruno, page } = session
    await bruno.node.send(alice.node.peerId, 'One more unread')
    await waitUntil(async () => (await alice.node.conversations()).some(c => c.lastMessage?.text === 'One more unread'), 'the message at Alice\'s')
    const unread = (await alice.node.conversations()).reduce((sum, c) => sum + c.unread, 0)
    await waitUntil(async () => (await read<unknown[][]>('window.badgeCalls')).at(-1)?.[1] === unread, `the badge at ${unread}`)
    await page.getByRole('link', { name: /^Bruno Petit.*One more/ }).click()
    await waitUntil(async () => (await read<unknown[][]>('window.badgeCalls')).at(-1)?.[0] === 'clear', 'the badge cleared')
  })

  it('a conversation read elsewhere (another tab, the CLI) is read here too', async () => {
    const { alice, bruno, page } = session
    await page.getByRole('link', { name: 'causette: home' }).click()
    await bruno.node.send(alice.node.peerId, 'Read in the other tab')
    await waitUntil(async () => (await read<unknown[][]>('window.badgeCalls')).at(-1)?.[1] === 1, 'the badge at 1')
    const conversation = (await alice.node.conversations()).find(c => c.peer === bruno.node.peerId)!
    await alice.node.markRead(conversation.id)
    await waitUntil(async () => (await read<unknown[][]>('window.badgeCalls')).at(-1)?.[0] === 'clear', 'the badge cleared by the node\'s word')
    assert.equal(await page.title(), 'causette')
  })
})
