// Two everyday faults (issue 14): reopening the status picker to edit the text of a timed focus
// kept the text but made the focus permanent ("Until" was back at "No end"); and with the node
// stopped, sending said "Not sent: Failed to fetch" while People still showed everyone Connected.
// Then a node that starts locked (a passphrase and nobody at a terminal): the app unlocks it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runCli } from '../../core/cli/run.js'
import { pairWithBrowser } from '../helpers/browser-session.js'
import { waitUntil } from '../helpers/browser-daemons.js'
import { assertAccessible } from '../helpers/browser-axe.js'
import { setPassphrase } from '../../core/profile/passphrase.js'

const PASSPHRASE = 'correct horse battery staple'

describe('status picker and a stopped node', () => {
  const session = pairWithBrowser()

  it('keeps the end of a timed status when only its text is edited', async () => {
    const { alice, page } = session
    await page.getByRole('button', { name: /Your status: Available/ }).click()
    const dialog = page.getByRole('dialog', { name: 'Set your status' })
    await dialog.getByRole('radio', { name: 'Focus' }).check()
    await dialog.getByRole('combobox', { name: 'Until' }).selectOption({ label: '1 hour' })
    await dialog.getByRole('button', { name: 'Set status' }).click()
    await page.getByRole('button', { name: /Your status: Focus until/ }).waitFor()
    const until = (await alice.node.presence()).until
    assert.notEqual(until, null)

    await page.getByRole('button', { name: /Your status: Focus until/ }).click()
    await dialog.getByRole('textbox', { name: 'Status message' }).fill('Quarterly report')
    await dialog.getByRole('button', { name: 'Set status' }).click()
    await waitUntil(async () => (await alice.node.presence()).text === 'Quarterly report', 'the new status text')
    // What the node holds (and the CLI's `status` shows) is the same end as before.
    const view = await alice.node.presence()
    assert.equal(view.text, 'Quarterly report')
    assert.equal(view.until, until)
    // The CLI, which read "focus" alone (permanent) before, reads the same end.
    const out: string[] = []
    assert.equal(await runCli(['status', '--home', alice.home], { out: line => { out.push(line) }, err: () => {}, env: {} }), 0)
    assert.match(out.find(line => line.startsWith('presence')) ?? '', /^presence\s+focus until \d\d:\d\d, "Quarterly report"/)
  })

  it('another status starts afresh: the message of the focus being left does not follow it', async () => {
    const { alice, page } = session
    await page.getByRole('button', { name: /Your status: Focus until/ }).click()
    const dialog = page.getByRole('dialog', { name: 'Set your status' })
    const message = dialog.getByRole('textbox', { name: 'Status message' })
    await dialog.getByRole('radio', { name: 'Away' }).check()
    assert.equal(await message.inputValue(), '')
    await dialog.getByRole('radio', { name: 'Focus' }).check()
    assert.equal(await message.inputValue(), 'Quarterly report', 'back to the status in force: its message again')
    await dialog.getByRole('radio', { name: 'Away' }).check()
    await dialog.getByRole('button', { name: 'Set status' }).click()
    await waitUntil(async () => (await alice.node.presence()).status === 'away', 'away')
    assert.equal((await alice.node.presence()).text, '')
  })

  it('says in plain words that the node is not running, and does not show colleagues connected', async () => {
    const { alice, bruno, page } = session
    await page.getByRole('button', { name: 'Bruno Petit', exact: true }).click()
    const composer = page.getByRole('textbox', { name: 'Message' })
    await composer.waitFor()
    assert.match(await page.locator(`#presence-${bruno.node.peerId}`).innerText(), /Connected/)
    await alice.restart(async () => {
      await composer.fill('Are you there?')
      await composer.press('Enter')
      const alert = page.getByRole('alert').filter({ hasText: 'Not sent' })
      await alert.waitFor()
      const said = await alert.innerText()
      assert.match(said, /your causette node is not running/i)
      assert.doesNotMatch(said, /fetch/i)
      const presence = page.locator(`#presence-${bruno.node.peerId}`)
      await presence.filter({ hasNotText: 'Connected' }).waitFor()
      assert.match(await presence.innerText(), /unknown/i)
      assert.equal(await page.locator('.avatar .dot').count(), 0, 'no presence dot shows a stale state')
      await page.getByRole('region', { name: /^People/ }).getByText('presence unknown').waitFor()
      await page.getByRole('button', { name: 'Your status: unknown while your node is not running' }).waitFor()
      // Not only "reconnecting…": a node that was stopped stays stopped until someone starts it.
      await page.getByRole('status').filter({ hasText: 'Connection to your causette node lost' }).getByText(/start it again/).waitFor()
      await assertAccessible(page, 'the app while its node is stopped')
    })
  })

  it('a node started with nobody to type its passphrase: the app asks for it, says "Wrong passphrase", then carries on in the same tab', async () => {
    const { alice, page } = session
    const { unlocked } = await alice.restartLocked(async () => { await setPassphrase(alice.home, PASSPHRASE, undefined, 'interactive') })
    // As a double-click opens the app on a node it started in the background.
    await page.goto(alice.appLink)
    const field = page.getByLabel('Passphrase', { exact: true })
    await field.waitFor()
    await page.getByText(alice.home).waitFor()
    const hint = await page.locator('#unlock-hint').innerText()
    assert.ok(hint.startsWith(`The profile of Alice Martin (${alice.home}) is protected`), `a space before the profile's folder: ${hint}`)
    await assertAccessible(page, 'the unlock screen')
    await field.fill('not the passphrase')
    await page.getByRole('button', { name: 'Unlock' }).click()
    await page.getByRole('alert').filter({ hasText: 'Wrong passphrase' }).waitFor()
    await assertAccessible(page, 'the unlock screen after a wrong passphrase')
    await field.fill(PASSPHRASE)
    await field.press('Enter')
    await unlocked
    await page.getByRole('button', { name: /Your status: / }).waitFor()
    await page.getByRole('button', { name: 'Bruno Petit', exact: true }).waitFor()
    assert.equal(await field.count(), 0, 'the unlock screen is gone')
  })
})
