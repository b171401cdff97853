// First run and Settings (issue 14 item 2): a new profile asks for the name colleagues will see
// before anything else (the OS account's is only a suggestion, shown), and the Settings page in the
// main navigation changes the name, turns read receipts off, shows the journal key an export
// verifies with and turns start at login on and off (also from the home page's note); every section
// is reached with the keyboard and labelled. Notifications the browser blocks are explained where
// they were asked for, with how to allow them.
import assert from 'node:assert/strict'
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { NOT_PACKAGED_WORDS } from '../../core/api/autostart-words.js'
import type { RunCommand } from '../../core/desk/run-command.js'
import type { ThisDesk } from '../../core/desk/start-at-login.js'
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

/** A 300×300 PNG drawn by the page's canvas. */
async function canvasPng (page: Page): Promise<Buffer> {
  const data = await page.evaluate(() => {
    const canvas = document.createElement('canvas')
    canvas.width = canvas.height = 300
    const context = canvas.getContext('2d')!
    context.fillStyle = '#c33'
    context.fillRect(0, 0, 300, 300)
    return canvas.toDataURL('image/png').split(',')[1]!
  })
  return Buffer.from(data, 'base64')
}

/** Resolves once the app's event socket has brought it a status with a photo (the app then takes that status). */
async function statusEventWithPhoto (page: Page): Promise<void> {
  await new Promise<void>(resolve => {
    page.on('websocket', socket => socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string' && payload.includes('"type":"status"') && payload.includes('"photo":true')) resolve()
    }))
  })
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
    const statusWithPhoto = statusEventWithPhoto(page)
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
    // The photo's preview shows the initials of the name typed, as colleagues will see them.
    await page.locator('.name-step .avatar[data-initials="CD"]').waitFor()
    // A photo chosen after typing the name: the node's status comes back with it, and the name typed stays.
    await page.getByLabel('Choose a photo').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: await canvasPng(page) })
    await page.getByRole('button', { name: 'Remove the photo' }).waitFor()
    await statusWithPhoto
    await page.evaluate(async () => { await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve))) })
    assert.equal(await field.inputValue(), 'Chloé Durand', 'the name typed before the photo is still in the field')
    await field.press('Enter')
    await page.getByRole('heading', { name: 'Hello, Chloé Durand' }).waitFor()
    // Focus goes to the home page's heading, not to <body>: a screen reader says where the user is.
    await page.waitForFunction(() => document.activeElement?.textContent === 'Hello, Chloé Durand')
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

/**
 * A temporary desk for the Start at login switch: its own HOME and XDG folders, a downloaded program
 * to install, and a user manager that answers (XDG_RUNTIME_DIR/systemd/private) through a fake
 * systemctl that notes each command line.
 */
async function temporaryDesk (): Promise<{ desk: ThisDesk, folder: string, env: Record<string, string>, calls: string[] }> {
  const folder = await mkdtemp(join(tmpdir(), 'causette-desk-'))
  const env = { XDG_CONFIG_HOME: join(folder, 'config'), XDG_BIN_HOME: join(folder, 'bin'), XDG_DATA_HOME: join(folder, 'data'), XDG_RUNTIME_DIR: join(folder, 'run') }
  await mkdir(join(env.XDG_RUNTIME_DIR, 'systemd'), { recursive: true })
  await writeFile(join(env.XDG_RUNTIME_DIR, 'systemd', 'private'), '')
  const program = join(folder, 'Downloads', 'causette-linux-x64')
  await mkdir(dirname(program))
  await writeFile(program, '#!/bin/sh\n', { mode: 0o755 })
  const calls: string[] = []
  const run: RunCommand = async (file, args) => {
    calls.push([file, ...args].join(' '))
    return { code: 0, stdout: '', stderr: '' }
  }
  return { desk: { platform: 'linux', deskEnv: { home: folder, env }, program, run }, folder, env, calls }
}

/** How to allow notifications the browser blocks (ui/src/notifications/how-to-allow.ts), in short. */
const HOW_TO_ALLOW = /icon at the left of the address bar.*set Notifications to Allow/

describe('the Settings page', () => {
  let alice: Daemon, bruno: Daemon, browser: BrowserProfile, page: Page, brunoDesk: Awaited<ReturnType<typeof temporaryDesk>>

  before(async () => {
    const uiDir = await buildUiOnce()
    brunoDesk = await temporaryDesk()
    alice = await startDaemon({ name: 'Alice Martin', uiDir })
    // Bruno runs from a downloaded program: his app offers start at login (Alice's, from source, cannot).
    bruno = await startDaemon({ name: 'Bruno Petit', uiDir, peers: [alice.address], desk: brunoDesk.desk })
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
    if (brunoDesk !== undefined) await rm(brunoDesk.folder, { recursive: true, force: true })
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
    await page.getByRole('region', { name: 'Notifications' }).getByText(/Desktop notifications are (on|off)|blocked by this browser|cannot show/).waitFor()
    await page.getByRole('region', { name: 'Start at login' }).getByText(NOT_PACKAGED_WORDS, { exact: false }).waitFor()
    assert.equal(await page.getByRole('switch', { name: 'Start at login' }).count(), 0, 'no switch from a source checkout')
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

    // A switch the node refuses turns back and says why, rather than flipping back without a word.
    await page.route('**/api/v1/settings', route => route.request().method() === 'PATCH'
      ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'STORAGE_UNAVAILABLE', message: 'the disk is full' } }) })
      : route.fallback())
    try {
      await page.goto(`${alice.api.url}/#/settings`)
      await toggle.click()
      await page.getByRole('alert').filter({ hasText: 'Not changed: the disk is full' }).waitFor()
      assert.equal(await toggle.isChecked(), true, 'the switch shows what the node keeps')
    } finally {
      await page.unroute('**/api/v1/settings')
    }
  })

  it('turns start at login on from the home page and off in Settings, with no terminal; a step that fails says why', async () => {
    const { env, calls, desk } = brunoDesk
    const unit = join(env.XDG_CONFIG_HOME, 'systemd', 'user', 'causette.service')
    const menuEntry = join(env.XDG_DATA_HOME, 'applications', 'causette.desktop')
    const brunoPage = await browser.context.newPage()
    await brunoPage.goto(bruno.appLink)
    await brunoPage.getByRole('heading', { name: 'Hello, Bruno Petit' }).waitFor()
    const turnOn = brunoPage.getByRole('button', { name: 'Start causette when I log in' })
    await screenshot(brunoPage, 'home-start-at-login')

    // The programs folder cannot be made (a file is in its way): the app shows the node's reason.
    await writeFile(join(brunoDesk.folder, 'a-file'), '')
    env.XDG_BIN_HOME = join(brunoDesk.folder, 'a-file', 'bin')
    await turnOn.click()
    await brunoPage.getByRole('alert').getByText(/^Not changed: start at login could not be turned on: ENOTDIR: not a directory/).waitFor()
    env.XDG_BIN_HOME = join(brunoDesk.folder, 'bin')

    await turnOn.click()
    await brunoPage.getByText('Start at login: on. causette is in your applications menu.').waitFor()
    assert.equal(await brunoPage.getByRole('alert').count(), 0, 'the earlier failure is gone')
    assert.deepEqual(calls.splice(0), ['systemctl --user daemon-reload', 'systemctl --user enable causette.service'], 'registered for the next login: no second node now')
    assert.deepEqual(await readFile(join(env.XDG_BIN_HOME, 'causette')), await readFile(desk.program!), 'the program the node runs from, installed')
    assert.match(await readFile(menuEntry, 'utf8'), /^Exec=".*\/bin\/causette" "--home" /m)
    assert.equal((await bruno.node.status()).autostart.enabled, true)

    await brunoPage.goto(`${bruno.api.url}/#/settings`)
    const toggle = brunoPage.getByRole('switch', { name: 'Start at login' })
    assert.equal(await toggle.isChecked(), true)
    await brunoPage.getByText('It is in your applications menu: open the app from there.', { exact: false }).waitFor()
    assert.deepEqual(await contrastFailures(brunoPage), [])
    await brunoPage.getByRole('region', { name: 'Start at login' }).scrollIntoViewIfNeeded()
    await screenshot(brunoPage, 'settings-start-at-login')
    await toggle.click()
    await brunoPage.getByText('Off: causette runs only when you start it.', { exact: false }).waitFor()
    assert.equal(await toggle.isChecked(), false)
    assert.deepEqual(calls.splice(0), ['systemctl --user disable causette.service', 'systemctl --user daemon-reload'], 'the running node is not stopped')
    await assert.rejects(access(unit), { code: 'ENOENT' })
    await access(menuEntry) // the way back to the app stays; `causette uninstall` removes it
    await brunoPage.close()
  })

  it('notifications blocked by the browser: the prompt says so where they were asked for, and how to allow them; Settings too', async () => {
    // A profile of its own: this suite's grant of the clipboard denies every other permission. With
    // none, headless Chromium leaves notifications to be asked for, then answers "denied" without asking.
    await withFreshProfile(async freshPage => {
      await freshPage.getByRole('region', { name: 'Know when a colleague writes?' }).getByRole('button', { name: 'Turn on notifications' }).click()
      const blocked = freshPage.getByRole('region', { name: 'Notifications are blocked' })
      await blocked.getByRole('alert').getByText(HOW_TO_ALLOW).waitFor()
      await assertAccessibleInBothThemes(freshPage, 'notifications blocked, where they were asked for')
      await screenshot(freshPage, 'notifications-blocked')
      await blocked.getByRole('button', { name: 'OK' }).click()
      await blocked.waitFor({ state: 'detached' })
      await freshPage.getByRole('link', { name: 'Settings', exact: true }).click()
      await freshPage.getByRole('region', { name: 'Notifications' }).getByText(HOW_TO_ALLOW).waitFor()
    })
    // Asked for from Settings, the refusal is said there at once.
    await withFreshProfile(async freshPage => {
      await freshPage.getByRole('link', { name: 'Settings', exact: true }).click()
      const section = freshPage.getByRole('region', { name: 'Notifications' })
      await section.getByRole('button', { name: 'Turn on desktop notifications' }).click()
      await section.getByRole('alert').getByText(HOW_TO_ALLOW).waitFor()
    })
  })

  /** Runs `steps` on Alice's home page in a browser profile of its own, closed after. */
  async function withFreshProfile (steps: (freshPage: Page) => Promise<void>): Promise<void> {
    const fresh = await launchProfile()
    try {
      const freshPage = await fresh.context.newPage()
      await freshPage.goto(alice.appLink)
      await freshPage.getByRole('heading', { name: /^Hello/ }).waitFor()
      await steps(freshPage)
    } finally {
      await fresh.close()
    }
  }

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
