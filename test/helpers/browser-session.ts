// Setup for browser test suites: two connected daemons and one browser profile on the first one's
// app, started before the suite's tests (after `prepare`, e.g. to seed messages) and closed after
// them (call it inside `describe`); or each daemon's app in a browser profile of its own.
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

export interface OpenApps {
  profiles: BrowserProfile[]
  /** One page per daemon, on its app, greeting its user (first run done). */
  pages: Page[]
  close: () => Promise<void>
}

/**
 * Each daemon's app in a browser profile of its own. `prepare` runs on each profile before its page
 * opens (permissions, init scripts).
 */
export async function openApps (daemons: Daemon[], prepare?: (profile: BrowserProfile, daemon: Daemon) => Promise<void>): Promise<OpenApps> {
  const profiles: BrowserProfile[] = []
  const pages: Page[] = []
  const close = async (): Promise<void> => { for (const profile of profiles) await profile.close() }
  try {
    for (const daemon of daemons) {
      const profile = await launchProfile()
      profiles.push(profile)
      await prepare?.(profile, daemon)
      const page = await profile.context.newPage()
      await page.goto(daemon.appLink)
      pages.push(page)
    }
    for (const [i, page] of pages.entries()) await page.getByRole('heading', { name: `Hello, ${daemons[i]!.name}` }).waitFor()
  } catch (error) {
    await close()
    throw error
  }
  return { profiles, pages, close }
}

/** Notifications allowed, and every one shown recorded by its title in `window.shownNotifications`. */
const NOTIFICATION_SPY = `(() => {
  const Real = window.Notification
  window.shownNotifications = []
  window.Notification = class extends Real {
    constructor (title, options) { super(title, options); window.shownNotifications.push(title) }
  }
  Object.defineProperty(window.Notification, 'permission', { get: () => 'granted' })
})()`

/** An `openApps` preparation: the daemon's app may notify, and the page records each notification's title. */
export async function recordNotifications (profile: BrowserProfile, daemon: Daemon): Promise<void> {
  await profile.context.grantPermissions(['notifications'], { origin: daemon.api.url })
  await profile.context.addInitScript(NOTIFICATION_SPY)
}
