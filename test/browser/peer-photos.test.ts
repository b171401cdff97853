// Colleagues' photos in the browser app, two real daemons in one workspace, in Debian's Chromium:
// Alice sets a photo (a real JPEG, made by the browser's canvas as the app makes one) and Bruno's
// app shows it in place of her initials wherever her avatar appears: the people list, the
// conversation header, her messages in the conversation, the "@" list of the composer, and in a
// channel her messages and the member list. A new name of hers shows in the same places without a
// reload, and so does Bruno's own in the member list. When she removes her photo, her initials come back.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { screenshot } from '../helpers/browser.js'
import { startWorkspaceDaemons, waitUntil, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, type OpenApps } from '../helpers/browser-session.js'

const SIDE = 256

/** A 256×256 JPEG drawn by the page's canvas, base64. */
async function canvasJpeg (page: Page): Promise<string> {
  return await page.evaluate((side) => {
    const canvas = document.createElement('canvas')
    canvas.width = canvas.height = side
    const context = canvas.getContext('2d')!
    context.fillStyle = '#2a7'
    context.fillRect(0, 0, side, side)
    context.fillStyle = '#fd4'
    context.beginPath()
    context.arc(side / 2, side * 0.43, side * 0.23, 0, 2 * Math.PI)
    context.fill()
    return canvas.toDataURL('image/jpeg', 0.85).split(',')[1]!
  }, SIDE)
}

/** Resolves once `avatar` shows the decoded photo (not the initials). */
async function photoShown (avatar: Locator): Promise<void> {
  await avatar.locator('img.photo').waitFor()
  await avatar.evaluate(async (element, side) => {
    const img = element.querySelector('img.photo') as HTMLImageElement
    await img.decode()
    if (img.naturalWidth !== side) throw new Error(`a photo ${img.naturalWidth} px wide`)
  }, SIDE)
  assert.equal(await avatar.getAttribute('aria-hidden'), 'true', 'named by the text beside it; the photo adds nothing to read')
  assert.equal(await avatar.locator('img').getAttribute('alt'), '')
}

describe('colleagues\' photos and names in the browser app', () => {
  let alice: Daemon
  let bruno: Daemon
  let apps: OpenApps
  let b: Page

  before(async () => {
    [alice, bruno] = await startWorkspaceDaemons(['Alice Martin', 'Bruno Petit']) as [Daemon, Daemon]
    apps = await openApps([bruno]);
    [b] = apps.pages as [Page]
  })

  after(async () => {
    await apps?.close()
    await alice?.close()
    await bruno?.close()
  })

  const people = (): Locator => b.locator('section[aria-labelledby="people-heading"]')
  const message = (text: string): Locator => b.locator('[data-message-id]', { hasText: text })

  it('shows Alice\'s photo in Bruno\'s people list and conversation header', async () => {
    const aliceAvatar = people().getByRole('button', { name: 'Alice Martin' }).locator('.avatar')
    await aliceAvatar.waitFor()
    assert.equal(await aliceAvatar.getAttribute('data-initials'), 'AM')

    await alice.node.setPhoto({ type: 'image/jpeg', data: await canvasJpeg(b) })
    await photoShown(aliceAvatar)

    await people().getByRole('button', { name: 'Alice Martin' }).click()
    await photoShown(b.locator('section.chat header .avatar'))
  })

  it('shows it beside her messages and in the composer\'s "@" list', async () => {
    await alice.node.send(bruno.node.peerId, 'The plans are on the shared drive.')
    await photoShown(message('The plans are on the shared drive.').locator('.avatar'))

    const composer = b.getByRole('textbox', { name: 'Message' })
    await composer.fill('@Ali')
    const option = b.getByRole('listbox', { name: 'Colleagues to mention' }).getByRole('option', { name: 'Alice Martin' })
    await photoShown(option.locator('.avatar'))
    await screenshot(b, 'peer-photo-bruno')
    await composer.fill('')
  })

  it('shows it in a channel: beside her messages and in the member list', async () => {
    const channel = await alice.node.createChannel('atelier', 'The workshop')
    await alice.node.inviteToChannel(channel.id, [bruno.node.peerId])
    await waitUntil(async () => (await bruno.node.channels()).some(c => c.id === channel.id && c.member), 'Bruno in the channel', 30_000)
    await alice.node.sendToChannel(channel.id, 'Welcome to the workshop.')

    await b.getByRole('region', { name: 'Channels' }).getByRole('link', { name: /^atelier/ }).click()
    await photoShown(message('Welcome to the workshop.').locator('.avatar'))
    await b.getByRole('button', { name: /^Members/ }).click()
    const member = b.locator('#channel-details li', { hasText: 'Alice Martin' })
    await photoShown(member.locator('.avatar'))
    await screenshot(b, 'peer-photo-channel')
  })

  it('shows a new name of hers in the channel\'s messages, member list and "@" list, without a reload', async () => {
    await alice.node.setName('Alice Martin-Roux')
    await people().getByRole('button', { name: 'Alice Martin-Roux' }).waitFor()
    await message('Welcome to the workshop.').getByText('Alice Martin-Roux', { exact: true }).waitFor()
    await b.locator('#channel-details li', { hasText: 'Alice Martin-Roux' }).waitFor()
    await b.getByRole('textbox', { name: 'Message' }).fill('@Ali')
    await b.getByRole('listbox', { name: 'Colleagues to mention' }).getByRole('option', { name: 'Alice Martin-Roux' }).waitFor()
    await b.getByRole('textbox', { name: 'Message' }).fill('')
  })

  it('shows Bruno\'s own new name, typed in the header, in the channel\'s member list at once', async () => {
    await b.getByRole('button', { name: /^Your display name: Bruno Petit/ }).click()
    const field = b.getByRole('textbox', { name: 'Display name' })
    await field.fill('Bruno P.')
    await field.press('Enter')
    await b.getByRole('button', { name: /^Your display name: Bruno P\./ }).waitFor()
    await b.locator('#channel-details li', { hasText: 'Bruno P. (you)' }).waitFor()
  })

  it('shows her initials again once she removes it', async () => {
    await alice.node.setPhoto(null)
    const aliceAvatar = people().getByRole('button', { name: 'Alice Martin-Roux' }).locator('.avatar')
    await aliceAvatar.locator('img.photo').waitFor({ state: 'detached' })
    assert.equal(await aliceAvatar.getAttribute('data-initials'), 'AM')
    await b.locator('#channel-details li', { hasText: 'Alice Martin-Roux' }).locator('.avatar img.photo').waitFor({ state: 'detached' })
  })
})
