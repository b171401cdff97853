// First run and Settings (issue 14 item 2): a new profile asks for the name colleagues will see
// before anything else (the OS account's is only a suggestion, shown), and the Settings page in the
// main navigation changes the name, turns read receipts off, and shows the journal key an export
// verifies with; every section is reached with the keyboard and labelled.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { exportTextLines } from '../../crypto/log/export-format.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import { launchProfile, screenshot, type BrowserProfile } from '../helpers/browser.js'
import { assertAccessibleInBothThemes } from '../helpers/browser-axe.js'
import { contrastFailures } from '../helpers/browser-contrast.js'
import { buildUiOnce, startDaemon, waitUntil, type Daemon } from '../helpers/browser-daemons.js'

async function connected (from: Daemon, to: Daemon): Promise<void> {
  await waitUntil(async () => (await from.node.peers()).some(p => p.peerId === to.node.peerId && p.connected), `${from.name} to see ${to.name}`)
}

async function nameAt (daemon: Daemon, peerId: string): Promise<string | undefined> {
  return (await daemon.node.peers()).find(p => p.peerId === peerId)?.name
}

/** Presses Tab until the focused element matches `isTarget` (at most `limit` times). */
async function tabTo (page: Page, isTarget: string, limit = 40): Promise<void> {
  for (let tabs = 0; !(await page.evaluate(isTarget) as boolean); tabs++) {
    assert.ok(tabs < limit, `reachable with Tab: ${isTarget}`)
    await page.keyboard.press('Tab')
  }
}

describe('first run: the name step', () => {
  let newcomer: Daemon, keeper: Daemon, bruno: Daemon, browser: BrowserProfile

  before(async () => {
    const uiDir = await buildUiOnce()
    bruno = await startDaemon({ name: 'Bruno Petit', uiDir })
    newcomer = await startDaemon({ name: 'newcomer', uiDir, firstRun: true, peers: [bruno.address] })
    keeper = await startDaemon({ name: 'keeper', uiDir, firstRun: true, peers: [bruno.address] })
    await connected(bruno, newcomer)
    await connected(bruno, keeper)
    browser = await launchProfile()
  })
  after(async () => {
    await browser?.close()
    for (const daemon of [newcomer, keeper, bruno]) await daemon?.close()
  })

  it('asks a new profile for its name before anything else; the chosen name greets and colleagues see it', async () => {
    const suggestion = (await newcomer.node.status()).name
    const page = await browser.context.newPage()
    await page.goto(newcomer.appLink)
    await page.getByRole('heading', { name: 'Welcome to causette' }).waitFor()
    await page.getByText(`The suggestion, “${suggestion}”, is this computer's account name`).waitFor()
    const field = page.getByRole('textbox', { name: 'Your name' })
    assert.equal(await field.inputValue(), suggestion, 'the suggestion is shown in the field')
    assert.equal(await page.getByRole('navigation', { name: 'Conversations and people' }).count(), 0, 'nothing else before the name')
    await page.getByLabel('Choose a photo').waitFor() // optional, on the same step
    await screenshot(page, 'first-run-name')
    assert.deepEqual(await contrastFailures(page), [])
    await assertAccessibleInBothThemes(page, 'the name step (first run)')
    await field.fill('Chloé Durand')
    await field.press('Enter')
    await page.getByRole('heading', { name: 'Hello, Chloé Durand' }).waitFor()
    assert.equal((await newcomer.node.status()).nameChosen, true)
    await waitUntil(async () => await nameAt(bruno, newcomer.node.peerId) === 'Chloé Durand', 'Bruno to see the chosen name')
    await page.reload()
    await page.getByRole('heading', { name: 'Hello, Chloé Durand' }).waitFor()
    await page.close()
  })

  it('keeps the suggested name with one click, once it was shown', async () => {
    const suggestion = (await keeper.node.status()).name
    const page = await browser.context.newPage()
    await page.goto(keeper.appLink)
    await page.getByRole('textbox', { name: 'Your name' }).waitFor()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('heading', { name: `Hello, ${suggestion}` }).waitFor()
    assert.equal((await keeper.node.status()).nameChosen, true)
    await page.close()
  })
})

describe('the Settings page', () => {
  let alice: Daemon, bruno: Daemon, browser: BrowserProfile, page: Page

  before(async () => {
    const uiDir = await buildUiOnce()
    alice = await startDaemon({ name: 'Alice Martin', uiDir })
    bruno = await startDaemon({ name: 'Bruno Petit', uiDir, peers: [alice.address] })
    await connected(alice, bruno)
    await connected(bruno, alice)
    browser = await launchProfile()
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: alice.api.url })
    page = await browser.context.newPage()
    await page.goto(alice.appLink)
    await page.getByRole('heading', { name: 'Hello, Alice Martin' }).waitFor()
  })
  after(async () => {
    await browser?.close()
    await alice?.close()
    await bruno?.close()
  })

  it('is in the main navigation, reached with the keyboard, every section headed and labelled', async () => {
    await tabTo(page, "document.activeElement?.textContent === 'Settings' && document.activeElement.tagName === 'A'")
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
    for (const section of ['Your name', 'Photo', 'Notifications', 'Read receipts', 'Journal key', 'Start at login', 'Passphrase']) {
      await page.getByRole('heading', { level: 2, name: section }).waitFor()
    }
    for (const label of ['Display name', 'Send read receipts']) assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, `labelled: ${label}`)
    // What it says depends on the browser's permission (the notification tests grant it).
    await page.getByRole('region', { name: 'Notifications' }).getByText(/Desktop notifications are (on|off)|blocked for this site|cannot show/).waitFor()
    await page.getByText('Off: causette runs only when you start it.').waitFor()
    await page.getByText('causette install', { exact: true }).waitFor()
    await page.getByText('No passphrase:', { exact: false }).waitFor()
    await page.getByText('causette passphrase set', { exact: true }).waitFor()
    await screenshot(page, 'settings')
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      assert.deepEqual(await contrastFailures(page), [], `contrast, ${colorScheme} theme`)
    }
    await page.emulateMedia({ colorScheme: null })
  })

  it('takes a photo, made a small square in the browser and kept by the node; a file that is no picture is refused', async () => {
    // A large photo-like picture (noise does not compress), as a camera would give.
    const png = await page.evaluate(`(() => {
      const canvas = document.createElement('canvas')
      canvas.width = 1600; canvas.height = 1000
      const context = canvas.getContext('2d')
      const pixels = context.createImageData(1600, 1000)
      for (let i = 0; i < pixels.data.length; i++) pixels.data[i] = (i * 2654435761) % 251
      context.putImageData(pixels, 0, 0)
      return canvas.toDataURL('image/png').split(',')[1]
    })()`) as string
    const picker = page.getByLabel('Choose a photo')
    await picker.setInputFiles({ name: 'holiday.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') })
    await page.getByRole('button', { name: 'Remove the photo' }).waitFor()
    const stored = (await alice.node.photo())!
    assert.equal(stored.type, 'image/webp')
    assert.ok(Buffer.from(stored.data, 'base64').length <= 64 * 1024)
    const side = await page.evaluate(`createImageBitmap(new Blob([Uint8Array.from(atob(${JSON.stringify(stored.data)}), c => c.charCodeAt(0))])).then(b => [b.width, b.height])`)
    assert.deepEqual(side, [256, 256])
    await page.getByRole('banner').locator('img.photo').waitFor()
    await screenshot(page, 'settings-photo')

    await page.getByLabel('Change the photo').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') })
    await page.getByRole('alert').filter({ hasText: 'not a picture this browser can read' }).waitFor()
    assert.deepEqual(await alice.node.photo(), stored, 'the photo held before is kept')
    await page.getByRole('button', { name: 'Remove the photo' }).click()
    await page.getByLabel('Choose a photo').waitFor()
    assert.equal(await alice.node.photo(), null)
  })

  it('changes the name; colleagues see it', async () => {
    const field = page.getByRole('textbox', { name: 'Display name' })
    await field.focus()
    await field.fill('Alice M.')
    await field.press('Enter')
    await page.getByRole('status').filter({ hasText: 'Saved: colleagues now see “Alice M.”' }).waitFor()
    assert.equal((await alice.node.status()).name, 'Alice M.')
    await waitUntil(async () => await nameAt(bruno, alice.node.peerId) === 'Alice M.', 'Bruno to see the new name')
  })

  it('read receipts off: a message read meanwhile stays delivered at the sender', async () => {
    const toggle = page.getByRole('checkbox', { name: 'Send read receipts' })
    await toggle.focus()
    await page.keyboard.press('Space')
    await waitUntil(async () => !(await alice.node.settings()).readReceipts, 'read receipts off at the node')
    const unseen = await bruno.node.send(alice.node.peerId, 'read without telling')
    await page.goto(`${alice.api.url}/#/chat/${encodeURIComponent(bruno.node.peerId)}`)
    await page.locator('[data-message-id]', { hasText: 'read without telling' }).waitFor()
    await waitUntil(async () => (await alice.node.conversations()).every(c => c.unread === 0), 'Alice to have read it')

    await page.goto(`${alice.api.url}/#/settings`)
    await toggle.check()
    await waitUntil(async () => (await alice.node.settings()).readReceipts, 'read receipts on again')
    const seen = await bruno.node.send(alice.node.peerId, 'read and told')
    await page.goto(`${alice.api.url}/#/chat/${encodeURIComponent(bruno.node.peerId)}`)
    await page.locator('[data-message-id]', { hasText: 'read and told' }).waitFor()
    const stateAtBruno = async (id: string): Promise<string | undefined> => (await bruno.node.messages({ with: alice.node.peerId, limit: 10 })).find(m => m.id === id)?.state
    await waitUntil(async () => await stateAtBruno(seen.id) === 'read', 'the read receipt of the second message')
    // Receipts travel in order on one session: the first message's would have arrived before.
    assert.equal(await stateAtBruno(unseen.id), 'delivered')
  })

  it('shows the journal key an export verifies with, and copies it', async () => {
    await page.goto(`${alice.api.url}/#/settings`)
    const shown = (await page.getByTestId('journal-key').innerText()).trim()
    assert.equal(shown, (await alice.node.status()).journalKey)
    // What `causette log export` fetches: the API's export of the whole journal.
    const exported = await fetch(`${alice.api.url}/api/v1/journal/export`, { headers: { authorization: `Bearer ${alice.api.token}` } })
    assert.equal(exported.status, 200)
    const lines = exportTextLines(await exported.text())
    const report = await verifyExport(lines, nodeLogPrimitives, { trustedKey: shown })
    assert.equal(report.keyPinned, true)
    assert.equal(report.key, shown)
    await page.getByRole('button', { name: 'Copy the journal key' }).click()
    await page.getByRole('status').filter({ hasText: 'Copied.' }).waitFor()
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), shown)
  })
})
