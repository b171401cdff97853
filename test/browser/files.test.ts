// Files and images in the browser (issue 16), with two real daemons in one workspace, each in its own
// browser profile. Alice drops a file on her conversation with Bruno: its upload shows a progress
// bar (the upload is slowed by Chromium's network emulation, and every value the bar takes is
// recorded), and the message goes with it; Bruno's app shows a card and Save downloads the very
// bytes Alice dropped. Alice pastes an image: Bruno sees it inline (a blob: URL of the full image
// once held, its preview made in Alice's browser). Bruno sends an .html page and an .svg image:
// Alice's app shows them as cards only, never loads them inline, never frames or draws them; a
// damaged PNG is said in words, never drawn as a broken image. A file dropped on a thread goes with
// the reply. Bruno receives a file big enough that its fetch is seen under way (bar, speed, time
// left), cancels it, retries it, and saves the same bytes. On a phone's width, an upload whose bytes
// stop going (the node holds what it reads; no error) says it stalled rather than keep its last
// speed, and shows a speed again once they go; no size is ever split over two lines. Settings count
// an image sent with its preview as one file, as `causette files` does, and show the 5 GiB limit as
// 5, in the binary units the CLI prints too. axe-core scans the screens.
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Page, Response } from 'playwright-core'
import { byteSize as cliByteSize } from '../../core/api/size-words.js'
import { overflowingElements, screenshot, splitSizes, watchSplitSizes } from '../helpers/browser.js'
import { assertAccessible, assertAccessibleInBothThemes } from '../helpers/browser-axe.js'
import { startWorkspaceDaemons, waitUntil, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, type OpenApps } from '../helpers/browser-session.js'
import { causette } from '../helpers/cli-process.js'
import { uploadGate } from '../helpers/upload-gate.js'

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
/** Long, as office files are named: the card keeps it whole, within a phone's width. */
const DROPPED_NAME = 'Compte-rendu de la réunion de chantier du bâtiment C, version finale corrigée (2).pdf'
const DROPPED_BYTES = 3 * 1024 * 1024
/** Slow enough that the upload of the dropped file takes a few seconds, so that the bar is drawn. */
const UPLOAD_BYTES_PER_SECOND = 1024 * 1024
/**
 * Big enough that fetching it between two nodes on loopback takes seconds here, so that Bruno's card
 * is seen fetching; the test stays correct if it is held sooner (it cancels only while fetching).
 */
const RECEIVED_BYTES = 128 * 1024 * 1024
/**
 * Big enough that what the connection holds once the node stops reading (some MiB on loopback) is
 * far from all of it, so that the upload is seen to stall.
 */
const STALLED_BYTES = 24 * 1024 * 1024

describe('browser app: files and images', () => {
  let alice: Daemon
  let bruno: Daemon
  let apps: OpenApps
  let a: Page
  let b: Page
  let channel: string

  before(async () => {
    [alice, bruno] = await startWorkspaceDaemons(['Alice Martin', 'Bruno Petit']) as [Daemon, Daemon]
    channel = (await alice.node.createChannel('atlas', 'The Atlas launch')).id
    await alice.node.inviteToChannel(channel, [bruno.node.peerId])
    await waitUntil(async () => (await bruno.node.channels()).some(c => c.id === channel), 'Bruno to be in the channel', 30_000)
    apps = await openApps([alice, bruno])
    ;[a, b] = apps.pages as [Page, Page]
    await openChat(a, bruno)
    await openChat(b, alice)
  })

  after(async () => {
    await apps?.close()
    await alice?.close()
    await bruno?.close()
  })

  it('a file dropped on the conversation uploads with a progress bar, goes, and Bruno saves the same bytes', async () => {
    await recordProgress(a)
    const cdp = await a.context().newCDPSession(a)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: UPLOAD_BYTES_PER_SECOND })
    const sha256 = await dropFile(a, DROPPED_NAME, 'application/pdf', DROPPED_BYTES)
    const bar = a.getByRole('progressbar', { name: `Uploading ${DROPPED_NAME}` })
    await bar.waitFor()
    assert.match(await bar.getAttribute('aria-valuetext') ?? '', /of 3\u00a0MiB/, 'the bar says how much of how much')
    await screenshot(a, 'files-upload-progress')
    await a.getByText('ready to send').waitFor()
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
    const seen = await a.evaluate('window.__progressSeen') as number[]
    assert.ok(seen.some(value => value > 0 && value < 100), `the bar showed the upload under way (values seen: ${seen.join(', ')})`)

    await a.getByRole('textbox', { name: 'Message' }).fill('The quote, as promised')
    await a.getByRole('button', { name: 'Send', exact: true }).click()
    await a.getByRole('list', { name: 'Files to send' }).waitFor({ state: 'detached' })

    const save = b.getByRole('button', { name: `Save ${DROPPED_NAME}` })
    await save.waitFor({ timeout: 60_000 })
    await b.getByRole('article').getByText('The quote, as promised').waitFor()
    const [download] = await Promise.all([b.waitForEvent('download'), save.click()])
    assert.equal(download.suggestedFilename(), DROPPED_NAME)
    const saved = await readFile(await download.path())
    assert.equal(saved.length, DROPPED_BYTES)
    assert.equal(createHash('sha256').update(saved).digest('hex'), sha256, 'Save downloads the very bytes Alice dropped')
    const card = b.locator('.card', { hasText: DROPPED_NAME })
    assert.equal(await card.locator('.details').innerText(), '3\u00a0MiB · PDF document', 'its type in words, not "application/pdf"')
    await screenshot(b, 'files-received-card')
  })

  it('an upload can be cancelled (nothing staged is left at the node), retried, and removed from the message', async () => {
    const dropped: string[] = []
    a.on('request', request => { if (request.method() === 'DELETE' && request.url().includes('/api/v1/files/')) dropped.push(request.url()) })
    const cdp = await a.context().newCDPSession(a)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: UPLOAD_BYTES_PER_SECOND / 4 })
    await dropFile(a, 'big.bin', '', DROPPED_BYTES)
    await a.getByRole('progressbar', { name: 'Uploading big.bin' }).waitFor()
    await a.getByRole('textbox', { name: 'Message' }).press('Enter')
    const notYet = a.getByRole('alert').filter({ hasText: 'wait until every file is uploaded' })
    await notYet.waitFor()
    await a.getByRole('button', { name: 'Cancel the upload of big.bin' }).click()
    await a.getByText('Upload cancelled').waitFor()
    const retry = a.getByRole('button', { name: 'Retry the upload of big.bin' })
    assert.equal(await retry.evaluate(button => button === document.activeElement), true, 'the keyboard\'s focus stays on the button, now Retry')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
    await retry.click()
    await a.getByRole('list', { name: 'Files to send' }).getByText('ready to send').waitFor()
    assert.equal(await notYet.count(), 0, 'once every file is up, no warning says to wait for them')
    assert.deepEqual(dropped, [], 'an upload cancelled before the node answered left nothing staged')
    await a.getByRole('button', { name: 'Remove big.bin' }).click()
    await a.getByRole('list', { name: 'Files to send' }).waitFor({ state: 'detached' })
    assert.equal(await a.getByRole('textbox', { name: 'Message' }).evaluate(box => box === document.activeElement), true, 'the last file removed, the focus goes back to the message')
    await waitUntil(() => dropped.length === 1, 'the staged file to be dropped at the node')
  })

  it('on a phone, an upload that stalls says so rather than its last speed, and shows a speed again once bytes go; no size is split over two lines', async () => {
    await openChat(a, bruno)
    const size = a.viewportSize()!
    await a.setViewportSize({ width: 360, height: 740 })
    const cdp = await a.context().newCDPSession(a)
    const throttle = async (uploadThroughput: number): Promise<void> => { await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput }) }
    const node = uploadGate(alice)
    const bar = a.getByRole('progressbar', { name: 'Uploading survey.bin' })
    const text = async (): Promise<string> => {
      assert.equal(await bar.count(), 1, 'the upload is still under way (the API ends a request not whole after 30 s: core/api/connection-limits.ts)')
      return await bar.getAttribute('aria-valuetext') ?? ''
    }
    try {
      const split = await watchSplitSizes(a)
      await cdp.send('Network.enable')
      await throttle(UPLOAD_BYTES_PER_SECOND) // set once: Chromium sends the rest at once when it changes during an upload
      await dropFile(a, 'survey.bin', '', STALLED_BYTES)
      await bar.waitFor()
      await waitUntil(async () => Number(await bar.getAttribute('aria-valuenow')) >= 10 && /B\/s · about/.test(await text()), 'the upload\'s speed and time left')
      await screenshot(a, 'files-upload-phone')
      assert.deepEqual(await split.seen(), [], 'at 360 px, every size in one piece as the line under the bar changes')
      node.hold() // the node reads no more: the bytes stop going once the connection holds all it can, and nothing fails
      await waitUntil(async () => /stalled for \d+\u00a0s$/.test(await text()), 'the bar to say the upload stalled')
      assert.doesNotMatch(await text(), /\/s|left/, 'neither its last speed nor a time left, which would never come true')
      await screenshot(a, 'files-upload-stalled')
      node.release()
      await waitUntil(async () => /B\/s · about/.test(await text()), 'a speed again once bytes go')
      await throttle(-1)
      const tray = a.getByRole('list', { name: 'Files to send' })
      await tray.getByText('ready to send').waitFor()
      assert.deepEqual(await split.seen(), [], 'stalled and going again, every size in one piece too')
      const dropped = a.waitForResponse(response => response.request().method() === 'DELETE' && response.url().includes('/api/v1/files/'))
      await a.getByRole('button', { name: 'Remove survey.bin' }).click()
      await tray.waitFor({ state: 'detached' })
      await dropped // nothing staged left: Settings count what was sent
    } finally {
      node.restore()
      await throttle(-1)
      await cdp.detach()
      await a.setViewportSize(size)
      const remove = a.getByRole('button', { name: 'Remove survey.bin' })
      if (await remove.count() > 0) await remove.click() // failed: nothing left in the composer for the next tests
    }
  })

  it('twelve files dropped at once: ten attached, the two left out named; the tray scrolls, the conversation and Send stay on screen', async () => {
    await openChat(a, bruno)
    const size = a.viewportSize()!
    await a.setViewportSize({ width: 1200, height: 720 })
    try {
      const dataTransfer = await a.evaluateHandle(() => {
        const transfer = new DataTransfer()
        for (let i = 1; i <= 12; i++) transfer.items.add(new File([`invoice ${i}`], `invoice-${i}.txt`, { type: 'text/plain' }))
        return transfer
      })
      for (const type of ['dragenter', 'dragover', 'drop']) await a.locator('section.chat').dispatchEvent(type, { dataTransfer })
      const tray = a.getByRole('list', { name: 'Files to send' })
      await waitUntil(async () => await tray.getByText('ready to send').count() === 10, 'the ten files to be uploaded')
      const leftOut = a.getByRole('alert').filter({ hasText: 'Not attached' })
      assert.equal(await leftOut.innerText(), 'Not attached: invoice-11.txt, invoice-12.txt. At most 10 files go in one message: send these in another.')
      const send = await a.getByRole('button', { name: 'Send', exact: true }).boundingBox()
      const log = await a.locator('section.chat [role="log"]').boundingBox()
      assert.ok(send !== null && send.y + send.height <= 720, `Send is on screen (${JSON.stringify(send)})`)
      assert.ok(log !== null && log.height >= 150, `the conversation keeps room above the files (${JSON.stringify(log)})`)
      await screenshot(a, 'files-ten-attached')
      for (let i = 1; i <= 10; i++) await a.getByRole('button', { name: `Remove invoice-${i}.txt` }).click()
      await tray.waitFor({ state: 'detached' })
      assert.equal(await leftOut.count(), 0, 'with no file attached, nothing is said of those left out')
    } finally {
      await a.setViewportSize(size)
    }
  })

  it('a file dropped on a channel goes to its members', async () => {
    await a.evaluate(`location.hash = ${JSON.stringify(`#/channel/${channel}`)}`)
    await a.getByRole('heading', { name: 'atlas' }).waitFor()
    await dropFile(a, 'minutes.txt', 'text/plain', 2000, 'section.channel')
    await a.getByRole('list', { name: 'Files to send' }).getByText('ready to send').waitFor()
    await a.getByRole('button', { name: 'Send', exact: true }).click()
    await a.getByRole('button', { name: 'Save minutes.txt' }).waitFor()
    await waitUntil(async () => (await bruno.node.channelMessages(channel)).some(message => message.attachments?.some(file => file.name === 'minutes.txt' && file.state === 'held') === true), 'Bruno to hold the file', 60_000)
  })

  it('a file dropped on a thread goes with the reply, not with the channel\'s composer', async () => {
    const parent = await alice.node.sendToChannel(channel, 'Who has the floor plan?')
    await a.evaluate(`location.hash = ${JSON.stringify(`#/channel/${channel}/thread/${parent.id}`)}`)
    const thread = a.locator('section.thread')
    await thread.getByRole('heading', { name: /Thread/ }).waitFor()
    await dropFile(a, 'floor-plan.txt', 'text/plain', 3000, 'section.thread')
    await thread.getByRole('list', { name: 'Files to send' }).getByText('ready to send').waitFor()
    assert.equal(await a.locator('section.channel').getByRole('list', { name: 'Files to send' }).count(), 0, 'the channel\'s composer has nothing attached')
    await thread.getByRole('button', { name: 'Send', exact: true }).click()
    await thread.getByRole('button', { name: 'Save floor-plan.txt' }).waitFor()
    await waitUntil(async () => (await bruno.node.channelMessages(channel)).some(message => message.replyTo === parent.id && message.attachments?.some(file => file.name === 'floor-plan.txt' && file.state === 'held') === true),
      'Bruno to hold the file of the reply', 60_000)
  })

  it('a file dragged over a thread shows where it goes', async () => {
    const hint = a.locator('section.thread .drop-hint')
    const files = await a.evaluateHandle(() => { const transfer = new DataTransfer(); transfer.items.add(new File(['x'], 'x.txt')); return transfer })
    await a.locator('section.thread').dispatchEvent('dragenter', { dataTransfer: files })
    await hint.waitFor()
    await a.locator('section.thread').dispatchEvent('dragleave', { dataTransfer: files })
    await hint.waitFor({ state: 'detached' })
  })

  it('a file dropped outside a conversation is refused, not opened by the browser in place of the app', async () => {
    await openChat(a, bruno)
    const handled = await a.evaluate(() => {
      const transfer = new DataTransfer()
      transfer.items.add(new File(['<h1>page</h1>'], 'page.html', { type: 'text/html' }))
      const drop = new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true })
      document.querySelector('nav, aside, header')!.dispatchEvent(drop)
      return drop.defaultPrevented
    })
    assert.equal(handled, true, 'the browser\'s own handling (opening the file in the tab) is prevented')
    assert.equal(await a.getByRole('list', { name: 'Files to send' }).count(), 0, 'and nothing is attached')
  })

  it('an image pasted in the composer is shown inline at Bruno\'s, from its preview and then whole', async () => {
    await openChat(a, bruno)
    const refused: string[] = [] // Alice's app loads her own image as soon as the message shows: never before the node can serve it
    const onResponse = (response: Response): void => { if (response.url().includes('/attachments/') && response.status() >= 400) refused.push(`${response.status()} ${response.url()}`) }
    a.on('response', onResponse)
    const filesBefore = (await alice.node.filesUsage()).mineFiles
    await pasteImage(a, 800, 600)
    const tray = a.getByRole('list', { name: 'Files to send' })
    await tray.getByText(/ready to send|Not uploaded/).waitFor()
    assert.match(await tray.innerText(), /image\.png\s+[\d.]+\u00a0(KiB|MiB) · ready to send/)
    assert.equal((await alice.node.filesUsage()).mineFiles, filesBefore + 1, 'staged with its preview, not sent yet: one file, as the app says which upload is the preview')
    await a.getByRole('button', { name: 'Send', exact: true }).click()
    await a.getByRole('list', { name: 'Files to send' }).waitFor({ state: 'detached' })
    await a.locator('img[alt="image.png"][data-full="true"]').waitFor()
    a.off('response', onResponse)
    assert.deepEqual(refused, [], 'no request of Alice\'s app about her image was refused')

    const image = b.locator('img[alt="image.png"][data-full="true"]')
    await image.waitFor({ timeout: 60_000 })
    assert.match(await image.getAttribute('src') ?? '', /^blob:/, 'drawn from a blob: URL loaded with the token')
    assert.equal(await image.evaluate((img: HTMLImageElement) => img.naturalWidth), 800, 'the full image, not its preview')
    const [sent] = (await bruno.node.messages({ with: alice.node.peerId, limit: 50 })).flatMap(message => message.attachments ?? []).filter(attachment => attachment.name === 'image.png')
    assert.ok(sent?.preview !== undefined, 'the preview made in Alice\'s browser went with it')
    assert.equal(sent.width, 800)
    assert.equal(sent.height, 600)
    await screenshot(b, 'files-received-image')
    await assertAccessibleInBothThemes(b, 'a conversation with a received file and image')
    await b.getByRole('button', { name: 'View image.png larger' }).click()
    const viewer = b.getByRole('dialog', { name: 'image.png' })
    await viewer.getByRole('img', { name: 'image.png' }).waitFor()
    await assertAccessibleInBothThemes(b, 'a received image viewed larger')
    await b.keyboard.press('Escape')
    await viewer.waitFor({ state: 'hidden' })
    const size = b.viewportSize()!
    await b.setViewportSize({ width: 360, height: 740 })
    try {
      await image.scrollIntoViewIfNeeded()
      assert.deepEqual(await overflowingElements(b), [], 'the image and the card fit a phone')
      await screenshot(b, 'files-received-phone')
    } finally {
      await b.setViewportSize(size)
    }
  })

  it('an .html page and an .svg image received are shown as cards, never loaded inline nor rendered', async () => {
    const inlineRequests: string[] = []
    a.on('request', request => { if (request.url().includes('/content')) inlineRequests.push(request.url()) })
    await sendFromApi(bruno, alice.node.peerId, [
      { name: 'page.html', type: 'text/html', content: '<html><body><h1 id="rendered">RENDERED HTML</h1><script>document.title = "pwned"</script></body></html>' },
      { name: 'drawing.svg', type: 'image/svg+xml', content: '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><text id="rendered-svg" y="50">RENDERED SVG</text><script>document.title = "pwned"</script></svg>' }
    ])
    for (const name of ['page.html', 'drawing.svg']) await a.getByRole('button', { name: `Save ${name}` }).waitFor({ timeout: 60_000 })
    const found = await a.evaluate(`({
      frames: document.querySelectorAll('iframe, object, embed, frame').length,
      svgImages: [...document.querySelectorAll('img')].filter(img => /svg|html/i.test(img.alt)).length,
      rendered: document.body.innerHTML.includes('RENDERED'),
      title: document.title
    })`) as { frames: number, svgImages: number, rendered: boolean, title: string }
    assert.deepEqual({ ...found, title: undefined }, { frames: 0, svgImages: 0, rendered: false, title: undefined }, 'nothing framed, drawn or inserted')
    assert.doesNotMatch(found.title, /pwned/, 'no script of theirs ran')
    assert.deepEqual(inlineRequests, [], 'their content is never asked for inline')
    await screenshot(a, 'files-received-html-svg')
    await assertAccessible(a, 'a conversation with sent files and received .html and .svg cards')
  })

  it('an image the browser cannot draw (damaged, or too large to decode) is said in words, with Save, never a broken image', async () => {
    await openChat(a, bruno)
    const damaged = Buffer.concat([Buffer.from(PNG_SIGNATURE), randomBytes(4000)])
    await sendFromApi(bruno, alice.node.peerId, [{ name: 'scan.png', type: 'image/png', content: damaged }])
    await a.getByText('This image cannot be shown here').waitFor({ timeout: 60_000 })
    assert.equal(await a.locator('img[alt="scan.png"]').count(), 0, 'no broken image drawn')
    await a.getByRole('button', { name: 'Save scan.png' }).waitFor()
  })

  it('a JPEG named .png is shown as the JPEG it is; a ".png" that is no image is said in words, not left "not here yet"', async () => {
    await openChat(a, bruno)
    const jpeg = Buffer.from(await a.evaluate(async () => {
      const canvas = document.createElement('canvas')
      canvas.width = 64
      canvas.height = 48
      canvas.getContext('2d')!.fillRect(0, 0, 64, 48)
      const blob = await new Promise<Blob>(resolve => { canvas.toBlob(made => { resolve(made!) }, 'image/jpeg') })
      return [...new Uint8Array(await blob.arrayBuffer())]
    }))
    await sendFromApi(bruno, alice.node.peerId, [{ name: 'renamed.png', type: 'image/png', content: jpeg }, { name: 'notes.png', type: 'image/png', content: 'not an image at all' }])
    const renamed = a.locator('img[alt="renamed.png"][data-full="true"]')
    await renamed.waitFor({ timeout: 60_000 })
    assert.equal(await renamed.evaluate((img: HTMLImageElement) => img.naturalWidth), 64, 'drawn whole')
    await a.locator('.image', { has: a.getByText('notes.png', { exact: true }) }).getByText('This image cannot be shown here').waitFor()
    assert.equal(await a.getByRole('img', { name: 'notes.png (not here yet)' }).count(), 0, 'held, so never said to be on its way')
    await a.getByRole('button', { name: 'Save notes.png' }).waitFor()
  })

  it('a big file received shows its fetch (bar, speed, time left); Cancel stops it, Retry resumes it, Save gives the same bytes', async () => {
    await recordBars(b)
    const bytes = randomBytes(RECEIVED_BYTES)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    await sendFromApi(alice, bruno.node.peerId, [{ name: 'dataset.bin', type: 'application/octet-stream', content: bytes }])
    const bar = b.getByRole('progressbar', { name: 'Receiving dataset.bin' })
    const save = b.getByRole('button', { name: 'Save dataset.bin' })
    await bar.or(save).waitFor({ timeout: 120_000 })
    const drawn = await b.evaluate('window.__barTexts') as string[]
    assert.ok(drawn.some(text => text.startsWith('Receiving dataset.bin|') && text.includes('of 128\u00a0MiB')), `the card showed the fetch under way (bars seen: ${drawn.join('; ')})`)

    if (await bar.isVisible()) {
      const cancel = b.getByRole('button', { name: 'Cancel receiving dataset.bin' })
      await cancel.click()
      const cancelled = b.getByRole('status').filter({ hasText: 'Cancelled. Retry to fetch the rest.' }) // read out: a live region
      await cancelled.or(save).waitFor()
      if (await cancelled.isVisible()) {
        assert.equal(await bar.count(), 0, 'the bar is gone')
        assert.equal(await b.locator('.card', { hasText: 'dataset.bin' }).locator('.details').innerText(), '128\u00a0MiB · file', 'its state said in words under it, not as the node\'s "cancelled" beside its size')
        const stopped = await bruno.node.attachment(attachmentIdOf(await b.locator('[data-attachment-id]').filter({ hasText: 'dataset.bin' }).getAttribute('data-attachment-id')))
        assert.equal(stopped.state, 'cancelled', 'the node stopped fetching')
        const retry = b.getByRole('button', { name: 'Retry receiving dataset.bin' })
        assert.equal(await retry.evaluate(button => button === document.activeElement), true, 'the keyboard\'s focus moved from Cancel to Retry')
        await screenshot(b, 'files-received-cancelled')
        await retry.click()
      }
    }
    await save.waitFor({ timeout: 180_000 })
    const seen = await b.evaluate('window.__barTexts') as string[]
    assert.ok(seen.some(text => /iB\/s · about \d+\u00a0(s|min) left$/.test(text)), `speed and time left were shown (bars seen: ${seen.slice(-5).join('; ')})`)
    const [download] = await Promise.all([b.waitForEvent('download'), save.click()])
    const saved = await readFile(await download.path())
    assert.equal(saved.length, RECEIVED_BYTES)
    assert.equal(createHash('sha256').update(saved).digest('hex'), sha256, 'Save gives the very bytes Alice sent')
  })

  it('Settings show what files take as `causette files` does, an image sent with its preview as one file, every size in one piece on a phone', async () => {
    await a.evaluate('location.hash = "#/settings"')
    await a.getByRole('heading', { name: 'Files' }).waitFor()
    const taken = a.getByText(/Files you sent and received take/)
    await taken.waitFor()
    const usage = await alice.node.filesUsage()
    const sent = await attachmentCount(alice, bruno, channel)
    const files = `${cliByteSize(usage.mineBytes)} (${sent} files)`
    assert.equal((await taken.innerText()).replaceAll('\u00a0', ' '), `Files you sent and received take ${files}; copies held for absent colleagues take 0 bytes.`, 'each image once, though its preview is a file of its own')
    const printed = await causette('files', '--home', alice.home)
    assert.equal(printed.code, 0, printed.stderr)
    assert.match(printed.stdout, new RegExp(`^yours {4}${escaped(`${cliByteSize(usage.mineBytes)} in ${sent} files`)} \\(sent and received\\)$`, 'm'), 'the CLI says the same')
    const size = a.viewportSize()!
    await a.setViewportSize({ width: 360, height: 740 })
    try {
      assert.deepEqual(await splitSizes(a), [], 'on a phone, every size in one piece')
    } finally {
      await a.setViewportSize(size)
    }
  })

  it('Settings set the space for files in GiB, the unit `causette files` prints: 5 unless set; saved unchanged, a limit set otherwise stays as it is', async () => {
    const field = a.getByRole('spinbutton', { name: 'Space for files, in GiB' })
    assert.equal(await field.inputValue(), '5', 'the 5 GiB default as it is set, not "5.4" GB')
    const printed = await causette('files', '--home', alice.home)
    assert.match(printed.stdout, /^files {4}.+ of 5 GiB$/m, 'the CLI says the same limit')
    await field.fill('2')
    await a.getByRole('button', { name: 'Save', exact: true }).click()
    await a.getByRole('status').filter({ hasText: 'Saved' }).waitFor()
    assert.equal((await alice.node.settings()).fileLimitBytes, 2 * 1024 ** 3)
    assert.equal((await alice.node.filesUsage()).limitBytes, 2 * 1024 ** 3, 'applied to the store at once')
    await alice.node.updateSettings({ fileLimitBytes: 2_000_000_000 }) // set otherwise (the API, an older app): shown to one decimal
    await a.evaluate('location.hash = "#/"')
    await a.evaluate('location.hash = "#/settings"')
    await waitUntil(async () => await field.inputValue() === '1.9', 'the limit set otherwise to show')
    await a.getByRole('button', { name: 'Save', exact: true }).click()
    await a.getByRole('status').filter({ hasText: 'Saved' }).waitFor()
    assert.equal((await alice.node.settings()).fileLimitBytes, 2_000_000_000, 'saved unchanged, the limit stays as it was, not 1.9 GiB')
    await field.fill('0')
    await a.getByRole('button', { name: 'Save', exact: true }).click()
    await a.getByRole('status').filter({ hasText: /^Saved: the files here already take .+ more than that, so files you receive wait until there is room$/ }).waitFor()
    await alice.node.updateSettings({ fileLimitBytes: 2 * 1024 ** 3 })
    await assertAccessible(a, 'Settings with the files section')
  })

  it('Settings say so when the node does not answer what files take', async () => {
    await a.route('**/api/v1/files', route => route.request().method() === 'GET' ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'STORAGE_UNAVAILABLE', message: 'the disk is full' } }) }) : route.fallback())
    try {
      await a.evaluate('location.hash = "#/"')
      await a.evaluate('location.hash = "#/settings"')
      const alert = a.getByRole('alert').filter({ hasText: 'Could not read what files take here' })
      await alert.waitFor()
      assert.match(await alert.innerText(), /the disk is full/)
    } finally {
      await a.unroute('**/api/v1/files')
    }
  })

  it('an upload the node refuses (no room for files) says why, and goes once retried with room', async () => {
    await openChat(a, bruno)
    const before = (await alice.node.settings()).fileLimitBytes
    await alice.node.updateSettings({ fileLimitBytes: 1000 })
    await dropFile(a, 'too-big.bin', 'application/octet-stream', 100_000)
    const refusal = a.getByRole('list', { name: 'Files to send' }).getByRole('alert')
    await refusal.waitFor()
    assert.equal(await refusal.innerText(), 'Not uploaded: it does not fit in the space for files set in Settings. Raise that limit, then retry.')
    assert.equal(await a.getByRole('button', { name: 'Send', exact: true }).isDisabled(), true, 'nothing goes while a file is missing')
    await alice.node.updateSettings({ fileLimitBytes: before })
    await a.getByRole('button', { name: 'Retry the upload of too-big.bin' }).click()
    await a.getByRole('list', { name: 'Files to send' }).getByText('ready to send').waitFor()
    await a.getByRole('button', { name: 'Remove too-big.bin' }).click()
    await a.getByRole('list', { name: 'Files to send' }).waitFor({ state: 'detached' })
  })

  it('a folder dropped, or an empty file, is refused in words that say what to do, not as a node that is not running', async () => {
    await openChat(a, bruno)
    const folder = await mkdtemp(join(tmpdir(), 'causette-dropped-'))
    try {
      const dropped = join(folder, 'Dossier client')
      await mkdir(dropped)
      await writeFile(join(dropped, 'contrat.txt'), 'signé')
      await dropPaths(a, [dropped]) // as from the desktop: the browser gives a folder as a File it cannot read
      const tray = a.getByRole('list', { name: 'Files to send' })
      const refusal = tray.getByRole('listitem').filter({ hasText: 'Dossier client' }).getByRole('alert')
      await refusal.waitFor()
      assert.equal(await refusal.innerText(), 'Not uploaded: it cannot be read. A folder cannot be sent as it is: compress it into a .zip and attach that. A file moved or changed since you attached it: remove it and attach it again.')
      await a.getByRole('button', { name: 'Remove Dossier client' }).click()
      await dropFile(a, 'vide.txt', 'text/plain', 0)
      const empty = tray.getByRole('alert')
      await empty.waitFor()
      assert.equal(await empty.innerText(), 'Not uploaded: it is empty: there is nothing in it to send.')
      await a.getByRole('button', { name: 'Remove vide.txt' }).click()
      await tray.waitFor({ state: 'detached' })
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})

/** How many files Alice's messages with Bruno and in the channel carry: an image and its preview are one. */
async function attachmentCount (alice: Daemon, bruno: Daemon, channel: string): Promise<number> {
  const messages = [...await alice.node.messages({ with: bruno.node.peerId, limit: 200 }), ...await alice.node.channelMessages(channel, { limit: 200 })]
  return new Set(messages.flatMap(message => message.attachments ?? []).map(attachment => attachment.id)).size
}

function escaped (text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Opens the conversation with `daemon`'s user and waits for its composer. */
async function openChat (page: Page, daemon: Daemon): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(`#/chat/${daemon.node.peerId}`)}`)
  await page.getByRole('heading', { name: daemon.name }).waitFor()
}

/** Records every value an upload's progress bar takes (a fast upload may draw it for one frame only). */
async function recordProgress (page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.__progressSeen = []
    new MutationObserver(() => {
      for (const bar of document.querySelectorAll('[role="progressbar"]')) window.__progressSeen.push(Number(bar.getAttribute('aria-valuenow')))
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] })
  })()`)
}

/** Records the accessible name and text of every progress bar drawn, as `name|text` (a fast transfer may draw one for a moment only). */
async function recordBars (page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.__barTexts = []
    new MutationObserver(() => {
      for (const bar of document.querySelectorAll('[role="progressbar"]')) window.__barTexts.push(bar.getAttribute('aria-label') + '|' + bar.getAttribute('aria-valuetext'))
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuetext'] })
  })()`)
}

function attachmentIdOf (id: string | null): string {
  assert.ok(id !== null, 'the card names its attachment')
  return id
}

/** Drops a file of `size` pseudo-random bytes on the open conversation, as a drag from the desktop does; returns its SHA-256. */
async function dropFile (page: Page, name: string, type: string, size: number, on = 'section.chat'): Promise<string> {
  const dataTransfer = await page.evaluateHandle(`(() => {
    const bytes = new Uint8Array(${size})
    let state = 0x2545f491
    for (let i = 0; i < bytes.length; i++) { state ^= state << 13; state ^= state >>> 17; state ^= state << 5; bytes[i] = state & 0xff }
    window.__dropped = bytes
    const transfer = new DataTransfer()
    transfer.items.add(new File([bytes], ${JSON.stringify(name)}, { type: ${JSON.stringify(type)} }))
    return transfer
  })()`)
  const target = page.locator(on)
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer })
  return await page.evaluate(`crypto.subtle.digest('SHA-256', window.__dropped).then(hash => [...new Uint8Array(hash)].map(b => b.toString(16).padStart(2, '0')).join(''))`) as string
}

/** Drops files or folders of this machine on the open conversation through Chromium's own drag and drop, as a drag from the desktop does. */
async function dropPaths (page: Page, paths: string[]): Promise<void> {
  const box = await page.locator('section.chat').boundingBox()
  assert.ok(box !== null, 'the conversation is on screen')
  const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
  const cdp = await page.context().newCDPSession(page)
  try {
    const data = { items: [], files: paths, dragOperationsMask: 1 }
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, ...at, data })
  } finally {
    await cdp.detach()
  }
}

/** Pastes a PNG drawn in the page into the composer, as a screenshot pasted from the clipboard is. */
async function pasteImage (page: Page, width: number, height: number): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).evaluate(async (box: HTMLTextAreaElement, size: { width: number, height: number }) => {
    const canvas = document.createElement('canvas')
    canvas.width = size.width
    canvas.height = size.height
    const context = canvas.getContext('2d')!
    const gradient = context.createLinearGradient(0, 0, size.width, size.height)
    gradient.addColorStop(0, '#3246c2')
    gradient.addColorStop(1, '#f5b400')
    context.fillStyle = gradient
    context.fillRect(0, 0, size.width, size.height)
    const blob = await new Promise<Blob>(resolve => { canvas.toBlob(made => { resolve(made!) }, 'image/png') })
    const transfer = new DataTransfer()
    transfer.items.add(new File([blob], 'image.png', { type: 'image/png' }))
    box.focus()
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }))
  }, { width, height })
}

/** Stages files and sends them in one message through the daemon's HTTP API, as any client could. */
async function sendFromApi (daemon: Daemon, to: string, files: Array<{ name: string, type: string, content: string | Uint8Array }>): Promise<void> {
  const authorization = `Bearer ${daemon.api.token}`
  const staged: string[] = []
  for (const file of files) {
    const response = await fetch(`${daemon.api.url}/api/v1/files?${new URLSearchParams({ name: file.name, type: file.type }).toString()}`, {
      method: 'POST', headers: { authorization, 'content-type': 'application/octet-stream' }, body: typeof file.content === 'string' ? file.content : new Uint8Array(file.content)
    })
    assert.ok(response.ok, await response.clone().text())
    staged.push(((await response.json()) as { id: string }).id)
  }
  const response = await fetch(`${daemon.api.url}/api/v1/messages`, {
    method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify({ to, text: '', attachments: staged.map(file => ({ file })) })
  })
  assert.ok(response.ok, await response.clone().text())
}
