// Colleagues' photos in the browser app, two real daemons in Debian's Chromium: Alice sets a photo
// (a real JPEG, made by the browser's canvas as the app makes one) and Bruno's app shows it in the
// people list, the conversations and the conversation header, in place of her initials; when she
// removes it, her initials come back.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { launchProfile, screenshot, type BrowserProfile } from '../helpers/browser.js'
import { pairWithBrowser } from '../helpers/browser-session.js'

/** A 256×256 JPEG drawn by the page's canvas, base64. */
async function canvasJpeg (page: Page): Promise<string> {
  return await page.evaluate(() => {
    const canvas = document.createElement('canvas')
    canvas.width = canvas.height = 256
    const context = canvas.getContext('2d')!
    context.fillStyle = '#2a7'
    context.fillRect(0, 0, 256, 256)
    context.fillStyle = '#fd4'
    context.beginPath()
    context.arc(128, 110, 60, 0, 2 * Math.PI)
    context.fill()
    return canvas.toDataURL('image/jpeg', 0.85).split(',')[1]!
  })
}

/** The width of the decoded photo in `avatar`, 0 when it shows initials or has not loaded. */
async function photoWidth (avatar: Locator): Promise<number> {
  return await avatar.evaluate(element => (element.querySelector('img.photo') as HTMLImageElement | null)?.naturalWidth ?? 0)
}

describe('colleagues\' photos in the browser app', () => {
  const session = pairWithBrowser() // Alice's browser; Bruno's is ours
  let brunoBrowser: BrowserProfile
  let b: Page

  before(async () => {
    brunoBrowser = await launchProfile()
    b = await brunoBrowser.context.newPage()
    await b.goto(session.bruno.appLink)
  })

  after(async () => { await brunoBrowser?.close() })

  it('shows Alice\'s photo in Bruno\'s people list and conversation header, and her initials again once she removes it', async () => {
    const people = b.locator('section[aria-labelledby="people-heading"]')
    const aliceAvatar = people.getByRole('button', { name: 'Alice Martin' }).locator('.avatar')
    await aliceAvatar.waitFor()
    assert.equal(await aliceAvatar.getAttribute('data-initials'), 'AM')

    await session.alice.node.setPhoto({ type: 'image/jpeg', data: await canvasJpeg(b) })
    await b.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('section[aria-labelledby="people-heading"] .avatar img.photo')
      return img !== null && img.complete && img.naturalWidth === 256
    })
    assert.equal(await photoWidth(aliceAvatar), 256)
    assert.equal(await aliceAvatar.getAttribute('aria-hidden'), 'true', 'the button is named by her name; the photo adds nothing to read')
    assert.equal(await aliceAvatar.locator('img').getAttribute('alt'), '')

    await people.getByRole('button', { name: 'Alice Martin' }).click()
    const header = b.locator('section.chat header .avatar')
    await b.waitForFunction(() => (document.querySelector<HTMLImageElement>('section.chat header .avatar img.photo')?.naturalWidth ?? 0) === 256)
    assert.equal(await photoWidth(header), 256)
    await screenshot(b, 'peer-photo-bruno')

    await session.alice.node.setPhoto(null)
    await b.waitForFunction(() => document.querySelector('section[aria-labelledby="people-heading"] .avatar img.photo') === null)
    assert.equal(await aliceAvatar.getAttribute('data-initials'), 'AM')
  })
})
