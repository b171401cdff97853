// Debian's Chromium driven by playwright-core, launched as STACK.md says: no sandbox (root), and
// none of Chromium's own background traffic (the test network is loopback only).
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { underLoad } from './deadline.js'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'
]

function assertChromium (): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get update && apt-get install -y chromium" or set CHROMIUM_PATH`)
  }
}

export async function launchBrowser (): Promise<Browser> {
  assertChromium()
  return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}

export interface BrowserProfile {
  context: BrowserContext
  dir: string
  close: () => Promise<void>
}

/** A browser with its own profile directory (storage, service workers), removed on close. */
export async function launchProfile (viewport = { width: 1280, height: 800 }): Promise<BrowserProfile> {
  assertChromium()
  const dir = await mkdtemp(join(tmpdir(), 'causette-chromium-'))
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, viewport
  })
  // Playwright's waits (waitFor, clicks) give up after 30 s by default: allow that on a busy machine.
  context.setDefaultTimeout(underLoad(30_000))
  return {
    context,
    dir,
    close: async () => {
      await context.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
}

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))

/** Saves a screenshot of `page` as test-artifacts/<name>.png, to be looked at. */
export async function screenshot (page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) })
}

/** The elements that stick out of the viewport on the right (a layout break at this width), described. */
export async function overflowingElements (page: Page): Promise<string[]> {
  return await page.evaluate(`(() => {
    const width = document.documentElement.clientWidth
    const found = []
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect()
      if (box.width > 0 && box.right > width + 0.5) found.push(element.tagName.toLowerCase() + '.' + [...element.classList].join('.') + ' right=' + Math.round(box.right))
    }
    if (document.documentElement.scrollWidth > width) found.push('document scrollWidth=' + document.documentElement.scrollWidth)
    return found
  })()`)
}
