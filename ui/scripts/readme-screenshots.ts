// Takes the screenshots the README shows, from two real daemons and Chromium:
//   node --import tsx ui/scripts/readme-screenshots.ts
import { fileURLToPath } from 'node:url'
import { launchProfile } from '../../test/helpers/browser.js'
import { startDaemonPair, waitUntil } from '../../test/helpers/browser-daemons.js'

const out = fileURLToPath(new URL('../docs/', import.meta.url))
const [camille, julien] = await startDaemonPair(['Camille Durand', 'Julien Moreau'])
const browser = await launchProfile({ width: 1200, height: 720 })
try {
  const script: Array<[typeof camille, string]> = [
    [julien, 'Morning! Did the supplier send the signed quote?'],
    [camille, 'Yes, it came in last night. 12 400 € excl. VAT, delivery in three weeks.'],
    [camille, 'I put it in the Purchasing folder.'],
    [julien, 'Perfect. Can you confirm the order to them before noon?'],
    [camille, 'Done: order confirmed, they will invoice on delivery.']
  ]
  for (const [from, text] of script) {
    const to = from === camille ? julien : camille
    const message = await from.node.send(to.node.peerId, text)
    await waitUntil(async () => (await from.node.messages({ with: to.node.peerId, limit: 20 })).some(m => m.id === message.id && m.state === 'delivered'), 'delivery')
  }
  const page = await browser.context.newPage()
  await page.goto(camille.appLink)
  await page.getByRole('link', { name: /Julien Moreau/ }).click()
  await page.getByText('order confirmed').waitFor()
  await page.screenshot({ path: out + 'app.png' })
  await page.setViewportSize({ width: 360, height: 720 })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: out + 'app-phone-dark.png' })
} finally {
  await browser.close()
  await camille.close()
  await julien.close()
}
