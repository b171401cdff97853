// axe-core's accessibility rules, run inside a Playwright page: every violation on the page as it
// is now, one line per element, so that a failure names the rule, the element and how to fix it.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
let axeSource: Promise<string> | undefined

interface AxeViolation { id: string, help: string, nodes: Array<{ target: unknown[], failureSummary?: string }> }

/** Every axe-core violation on the page (all rules axe runs by default), described. */
export async function axeViolations (page: Page): Promise<string[]> {
  axeSource ??= readFile(AXE_PATH, 'utf8')
  await page.evaluate(await axeSource)
  const violations = await page.evaluate('axe.run(document, { resultTypes: ["violations"] }).then(r => r.violations)') as AxeViolation[]
  return violations.flatMap(violation => violation.nodes.map(node =>
    `${violation.id} (${violation.help}) at ${node.target.join(' ')}: ${(node.failureSummary ?? '').replace(/\s+/g, ' ')}`))
}

/** Fails with the list of violations if axe-core finds any on `screen`. */
export async function assertAccessible (page: Page, screen: string): Promise<void> {
  const found = await axeViolations(page)
  assert.deepEqual(found, [], `axe-core on ${screen}:\n${found.join('\n')}`)
}

/**
 * Scans `screen` as it is now in the light and then the dark theme, and puts the page's theme back:
 * a suite that set a screen up scans it where it stands, without a second set of daemons.
 */
export async function assertAccessibleInBothThemes (page: Page, screen: string): Promise<void> {
  const wasDark = await page.evaluate('matchMedia("(prefers-color-scheme: dark)").matches') as boolean
  try {
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme })
      await assertAccessible(page, `${screen} (${theme})`)
    }
  } finally {
    await page.emulateMedia({ colorScheme: wasDark ? 'dark' : 'light' })
  }
}
