// The join screen when the computer that made an invite cannot be reached, against a real daemon in
// Debian's Chromium: a code whose computer runs no causette says so at once, with what to do and the
// node's own words (address, error code); one whose computer takes the connection and never answers
// (as an inviting node busy admitting a whole office may) shows that it is connected and waiting for
// the inviter's answer (the node's join-reach event), and Cancel stops it; the workspace page's join
// form words a failure the same way, and a missing code as one problem, gone once another shows. axe scans in both themes,
// screenshots in test-artifacts/.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import type { Page } from 'playwright-core'
import { encodeInviteCode } from '../../core/workspace/invite-code.js'
import { launchProfile, screenshot, type BrowserProfile } from '../helpers/browser.js'
import { assertAccessibleInBothThemes } from '../helpers/browser-axe.js'
import { buildUiOnce, startDaemon, type Daemon } from '../helpers/browser-daemons.js'
import { freePort } from '../helpers/free-port.js'

/** An invite code naming this loopback port: its token is random, as nothing gets far enough to check it. */
const codeFor = (port: number): string => encodeInviteCode({ token: randomBytes(16), address: multiaddr(`/ip4/127.0.0.1/tcp/${port}`) })

describe('browser app: joining when the inviting computer cannot be reached', () => {
  let bruno: Daemon
  let browser: BrowserProfile
  let page: Page
  // Takes every connection and never answers: the node waits for it as for a busy inviter.
  const holder = createServer()
  const held = new Set<Socket>()
  holder.on('connection', socket => { held.add(socket) })

  before(async () => {
    const uiDir = await buildUiOnce()
    bruno = await startDaemon({ name: 'Bruno Petit', uiDir })
    browser = await launchProfile()
    page = await browser.context.newPage()
    await page.goto(bruno.appLink)
    await new Promise<void>(resolve => holder.listen(0, '127.0.0.1', resolve))
  })

  after(async () => {
    for (const socket of held) socket.destroy()
    await new Promise(resolve => holder.close(resolve))
    await browser?.close()
    await bruno?.close()
  })

  it('a code whose computer runs no causette: the join screen says so, what to do, and the details', async () => {
    const port = await freePort()
    await page.goto(`${bruno.api.url}/#/join/${codeFor(port)}`)
    const alert = page.getByRole('alert')
    await alert.getByText('The computer that made this invite answered, but causette is not running there.').waitFor()
    const said = await alert.innerText()
    assert.match(said, /What to do:[\s\S]*Ask the colleague who invited you to open causette on that computer, and to keep it open until you have joined/)
    assert.match(said, new RegExp(`Details: the computer at 127\\.0\\.0\\.1:${port} refused the connection: causette is not running there[\\s\\S]*\\(JOIN_NOT_RUNNING\\)`))
    await page.getByRole('button', { name: 'Try again' }).waitFor()
    await assertAccessibleInBothThemes(page, 'the join screen, causette not running at the code\'s address')
    await screenshot(page, 'join-not-running')
  })

  it('a computer that takes the connection and does not answer: the screen shows it is still trying, and Cancel stops it', async () => {
    const port = (holder.address() as AddressInfo).port
    await page.goto(`${bruno.api.url}/#/join/${codeFor(port)}`)
    await page.getByRole('status').getByText('Asking the computer that made this invite…').waitFor()
    await page.getByRole('progressbar', { name: 'Asking the computer that made this invite' }).waitFor()
    // The node tells the app the computer accepted the connection: the wait says so, not "may be busy" by the clock.
    await page.getByRole('status').getByText('Asking the computer that made this invite… Connected to that computer, waiting for its answer.').waitFor()
    assert.match(await page.getByRole('progressbar').getAttribute('aria-valuetext') ?? '', /^connected, waiting for the inviter's answer, \d+ seconds so far$/)
    await assertAccessibleInBothThemes(page, 'the join screen while it asks')
    await screenshot(page, 'join-asking')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.getByRole('status').getByText('Stopped asking the computer that made this invite.').waitFor()
    assert.equal(await page.getByRole('progressbar').count(), 0, 'no longer shown as trying')
    assert.equal(await page.getByRole('alert').count(), 0, 'a cancel is no failure')
    await page.getByRole('button', { name: 'Try again' }).waitFor()
  })

  it('the workspace page\'s join form words the failure the same way', async () => {
    const port = await freePort()
    await page.goto(`${bruno.api.url}/#/workspace`)
    await page.getByRole('button', { name: 'Join workspace' }).click()
    await page.getByRole('alert').getByText('Type or paste the invite code (or link) an admin gave you.').waitFor()
    await page.getByRole('textbox', { name: 'Invite code' }).fill(codeFor(port))
    await page.getByRole('button', { name: 'Join workspace' }).click()
    const alert = page.getByRole('alert')
    await alert.getByText('The computer that made this invite answered, but causette is not running there.').waitFor()
    assert.match(await alert.innerText(), /\(JOIN_NOT_RUNNING\)/)
    assert.equal(await page.getByRole('alert').count(), 1, 'one problem shown: the missing code\'s words went')
    assert.equal(await page.getByRole('textbox', { name: 'Invite code' }).getAttribute('aria-describedby'), 'join-error')
    await assertAccessibleInBothThemes(page, 'the workspace page, causette not running at the code\'s address')
  })
})
