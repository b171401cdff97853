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

/** In the page: the sizes ("1.4 MiB", "812 bytes", "3 MiB/s") whose number and unit are drawn on two lines, each with its element's text. */
const SPLIT_SIZES = `(() => {
  const size = /\\d+(?:\\.\\d+)?[\\s\\u00a0]+(?:bytes?|[KMGT]i?B)(?:\\/s)?/g
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  const found = []
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    for (const match of node.data.matchAll(size)) {
      const range = document.createRange()
      range.setStart(node, match.index)
      range.setEnd(node, match.index + match[0].length)
      const tops = new Set([...range.getClientRects()].filter(box => box.width > 0).map(box => Math.round(box.top)))
      if (tops.size > 1) found.push(JSON.stringify(match[0]) + ' in ' + JSON.stringify(node.parentElement.innerText))
    }
  }
  return found
})`

/** The sizes on screen now whose number and unit are on two lines (a size split by a wrap). */
export async function splitSizes (page: Page): Promise<string[]> {
  return await page.evaluate(`${SPLIT_SIZES}()`)
}

/**
 * Looks for split sizes at every change of the page from now on (a progress line wraps at other
 * places as its figures change); `seen` gives those found so far.
 */
export async function watchSplitSizes (page: Page): Promise<{ seen: () => Promise<string[]> }> {
  await page.evaluate(`(() => {
    const look = ${SPLIT_SIZES}
    window.__splitSizes = new Set(look())
    new MutationObserver(() => { for (const found of look()) window.__splitSizes.add(found) })
      .observe(document.body, { subtree: true, childList: true, characterData: true })
  })()`)
  return { seen: async () => await page.evaluate('[...window.__splitSizes]') }
}
