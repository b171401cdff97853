// Renders the SVG icons to the PNG sizes the web app manifest lists, and to the sizes of the Windows
// executable's icon (scripts/package/windows-resources.ts). Run after editing an icon:
//   node --import tsx ui/scripts/render-icons.ts
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { launchBrowser } from '../../test/helpers/browser.js'

const dir = fileURLToPath(new URL('../public/icons/', import.meta.url))
const outputs = [
  { svg: 'icon.svg', png: 'icon-192.png', size: 192 },
  { svg: 'icon.svg', png: 'icon-512.png', size: 512 },
  { svg: 'icon-maskable.svg', png: 'icon-maskable-512.png', size: 512 },
  ...[16, 32, 48, 256].map(size => ({ svg: 'icon.svg', png: `icon-${size}.png`, size }))
]

const browser = await launchBrowser()
try {
  for (const { svg, png, size } of outputs) {
    const page = await browser.newPage({ viewport: { width: size, height: size } })
    const source = await readFile(dir + svg, 'utf8')
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{width:${size}px;height:${size}px;display:block}</style>${source}`)
    await page.screenshot({ path: dir + png, omitBackground: true })
    await page.close()
  }
} finally {
  await browser.close()
}
