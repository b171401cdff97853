// Takes the screenshots the README shows (ui/docs/app.png, ui/docs/app-phone-dark.png) from two real
// daemons in one workspace and Chromium, with the app built from this checkout:
//   npm ci && npm run screenshots
// Each step waits for what it shows (a message delivered, one read), never for a time, so the pictures
// show the app as it is now whenever it is run again. It fails with a message if a step does not come.
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { launchProfile } from '../../test/helpers/browser.js'
import { startWorkspaceDaemons, waitUntil, type Daemon } from '../../test/helpers/browser-daemons.js'

const out = fileURLToPath(new URL('../docs/', import.meta.url))

/** The message that carries a file, sent end to end as the app sends one. */
const QUOTE_MESSAGE = 'Here it is, signed.'

/** A small PDF standing for the supplier's quote: only its name, size and type show. */
async function stagedQuote (from: Daemon): Promise<{ file: string }> {
  const pdf = new TextEncoder().encode(`%PDF-1.4\n% quote 2026-114\n${'0'.repeat(184_000)}\n%%EOF\n`)
  async function * content (): AsyncIterable<Uint8Array> { yield pdf }
  const staged = await from.node.stageFile({ name: 'Quote 2026-114 signed.pdf', type: 'application/pdf', content: content() })
  return { file: staged.id }
}

/** Who says what, in order; the last of Camille's messages stays unread, to show "delivered" beside "read". */
const SCRIPT: Array<['camille' | 'julien', string]> = [
  ['julien', 'Morning! Did the supplier send the signed quote?'],
  ['camille', 'Yes, it came in last night. 12 400 € excl. VAT, delivery in three weeks.'],
  ['camille', QUOTE_MESSAGE],
  ['julien', 'Perfect. Can you confirm the order to them before noon? 🙏'],
  ['camille', 'Done: order confirmed, they will invoice on delivery. 🎉']
]

async function converse (camille: Daemon, julien: Daemon): Promise<void> {
  for (const [index, [who, text]] of SCRIPT.entries()) {
    const [from, to] = who === 'camille' ? [camille, julien] : [julien, camille]
    const message = await from.node.send(to.node.peerId, text, text === QUOTE_MESSAGE ? { attachments: [await stagedQuote(from)] } : {})
    const state = async (): Promise<string | undefined> => (await from.node.messages({ with: to.node.peerId, limit: 20 })).find(m => m.id === message.id)?.state
    await waitUntil(async () => await state() === 'delivered', `"${text}" delivered`, 30_000)
    if (index < SCRIPT.length - 1) {
      // The reader opens the conversation: everything so far is read (and the sender sees it).
      const conversation = (await to.node.messages({ with: from.node.peerId, limit: 1 }))[0]!.conversation
      await to.node.markRead(conversation)
      await waitUntil(async () => await state() === 'read', `"${text}" read`, 30_000)
    }
  }
}

/** Waits until the page shows the conversation as a reader would see it: messages, marks, fonts. */
async function settled (page: Page): Promise<void> {
  await page.locator('[data-message-id]', { hasText: 'order confirmed' }).waitFor()
  await page.getByText('Quote 2026-114 signed.pdf').waitFor()
  await page.locator('[data-state="read"]').first().waitFor()
  await page.locator('[data-state="delivered"]').first().waitFor()
  // The app's own emoji font, where the system has none: loaded before the picture, not during it.
  const loaded = await page.evaluate(`document.fonts.load('1em "causette emoji"', '🙂🙏🎉').then(faces => faces.length)`) as number
  if (loaded === 0) throw new Error('the app\'s emoji font did not load')
  await page.evaluate('document.fonts.ready')
  await page.mouse.move(0, 0) // no hover state in the picture
}

const [camille, julien] = await startWorkspaceDaemons(['Camille Durand', 'Julien Moreau']) as [Daemon, Daemon]
const browser = await launchProfile({ width: 1200, height: 720 })
try {
  await converse(camille, julien)
  // Notifications granted: the first-run question about them is not in the picture.
  await browser.context.grantPermissions(['notifications'], { origin: camille.api.url })
  const page = await browser.context.newPage()
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto(camille.appLink)
  await page.getByRole('link', { name: /Julien Moreau/ }).first().click()
  await settled(page)
  await page.screenshot({ path: out + 'app.png' })
  await page.setViewportSize({ width: 360, height: 720 })
  await page.emulateMedia({ colorScheme: 'dark' })
  await settled(page)
  await page.screenshot({ path: out + 'app-phone-dark.png' })
  console.log(`wrote ${out}app.png and ${out}app-phone-dark.png`)
} finally {
  await browser.close()
  await camille.close()
  await julien.close()
}
