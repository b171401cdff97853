// The Updates panel against real daemons, in Debian's Chromium: what runs where, an admin picking a
// release file (a bad one refused in words, then a good one accepted), the colleague's desk fetching
// and handing it over, and the pause seen on the colleague's screen; a member gets no picker.
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { launchProfile, screenshot, type BrowserProfile } from '../helpers/browser.js'
import { assertAccessibleInBothThemes } from '../helpers/browser-axe.js'
import { contrastFailures } from '../helpers/browser-contrast.js'
import { startWorkspaceDaemons, type Daemon } from '../helpers/browser-daemons.js'
import { makeRelease, testReleaseKey, type TestRelease } from '../helpers/release.js'

describe('browser app: the Updates panel, two daemons', () => {
  let root: string
  let release: TestRelease
  let alice: Daemon
  let bruno: Daemon
  let aliceBrowser: BrowserProfile
  let brunoBrowser: BrowserProfile
  let a: Page
  let b: Page
  const installed: string[] = []

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'causette-browser-update-'))
    release = await makeRelease(join(root, 'r'), { version: '0.2.0', targets: ['linux-x64', 'win-x64'] })
    ;[alice, bruno] = await startWorkspaceDaemons(['Alice Martin', 'Bruno Petit'], name => ({
      update: { releaseKey: testReleaseKey().verifierKey, version: '0.1.0', target: 'linux-x64', installer: { description: 'test', install: async () => { installed.push(name) } } }
    })) as [Daemon, Daemon]
    aliceBrowser = await launchProfile()
    brunoBrowser = await launchProfile()
    a = await aliceBrowser.context.newPage()
    b = await brunoBrowser.context.newPage()
  })

  after(async () => {
    await aliceBrowser?.close()
    await brunoBrowser?.close()
    await alice?.close()
    await bruno?.close()
    if (root !== undefined) await rm(root, { recursive: true, force: true })
  })

  async function openWorkspace (page: Page, daemon: Daemon): Promise<void> {
    await page.goto(daemon.appLink)
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Workspace' }).click()
    await page.getByRole('heading', { name: 'Updates', level: 2 }).waitFor()
  }

  it('says what runs where; the member has no file picker', async () => {
    await openWorkspace(a, alice)
    await openWorkspace(b, bruno)
    await a.getByTestId('update-summary').getByText('2 of 2 desks on 0.1.0').waitFor()
    assert.equal(await b.getByLabel('Give this computer a new release').count(), 0)
    assert.deepEqual(await contrastFailures(a), [])
    await assertAccessibleInBothThemes(a, 'the update panel (admin)')
    await assertAccessibleInBothThemes(b, 'the update panel (member)')
  })

  it('refuses a tampered file in words, then accepts the release; the colleague fetches it', async () => {
    const bytes = await readFile(release.bundle)
    bytes[bytes.length - 10]! ^= 1
    const tampered = join(root, 'tampered.causette-release')
    await writeFile(tampered, bytes)
    await a.getByLabel('Give this computer a new release').setInputFiles(tampered)
    await a.getByRole('alert').getByText('This release file was changed after it was signed').waitFor()
    await assertAccessibleInBothThemes(a, 'the update panel refusing a file')

    await a.getByLabel('Give this computer a new release').setInputFiles(release.bundle)
    await a.getByText('Release 0.2.0 accepted').waitFor()
    await a.getByText('Release 0.2.0 is ready: it installs at a quiet moment.').waitFor()
    await b.getByText('Release 0.2.0 is ready: it installs at a quiet moment.').waitFor({ timeout: 60_000 })
    assert.ok(installed.includes('Bruno Petit'))
    await screenshot(a, 'update-applied')
  })

  it("pausing shows on the colleague's screen", async () => {
    await a.getByRole('button', { name: 'Pause updates' }).click()
    await b.getByText('Updates are paused for the workspace by Alice Martin.').waitFor({ timeout: 30_000 })
    await assertAccessibleInBothThemes(b, 'the update panel, paused (member)')
    await a.getByRole('button', { name: 'Resume updates' }).click()
    await b.getByText('Updates are paused').waitFor({ state: 'detached', timeout: 30_000 })
  })
})
