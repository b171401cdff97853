// axe-core on every screen of the app, in the light and the dark theme: any violation fails, listed
// (rule, element, what to fix). Two real daemons in one workspace, with a 1:1 conversation and a
// channel, so that each screen shows what it shows in use. The app's own contrast check
// (helpers/browser-contrast.ts) stays in the other suites: axe skips text it cannot place on a
// background (over an image, a gradient, a pseudo-element), ours blends what it finds.
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { assertAccessible } from '../helpers/browser-axe.js'
import { startDaemon, startWorkspaceDaemons, type Daemon } from '../helpers/browser-daemons.js'
import { openApps, type OpenApps } from '../helpers/browser-session.js'

interface Screen { name: string, open: (page: Page) => Promise<void> }

const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 800 }

describe('accessibility: axe-core on every screen, both themes', () => {
  let alice: Daemon
  let bruno: Daemon
  /** A desk in no workspace yet: its workspace page offers to create or join one. */
  let carla: Daemon
  let apps: OpenApps
  let page: Page
  let channel: string
  let thread: string

  before(async () => {
    [alice, bruno] = await startWorkspaceDaemons(['Alice Martin', 'Bruno Petit']) as [Daemon, Daemon]
    await bruno.node.send(alice.node.peerId, 'The quarterly report is on the shared drive.')
    const created = await alice.node.createChannel('project-atlas', 'The Atlas launch')
    channel = created.id
    await alice.node.inviteToChannel(channel, [bruno.node.peerId])
    thread = (await alice.node.sendToChannel(channel, 'Kick-off on Monday.')).id
    carla = await startDaemon({ name: 'Carla Rossi' })
    apps = await openApps([alice])
    page = apps.pages[0]!
  })

  after(async () => {
    await apps?.close()
    await alice?.close()
    await bruno?.close()
    await carla?.close()
  })

  const go = async (hash: string): Promise<void> => {
    await page.evaluate(`location.hash = ${JSON.stringify(hash)}`)
  }
  const heading = async (name: string | RegExp): Promise<void> => { await page.getByRole('heading', { name }).first().waitFor() }

  const screens: Screen[] = [
    { name: 'home', open: async () => { await go('#/'); await heading(/Hello/) } },
    { name: 'status picker', open: async () => { await go('#/'); await page.getByRole('button', { name: /Your status/ }).click(); await page.getByRole('dialog', { name: 'Set your status' }).waitFor() } },
    { name: 'name editor', open: async () => { await go('#/'); await page.getByRole('button', { name: /Your display name/ }).click(); await page.getByRole('textbox', { name: 'Display name' }).waitFor() } },
    { name: 'conversation', open: async () => { await go(`#/chat/${bruno.node.peerId}`); await page.locator('[data-message-id]').first().waitFor() } },
    { name: 'conversation menu', open: async () => { await go(`#/chat/${bruno.node.peerId}`); await page.getByRole('button', { name: 'Conversation menu' }).click(); await page.getByRole('menu').waitFor() } },
    { name: 'safety number', open: async () => { await go(`#/safety/${bruno.node.peerId}`); await heading(/Safety number|Verify/i) } },
    { name: 'verifier', open: async () => { await go('#/verify'); await heading(/Verif/i) } },
    { name: 'workspace', open: async () => { await go('#/workspace'); await heading(/Acme office|Workspace/) } },
    { name: 'new channel', open: async () => { await go('#/channels/new'); await heading('New channel') } },
    { name: 'channel', open: async () => { await go(`#/channel/${encodeURIComponent(channel)}`); await page.locator('[data-message-id]').first().waitFor() } },
    { name: 'channel thread', open: async () => { await go(`#/channel/${encodeURIComponent(channel)}/thread/${encodeURIComponent(thread)}`); await page.getByRole('region', { name: /^Thread in/ }).waitFor() } },
    { name: 'remove a member (dialog)', open: async () => { await go('#/workspace'); await page.getByRole('button', { name: 'Remove Bruno Petit' }).click(); await page.getByRole('dialog', { name: 'Remove Bruno Petit?' }).waitFor() } },
    { name: 'jump to (dialog)', open: async () => { await go('#/'); await heading(/Hello/); await page.keyboard.press('Control+k'); await page.getByRole('dialog', { name: 'Jump to' }).getByRole('option').first().waitFor() } },
    { name: 'search results', open: async () => { await go('#/'); await page.getByRole('searchbox', { name: 'Search messages' }).fill('quarterly'); await page.getByRole('heading', { name: 'Search results' }).waitFor() } },
    { name: 'settings', open: async () => { await go('#/settings'); await heading('Settings') } },
    { name: 'channel members', open: async () => { await go(`#/channel/${encodeURIComponent(channel)}`); await page.getByRole('button', { name: /^Members/ }).click(); await page.getByText('Bruno Petit').last().waitFor() } }
  ]

  for (const theme of ['light', 'dark'] as const) {
    it(`the workspace page of a desk in no workspace, ${theme} theme`, async () => {
      const lone = await apps.profiles[0]!.context.newPage()
      try {
        await lone.emulateMedia({ colorScheme: theme })
        await lone.goto(carla.appLink)
        await lone.getByRole('heading', { name: 'Hello, Carla Rossi' }).waitFor()
        // Nobody found: what to check, her node's own finding (mDNS is off here) in plain words first.
        await lone.getByText('Nobody appears?').click()
        await lone.getByText('Searching the network for colleagues is turned off on this computer').waitFor()
        await lone.getByText(/tick causette under Private/).waitFor()
        await assertAccessible(lone, `the welcome page with nobody found (${theme})`)
        await lone.evaluate('location.hash = "#/workspace"')
        await lone.getByRole('heading', { name: 'Create a workspace' }).waitFor()
        await assertAccessible(lone, `the workspace page in no workspace (${theme})`)
      } finally {
        await lone.close()
      }
    })
    it(`the page without a token (opened without the printed link), ${theme} theme`, async () => {
      // The profile's stored token is set aside for this page, then put back for the other screens.
      const bare = await apps.profiles[0]!.context.newPage()
      await bare.goto(alice.api.url + '/')
      const stored = await bare.evaluate('JSON.stringify(localStorage)') as string
      try {
        await bare.emulateMedia({ colorScheme: theme })
        await bare.evaluate('localStorage.clear()')
        await bare.reload()
        await bare.getByRole('heading', { name: /Open causette from your node's link/ }).waitFor()
        await assertAccessible(bare, `the page without a token (${theme})`)
      } finally {
        await bare.evaluate(`for (const [key, value] of Object.entries(${stored})) localStorage.setItem(key, value)`)
        await bare.close()
      }
    })
    for (const screen of screens) {
      it(`${screen.name}, ${theme} theme`, async () => {
        // Closes whatever the previous screen left open (a popover, a dialog, a search).
        await page.keyboard.press('Escape')
        await page.getByRole('searchbox', { name: 'Search messages' }).fill('')
        await page.emulateMedia({ colorScheme: theme })
        await screen.open(page)
        await assertAccessible(page, `${screen.name} (${theme})`)
      })
    }
  }

  // A phone's width lays some screens out otherwise: a channel's thread or member list takes the
  // whole pane and the channel's own heading goes out of view.
  for (const screen of screens) {
    it(`${screen.name}, at a phone's width`, async () => {
      await page.keyboard.press('Escape')
      await page.getByRole('searchbox', { name: 'Search messages' }).fill('')
      await page.emulateMedia({ colorScheme: 'light' })
      await page.setViewportSize(PHONE)
      try {
        await screen.open(page)
        await assertAccessible(page, `${screen.name} (${PHONE.width} px wide)`)
      } finally {
        await page.setViewportSize(DESKTOP)
      }
    })
  }
})
