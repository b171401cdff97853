// WCAG 2 contrast of every visible piece of text on a page, against the background it is drawn on
// (the nearest opaque ancestor background, semi-transparent ones blended in). AA: 4.5:1, or 3:1 for
// large text (24 px, or 18.66 px bold). Disabled controls are exempt, as WCAG says.
import type { Page } from 'playwright-core'

const CHECK = `(() => {
  const parse = (color) => {
    const m = color.match(/rgba?\\(([^)]+)\\)/)
    if (!m) return [0, 0, 0, 0]
    const parts = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number)
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1]
  }
  const blend = (top, bottom) => {
    const a = top[3]
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat(1)
  }
  const backgroundOf = (element) => {
    const layers = []
    for (let e = element; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor)
      if (c[3] > 0) layers.push(c)
      if (c[3] >= 1) break
    }
    let color = [255, 255, 255, 1]
    if (layers.length && layers[layers.length - 1][3] < 1) color = parse(getComputedStyle(document.documentElement).backgroundColor)
    for (let i = layers.length - 1; i >= 0; i--) color = blend(layers[i], color)
    return color
  }
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4 })
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  const failures = []
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  const seen = new Set()
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement
    if (!element || seen.has(element) || node.textContent.trim() === '') continue
    seen.add(element)
    if (element.closest(':disabled, [aria-hidden=true], .visually-hidden')) continue
    const box = element.getBoundingClientRect()
    const style = getComputedStyle(element)
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || Number(style.opacity) === 0) continue
    const background = backgroundOf(element)
    const foreground = blend(parse(style.color), background)
    const [l1, l2] = [luminance(foreground), luminance(background)].sort((a, b) => b - a)
    const ratio = (l1 + 0.05) / (l2 + 0.05)
    const size = parseFloat(style.fontSize)
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700)
    if (ratio < (large ? 3 : 4.5)) failures.push(node.textContent.trim().slice(0, 40) + ' ' + ratio.toFixed(2) + ':1 (' + style.color + ' on rgb(' + background.slice(0, 3).map(Math.round).join(', ') + '))')
  }
  return failures
})()`

/** The texts below WCAG AA contrast on the page as it is now, with their ratio and colours. */
export async function contrastFailures (page: Page): Promise<string[]> {
  return await page.evaluate(CHECK) as string[]
}
