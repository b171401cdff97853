// A phone in Chromium: its width, and a touch screen as the only pointer (no hover: the media
// features `(hover: none)` and `(pointer: coarse)` match), through the DevTools protocol; and a
// finger's tap, which Chromium turns into the press, focus, release and click a phone makes. The
// emulation lasts as long as the page: use a page of its own for it (turning it off leaves
// `(hover: none)` matching).
import type { Locator, Page } from 'playwright-core'

export const PHONE = { width: 390, height: 844 }

/** Makes `page` a phone: `size` wide and high, touch as its pointer. */
export async function emulatePhone (page: Page, size = PHONE): Promise<void> {
  await page.setViewportSize(size)
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 })
}

/** A tap of a finger at the centre of `locator` (scrolled into view first). */
export async function tap (page: Page, locator: Locator): Promise<void> {
  await locator.scrollIntoViewIfNeeded()
  const box = await locator.boundingBox()
  if (box === null) throw new Error('nothing to tap: the element is not shown')
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] })
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
  } finally {
    await cdp.detach()
  }
}
