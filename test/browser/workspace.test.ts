// The workspace screen against real daemons, in Debian's Chromium: Alice creates a workspace in
// the app and invites; Bruno opens the invite link in his browser, which shows his app's join
// screen (who invited him to what), and joins in one click while his node runs; Alice sees him as a
// connected member and the invite used, revokes another, which Carol's join screen then refuses;
// he renames himself, and her invites and Updates panel name him anew at once; she changes his role
// and removes him; a used code is refused in words. Phone width and dark theme, axe scans of the
// new screens in both themes, screenshots in test-artifacts/.
//
// Bruno's node is not given Alice's address (--peer): the invite code carries it. (A node outside
// the workspace that has the admin as a static peer redials it in bursts, each connection closed by
// the admin's gater, and the admin's per-address rate limit then refuses the join's own connection.)
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { launchProfile, overflowingElements, screenshot, type BrowserProfile } from '../helpers/browser.js'
import { contrastFailures } from '../helpers/browser-contrast.js'
import { assertAccessible } from '../helpers/browser-axe.js'
import { buildUiOnce, startDaemon, type Daemon } from '../helpers/browser-daemons.js'

describe('browser app: the workspace screen, two daemons', () => {
  let alice: Daemon
  let bruno: Daemon
  let aliceBrowser: BrowserProfile
  let brunoBrowser: BrowserProfile
  let a: Page
  let b: Page
  let code: string

  before(async () => {
    const uiDir = await buildUiOnce()
    alice = await startDaemon({ name: 'Alice Martin', uiDir })
    bruno = await startDaemon({ name: 'Bruno Petit', uiDir })
    aliceBrowser = await launchProfile()
    brunoBrowser = await launchProfile()
    a = await aliceBrowser.context.newPage()
    b = await brunoBrowser.context.newPage()
    await aliceBrowser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: alice.api.url })
  })

  after(async () => {
    await aliceBrowser?.close()
    await brunoBrowser?.close()
    await alice?.close()
    await bruno?.close()
  })

  const member = (page: Page, peerId: string) => page.locator(`li[data-peer="${peerId}"]`)

  it('without a workspace, the home screen leads to the workspace screen, which says what one does', async () => {
    await a.goto(alice.appLink)
    // The sidebar's empty Channels section leads there too.
    const sidebar = a.getByRole('navigation', { name: 'Conversations and people' })
    assert.equal(await sidebar.getByRole('link', { name: 'create or join one' }).getAttribute('href'), '#/workspace')
    await a.getByRole('link', { name: 'Create or join a workspace' }).click()
    await a.getByRole('heading', { name: 'Workspace', level: 1 }).waitFor()
    assert.equal(await a.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Workspace' }).getAttribute('aria-current'), 'page')
    await a.getByText(/only colleagues invited by one of its admins can connect to you/).waitFor()
    await a.getByRole('textbox', { name: 'Invite code' }).waitFor()
    assert.deepEqual(await contrastFailures(a), [])
    await screenshot(a, 'workspace-none')
  })

  it('creates a workspace from the keyboard: Alice is its admin', async () => {
    const name = a.getByRole('textbox', { name: 'Workspace name' })
    await name.fill('Acme office')
    await name.press('Enter')
    await a.getByRole('heading', { name: 'Acme office', level: 1 }).waitFor()
    const self = member(a, alice.node.peerId)
    assert.match(await self.innerText(), /Alice Martin \(you\)[\s\S]*This computer[\s\S]*Admin/)
    assert.deepEqual((await alice.node.workspaceView())?.members.map(m => [m.name, m.role]), [['Alice Martin', 'admin']])
  })

  it('invites a colleague: a single-use link, a 40-character code and the command line', async () => {
    await a.getByRole('combobox', { name: 'Role' }).selectOption('member')
    await a.getByRole('combobox', { name: 'Code expires after' }).selectOption({ label: '7 days' })
    await a.getByRole('button', { name: 'Create invite code' }).click()
    const text = a.getByRole('textbox', { name: 'Invite code' })
    await text.waitFor()
    code = await text.inputValue()
    assert.match(code, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){7}$/)
    assert.equal(await a.getByRole('textbox', { name: 'Invite link' }).inputValue(), `http://127.0.0.1:7421/#/join/${code}`)
    assert.equal(await a.getByRole('img').count(), 0, 'no QR code')
    assert.ok(await a.getByText(`causette workspace join ${code}`).isVisible())
    await a.getByRole('button', { name: 'Copy code' }).click()
    await a.getByRole('status').getByText('Code copied').waitFor()
    assert.equal(await a.evaluate(async () => await navigator.clipboard.readText()), code)
    assert.deepEqual(await contrastFailures(a), [])
    await screenshot(a, 'workspace-invite')
  })

  it('Bruno opens the link: his app\'s join screen says who invited him to what; one click joins', async () => {
    // The link names port 7421, each user's default; this test's nodes listen elsewhere: the same
    // path on Bruno's own node, as a user whose node runs on another port would change the port.
    await b.goto(bruno.appLink)
    await b.goto(`${bruno.api.url}/#/join/${code}`)
    await b.getByRole('heading', { name: 'Join Acme office', level: 1 }).waitFor()
    assert.match(await b.locator('article.join').innerText(), /Alice Martin invited you to the workspace Acme office as a member[\s\S]*Colleagues will see you as Bruno Petit/)
    for (const theme of ['light', 'dark'] as const) {
      await b.emulateMedia({ colorScheme: theme })
      await assertAccessible(b, `the join screen (${theme})`)
    }
    await b.emulateMedia({ colorScheme: 'light' })
    await screenshot(b, 'workspace-join-screen')
    await b.getByRole('button', { name: 'Join Acme office' }).click()
    await b.getByRole('heading', { name: 'Acme office', level: 1 }).waitFor()
    assert.match(await member(b, bruno.node.peerId).innerText(), /Bruno Petit \(you\)[\s\S]*Member/)
    assert.match(await member(b, alice.node.peerId).innerText(), /Alice Martin[\s\S]*Admin/)
    await member(b, alice.node.peerId).getByText('Connected').waitFor()
    await b.getByRole('button', { name: 'Alice Martin', exact: true }).waitFor()
    assert.equal(await b.getByRole('button', { name: 'Create invite code' }).count(), 0, 'a member cannot invite')
    await screenshot(b, 'workspace-joined-member')
  })

  it('Alice sees Bruno as a connected member', async () => {
    const bobRow = member(a, bruno.node.peerId)
    await bobRow.getByText('Connected').waitFor()
    assert.match(await bobRow.innerText(), /Bruno Petit/)
    assert.equal(await a.getByRole('combobox', { name: 'Role of Bruno Petit' }).inputValue(), 'member')
    await a.getByRole('status').filter({ hasText: 'Bruno Petit joined with this invite. Create another code for the next colleague.' }).waitFor()
    assert.equal(await a.getByRole('textbox', { name: 'Invite code' }).count(), 0, 'the used code is not shown to be handed out again')
    await screenshot(a, 'workspace-members')
  })

  it('lists the invites, revokes an open one, and the join screen of its link says it was revoked', async () => {
    const invites = a.getByRole('region', { name: 'Invites' })
    await invites.getByText('Used by Bruno Petit').waitFor()
    await a.getByRole('button', { name: 'Create invite code' }).click()
    await waitFor(async () => await a.getByRole('textbox', { name: 'Invite code' }).inputValue() !== code)
    const revokedCode = await a.getByRole('textbox', { name: 'Invite code' }).inputValue()
    const open = invites.locator('li[data-status="open"]')
    await open.waitFor()
    for (const theme of ['light', 'dark'] as const) {
      await a.emulateMedia({ colorScheme: theme })
      await assertAccessible(a, `the workspace page with invites (${theme})`)
    }
    await a.emulateMedia({ colorScheme: 'light' })
    await open.getByRole('button', { name: /^Revoke/ }).focus()
    await a.keyboard.press('Enter')
    const revoked = invites.getByText('Revoked by Alice Martin')
    await revoked.waitFor()
    assert.equal(await revoked.evaluate(state => state === document.activeElement), true, 'the keyboard\'s focus goes to what the invite says now, not to the page')
    // The card above no longer offers the revoked code as if it could still be handed out.
    await a.getByRole('status').filter({ hasText: 'This invite was revoked: its code no longer works. Create another code for the next colleague.' }).waitFor()
    assert.equal(await a.getByRole('textbox', { name: 'Invite code' }).count(), 0)
    await screenshot(a, 'workspace-invites')

    const carol = await startDaemon({ name: 'Carol Roy', uiDir: await buildUiOnce() })
    try {
      // Carol opens the link before her browser has her node's key: the page asks for the node's
      // link, and once she opens it the join screen comes back with the code.
      const c = await brunoBrowser.context.newPage()
      await c.goto(`${carol.api.url}/#/join/${revokedCode}`)
      await c.getByRole('heading', { name: "Open causette from your node's link", level: 1 }).waitFor()
      await c.goto(carol.appLink)
      await c.getByRole('alert').getByText('This invite code was revoked by an admin. Ask an admin for a new one.').waitFor()
      assert.match(c.url(), new RegExp(`#/join/${revokedCode}$`))
      await screenshot(c, 'workspace-join-revoked')
      await c.close()
    } finally {
      await carol.close()
    }
  })

  it('refuses the used code in words on a third computer', async () => {
    const carol = await startDaemon({ name: 'Carol Roy', uiDir: await buildUiOnce() })
    try {
      const c = await brunoBrowser.context.newPage()
      await c.goto(carol.appLink)
      await c.getByRole('link', { name: 'Create or join a workspace' }).click()
      await c.getByRole('textbox', { name: 'Invite code' }).fill(code)
      await c.getByRole('button', { name: 'Join workspace' }).click()
      await c.getByRole('alert').getByText('This invite code was already used. Ask an admin for a new one.').waitFor()
      await c.getByRole('textbox', { name: 'Invite code' }).fill(code.slice(0, -1) + (code.endsWith('0') ? '1' : '0'))
      await c.getByRole('button', { name: 'Join workspace' }).click()
      await c.getByRole('alert').getByText(/not a valid invite code: check each character/).waitFor()
      await screenshot(c, 'workspace-join-refused')
      await c.close()
    } finally {
      await carol.close()
    }
  })

  it('names a colleague who renames themselves anew in the invites and the updates, without a reload', async () => {
    const rename = async (page: Page, from: string, to: string): Promise<void> => {
      await page.getByRole('button', { name: `Your display name: ${from}` }).click()
      const field = page.getByRole('textbox', { name: 'Display name' })
      await field.fill(to)
      await field.press('Enter')
      await page.getByRole('button', { name: `Your display name: ${to}` }).waitFor()
    }
    const invites = a.getByRole('region', { name: 'Invites' })
    const desks = a.getByRole('region', { name: 'Updates' }).locator('.desks')
    await desks.getByText(/^Bruno Petit: /).waitFor()
    await rename(b, 'Bruno Petit', 'Bruno P.')
    await member(a, bruno.node.peerId).getByText('Bruno P.', { exact: true }).waitFor()
    await invites.getByText('Used by Bruno P.').waitFor()
    await desks.getByText(/^Bruno P\.: /).waitFor()
    await rename(b, 'Bruno P.', 'Bruno Petit')
    await invites.getByText('Used by Bruno Petit').waitFor()
  })

  it('changes a role, and removes a member after a confirmation that Escape cancels', async () => {
    const role = a.getByRole('combobox', { name: 'Role of Bruno Petit' })
    await role.selectOption('admin')
    await waitFor(async () => (await alice.node.workspaceView())?.members.find(m => m.name === 'Bruno Petit')?.role === 'admin')
    await role.selectOption('member')
    await waitFor(async () => (await alice.node.workspaceView())?.members.find(m => m.name === 'Bruno Petit')?.role === 'member')

    await a.getByRole('button', { name: 'Remove Bruno Petit' }).click()
    const dialog = a.getByRole('dialog', { name: 'Remove Bruno Petit?' })
    await dialog.waitFor()
    await screenshot(a, 'workspace-remove-confirm')
    await a.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    assert.equal((await alice.node.workspaceView())?.members.length, 2, 'Escape removed no one')

    await a.getByRole('button', { name: 'Remove Bruno Petit' }).click()
    await dialog.getByRole('button', { name: 'Remove Bruno Petit' }).click()
    await member(a, bruno.node.peerId).waitFor({ state: 'detached' })
    assert.deepEqual((await alice.node.workspaceView())?.members.map(m => m.name), ['Alice Martin'])
    // The Updates panel's desks are the members: Bruno's goes with him.
    await a.getByTestId('update-summary').getByText(/^1 of 1 desks on /).waitFor()
    await b.getByRole('alert').getByText(/This computer was removed from Acme office/).waitFor()
    await screenshot(b, 'workspace-removed')
  })

  it('fits a 360 px phone screen, in the dark theme too', async () => {
    await a.setViewportSize({ width: 360, height: 740 })
    await a.emulateMedia({ colorScheme: 'dark' })
    await a.getByRole('button', { name: 'Create invite code' }).click()
    await a.getByRole('textbox', { name: 'Invite link' }).waitFor()
    assert.deepEqual(await overflowingElements(a), [])
    const code = a.getByRole('textbox', { name: 'Invite code' })
    assert.equal(await code.evaluate(box => box.scrollWidth <= box.clientWidth && box.scrollHeight <= box.clientHeight), true, 'the code to read out is seen whole, not cut at the edge')
    assert.deepEqual(await contrastFailures(a), [])
    await screenshot(a, 'workspace-phone-dark')
    await a.getByRole('textbox', { name: 'Invite link' }).scrollIntoViewIfNeeded()
    await screenshot(a, 'workspace-phone-dark-invite')
    await a.emulateMedia({ colorScheme: 'light' })
    assert.deepEqual(await contrastFailures(a), [])
    await screenshot(a, 'workspace-phone-light')
  })
})

async function waitFor (check: () => Promise<boolean>): Promise<void> {
  while (!await check()) await new Promise(resolve => setTimeout(resolve, 50))
}
