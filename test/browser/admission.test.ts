// Joining over the network in the app, against real daemons in Debian's Chromium: Alice and Bruno
// talk before any workspace; Alice creates one in the app, is told her colleagues connected now
// stay so, and sees Bruno as wanting to join (his own Workspace page says Alice can admit him,
// where it offers to create a workspace); she clicks Admit, both pages show the same code, both
// confirm, and Bruno's page says he joined. axe-core scans each new panel in both themes.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { assertAccessible } from '../helpers/browser-axe.js'
import { screenshot } from '../helpers/browser.js'
import { startDaemonPair, waitUntil, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, type OpenApps } from '../helpers/browser-session.js'

describe('browser app: admitting a desk on the network with a code compared on both screens', () => {
  let alice: Daemon
  let bruno: Daemon
  let apps: OpenApps
  let a: Page
  let b: Page

  before(async () => {
    [alice, bruno] = await startDaemonPair()
    apps = await openApps([alice, bruno])
    ;[a, b] = apps.pages as [Page, Page]
  })

  after(async () => {
    await apps?.close()
    await alice?.close()
    await bruno?.close()
  })

  /** axe-core on the page as it is, in both themes. */
  async function scan (page: Page, screen: string): Promise<void> {
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme })
      await assertAccessible(page, `${screen} (${theme})`)
    }
    await page.emulateMedia({ colorScheme: 'light' })
  }

  const codeOn = async (page: Page): Promise<string> => (await page.locator('[data-code]').first().textContent())!.replace(/\s/g, '')

  it('Alice creates a workspace, admits Bruno with the code both pages show, and Bruno is in', async () => {
    await a.evaluate('location.hash = "#/workspace"')
    await a.getByText(/colleagues connected now stay connected/).waitFor()
    await a.getByRole('textbox', { name: 'Workspace name' }).fill('Acme office')
    await a.getByRole('button', { name: 'Create workspace' }).click()
    await a.getByText(/^1 of 1 desks on \d+\.\d+\.\d+/).waitFor() // the updates' desks are the new workspace's, not "0 of 0"

    const admit = a.getByRole('button', { name: 'Admit Bruno Petit' })
    await admit.waitFor()
    await a.getByText(/Bruno Petit.*wants to join Acme office/).waitFor()
    await b.getByText(/Ask Alice Martin to admit you to Acme office/).waitFor()
    // His Workspace page says so where it offers to create one: that would be a second workspace.
    await b.evaluate('location.hash = "#/workspace"')
    await b.getByRole('note').filter({ hasText: 'Alice Martin can admit this computer to Acme office' }).waitFor()
    await scan(a, 'a desk wanting to join, to the admin')
    await scan(b, 'the newcomer asked to see an admin')

    // Bruno says the codes differ: both screens say so in a sentence, his focus on what his line says now.
    await admit.click()
    await b.getByRole('button', { name: 'They differ' }).focus()
    await b.keyboard.press('Enter')
    const asked = b.getByText(/^Ask Alice Martin to admit you to Acme office\./)
    await asked.getByText('Cancelled: you said the codes did not match.', { exact: true }).waitFor()
    assert.equal(await asked.evaluate(line => line === document.activeElement), true, 'the focus goes to what the line says now, not to the page')
    await a.getByText('Cancelled: Bruno Petit said the codes did not match.', { exact: true }).waitFor()

    // With the keyboard: the focus goes from Admit to the code to read aloud, then the buttons.
    await admit.focus()
    await a.keyboard.press('Enter')
    const toRead = a.getByText(/Read this code aloud with Bruno Petit/)
    await toRead.waitFor()
    assert.equal(await toRead.evaluate(line => line === document.activeElement), true, 'Admit gave way to the code, and the focus with it')
    await b.getByText(/Alice Martin is admitting you to Acme office/).waitFor()
    const [shownToAlice, shownToBruno] = [await codeOn(a), await codeOn(b)]
    assert.match(shownToAlice, /^[0-9]{6}$/)
    assert.equal(shownToBruno, shownToAlice)
    await scan(a, 'the code to compare, admin')
    await scan(b, 'the code to compare, newcomer')
    await screenshot(a, 'admission-admin-code')
    await screenshot(b, 'admission-newcomer-code')

    await b.getByRole('button', { name: 'The codes match' }).click()
    await b.getByText(/you join Acme office as soon as Alice Martin confirms it too/).waitFor()
    await a.getByRole('button', { name: 'The codes match' }).click()
    await b.getByText('You joined Acme office.').waitFor()
    assert.equal(await b.getByRole('status').filter({ hasText: 'You joined Acme office.' }).evaluate(line => getComputedStyle(line).marginTop), '0px', 'no paragraph margins of its own: as tall as the other lines')
    await scan(b, 'joined')
    await waitUntil(async () => (await alice.node.workspaceView())?.members.some(m => m.peerId === bruno.node.peerId) === true, 'Bruno a member')
    await a.getByRole('button', { name: 'Admit Bruno Petit' }).waitFor({ state: 'detached' })
    // Admitted over the connection he asked on: the Updates panel counts his desk and has heard his version.
    await a.getByTestId('update-summary').getByText(/^2 of 2 desks on \d+\.\d+\.\d+/).waitFor()
    await a.getByRole('listitem').filter({ hasText: /^Bruno Petit: \d+\.\d+\.\d+$/ }).waitFor()
    // They still talk: the connection made before the workspace was kept.
    const sent = await bruno.node.send(alice.node.peerId, 'in the workspace now')
    await waitUntil(async () => (await alice.node.messages({ with: bruno.node.peerId, limit: 20 })).some(m => m.id === sent.id), 'Alice receives Bruno')
  })
})
