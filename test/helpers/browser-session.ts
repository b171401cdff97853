// One line of setup for a browser test suite: two connected daemons and one browser profile on the
// first one's app, started before the suite's tests (after `prepare`, e.g. to seed messages) and
// closed after them. Call it inside `describe`.
import { after, before } from 'node:test'
import type { Page } from 'playwright-core'
import { launchProfile, type BrowserProfile } from './browser.js'
import { startDaemonPair, type Daemon } from './browser-daemons.js'

export interface PairSession {
  alice: Daemon
  bruno: Daemon
  browser: BrowserProfile
  /** A page of `browser`, on Alice's app (first run done: the token is stored). */
  page: Page
}

export function pairWithBrowser (prepare?: (alice: Daemon, bruno: Daemon) => Promise<void>): PairSession {
  const session = {} as PairSession
  before(async () => {
    [session.alice, session.bruno] = await startDaemonPair()
    await prepare?.(session.alice, session.bruno)
    session.browser = await launchProfile()
    session.page = await session.browser.context.newPage()
    await session.page.goto(session.alice.appLink)
  })
  after(async () => {
    await session.browser?.close()
    await session.alice?.close()
    await session.bruno?.close()
  })
  return session
}
