// Safety numbers in the browser app, two real daemons and two browser profiles in Debian's Chromium:
// each user opens the other's safety number from the conversation header and sees the same digits
// and a QR code; marking verified shows the mark; a changed key blocks the conversation with a banner
// until the user compares and accepts it, after which messages flow again.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { x25519FromPrivate } from '../../crypto/device-keys.js'
import { randomBytes } from '../../crypto/random.js'
import { startNode } from '../../core/node/node.js'
import { loadOrCreateDeviceKeys, saveDeviceKeys } from '../../core/profile/keystore.js'
import { launchProfile, overflowingElements, screenshot, type BrowserProfile } from '../helpers/browser.js'
import { assertAccessibleInBothThemes } from '../helpers/browser-axe.js'
import { contrastFailures } from '../helpers/browser-contrast.js'
import { waitUntil } from '../helpers/browser-daemons.js'
import { pairWithBrowser } from '../helpers/browser-session.js'

/** The 60 digits as the page shows them, one space between groups. */
async function digitsOn (page: Page): Promise<string> {
  const text = await page.getByRole('group', { name: 'Safety number, 12 groups of 5 digits' }).innerText()
  return text.trim().split(/\s+/).join(' ')
}

async function openSafetyNumber (page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).click()
  await page.getByRole('link', { name: `Safety number with ${name}` }).click()
  await page.getByRole('heading', { name: `Safety number with ${name}` }).waitFor()
  await page.getByRole('img', { name: 'The safety number as a QR code' }).waitFor()
}

describe('safety numbers in the browser app', () => {
  const session = pairWithBrowser() // Alice's browser
  let brunoBrowser: BrowserProfile
  let a: Page
  let b: Page

  before(async () => {
    a = session.page
    brunoBrowser = await launchProfile()
    b = await brunoBrowser.context.newPage()
    await b.goto(session.bruno.appLink)
  })

  after(async () => { await brunoBrowser?.close() })

  it('shows the same 60 digits on both sides, with a QR code, from the conversation header', async () => {
    await openSafetyNumber(a, 'Bruno Petit')
    await openSafetyNumber(b, 'Alice Martin')
    const seenByAlice = await digitsOn(a)
    assert.match(seenByAlice, /^\d{5}( \d{5}){11}$/)
    assert.equal(await digitsOn(b), seenByAlice)
    assert.equal((await session.alice.node.safetyNumber(session.bruno.node.peerId)).digits, seenByAlice)
    assert.ok(await a.getByRole('button', { name: 'Mark as verified' }).isEnabled())
    await screenshot(a, 'safety-number-alice')
    await screenshot(b, 'safety-number-bruno')
    assert.deepEqual(await contrastFailures(a), [])
  })

  it('marks the person verified: a status line, and the mark beside the name here and in the conversation', async () => {
    await a.getByRole('button', { name: 'Mark as verified' }).click()
    await a.getByRole('status').getByText('Bruno Petit is verified.').waitFor()
    await a.getByRole('heading', { name: /Safety number with Bruno Petit/ }).locator('..').getByRole('img', { name: 'Verified' }).waitFor()
    assert.equal(await a.getByRole('button', { name: 'Mark as verified' }).count(), 0)
    assert.equal((await session.alice.node.peers()).find(p => p.peerId === session.bruno.node.peerId)?.verified, true)
    await screenshot(a, 'safety-number-verified')

    await a.getByRole('link', { name: 'Back to the conversation with Bruno Petit' }).click()
    await a.getByRole('heading', { name: /Bruno Petit/ }).getByRole('img', { name: 'Verified' }).waitFor()
    assert.match(await a.locator(`#presence-${session.bruno.node.peerId}`).innerText(), /Verified/)
    await screenshot(a, 'chat-verified')
  })

  it('at phone width, in the dark theme too, the safety number fits and stays readable', async () => {
    await b.setViewportSize({ width: 360, height: 740 })
    assert.deepEqual(await overflowingElements(b), [])
    await screenshot(b, 'safety-number-phone')
    await b.emulateMedia({ colorScheme: 'dark' })
    assert.deepEqual(await contrastFailures(b), [])
    await screenshot(b, 'safety-number-phone-dark')
    await b.emulateMedia({ colorScheme: 'light' })
    await b.setViewportSize({ width: 1280, height: 800 })
  })

  it('a changed key blocks the conversation with a banner until Alice compares and accepts it', async () => {
    // Bruno's device comes back with the same device key (PeerId) and another identity key.
    const home = session.bruno.node.home
    await session.bruno.api.close()
    await session.bruno.node.stop()
    const { keys, masterKey } = await loadOrCreateDeviceKeys(home)
    await saveDeviceKeys(home, masterKey, { ...keys, identity: x25519FromPrivate(randomBytes(32)) })
    const brunoAgain = await startNode({ home, name: 'Bruno Petit', port: 0, listenHost: '127.0.0.1', mdns: false, peers: [session.alice.address] })
    try {
      const banner = a.getByRole('alert').filter({ hasText: 'Bruno Petit has a new security key' })
      await banner.waitFor()
      assert.ok(await a.getByRole('textbox', { name: 'Message' }).isDisabled(), 'the composer is disabled')
      assert.equal(await a.getByRole('heading', { name: /Bruno Petit/ }).getByRole('img', { name: 'Verified' }).count(), 0, 'no longer verified')
      await screenshot(a, 'chat-key-changed')
      assert.deepEqual(await contrastFailures(a), [])
      await assertAccessibleInBothThemes(a, 'the key-changed banner')

      await banner.getByRole('link', { name: 'Compare safety numbers' }).click()
      await a.getByRole('alert').filter({ hasText: 'Messages are blocked' }).waitFor()
      await screenshot(a, 'safety-number-key-changed')
      await a.getByRole('button', { name: 'Accept the new key and mark as verified' }).click()
      await a.getByRole('status').getByText(/New key accepted/).waitFor()

      await a.getByRole('link', { name: 'Back to the conversation with Bruno Petit' }).click()
      const composer = a.getByRole('textbox', { name: 'Message' })
      await waitUntil(async () => await composer.isEnabled(), 'the composer to be enabled again')
      assert.equal(await banner.count(), 0)
      await composer.fill('Welcome back, Bruno: I compared our numbers.')
      await composer.press('Enter')
      await a.locator('[data-message-id]', { hasText: 'I compared our numbers' }).locator('[data-state="delivered"], [data-state="read"]').waitFor()
      const received = await brunoAgain.messages({ limit: 10, q: 'compared our numbers' })
      assert.equal(received.length, 1)
      await screenshot(a, 'chat-key-accepted')
    } finally {
      await brunoAgain.stop()
    }
  })
})
