// Real causette daemons for browser tests: a node (libp2p on loopback, mDNS off) with its local API
// serving the app built from ui/: ui/dist, which `npm test` builds before any test, when it is newer
// than every file of the app's code; otherwise (a change not built yet) the app is built once per
// test process into a temporary folder, so test files running in parallel never race on ui/dist.
// (A Vite build costs ~10 s of CPU: once per browser test file, 30 files, it was a sixth of the
// tests step.)
import { existsSync, rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startApiServer, type ApiServer } from '../../core/api/server.js'
import { startWhenUnlocked } from '../../core/node/locked-start.js'
import { startNode, type CausetteNode, type NodeOptions } from '../../core/node/node.js'
import type { UpdateOptions } from '../../core/node/update-wiring.js'
import type { ThisDesk } from '../../core/desk/start-at-login.js'
import { underLoad } from './deadline.js'
import { newestFile, oldestFileTime } from './source-times.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const UI_CONFIG = join(ROOT, 'ui/vite.config.ts')
const UI_DIST = join(ROOT, 'ui/dist')
/** What the app is built from: ui/ and the core and crypto modules it imports. */
const UI_SOURCES = ['ui', 'core', 'crypto']

let built: Promise<string> | undefined

/** Whether ui/dist was built after the last change to the app's code (its oldest file: when the build began writing). */
function uiDistCurrent (): boolean {
  const builtAt = oldestFileTime(UI_DIST)
  if (builtAt === undefined || !existsSync(join(UI_DIST, 'index.html'))) return false
  return newestFile(ROOT, UI_SOURCES, { skip: ['ui/dist'] }).time < builtAt
}

/** The app built with Vite (production mode, service worker included): ui/dist if current, else a build of this process's own; resolves with its folder. */
export async function buildUiOnce (): Promise<string> {
  built ??= (async () => {
    if (uiDistCurrent()) return UI_DIST
    const outDir = await mkdtemp(join(tmpdir(), 'causette-ui-'))
    const { build } = await import('vite')
    await build({ configFile: UI_CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } })
    // An exit listener runs no more asynchronous work: the removal must be synchronous to happen.
    process.once('exit', () => { rmSync(outDir, { recursive: true, force: true }) })
    return outDir
  })()
  return await built
}

export interface Daemon {
  name: string
  /** The profile directory: the CLI reaches this daemon with `--home`. */
  home: string
  node: CausetteNode
  api: ApiServer
  /** The link `causette start` prints: the app with the token in the fragment. */
  appLink: string
  /** A loopback multiaddr other daemons can use as --peer. */
  address: string
  /** Stops and starts the node and its API again: same profile, same API port, a new event epoch. */
  restart: (whileStopped?: () => Promise<void>) => Promise<void>
  /**
   * Stops it, runs `whileStopped` (a test sets a passphrase there), and starts its API again locked on
   * the same port, as `causette start` with nobody at a terminal does; resolves once someone unlocked it.
   */
  restartLocked: (whileStopped: () => Promise<void>) => Promise<{ unlocked: Promise<void> }>
  close: () => Promise<void>
}

export interface DaemonOptions {
  name: string
  peers?: string[]
  uiDir?: string
  /** The node's clock; default Date.now (a test shifts it to play a machine whose clock is wrong). */
  now?: () => number
  /** The profile directory (default: a new temporary one); a test puts it on a small disk. */
  home?: string
  /** The update service's release key, version, target and installer (core/node/update-wiring.ts). */
  update?: UpdateOptions
  /** Start without --name, as a first run does: the node only suggests the OS account's name (`name` labels the daemon). */
  firstRun?: boolean
  /** Where the app's Start at login switch installs: a temporary desk (default this user's, only read by the status). */
  desk?: ThisDesk
}

export async function startDaemon ({ name, peers = [], uiDir, now, home: given, update, firstRun = false, desk }: DaemonOptions): Promise<Daemon> {
  const home = given ?? await mkdtemp(join(tmpdir(), 'causette-browser-'))
  const ui = uiDir ?? await buildUiOnce()
  // desktopNotifier: the browser shows what the app notifies; the OS's notifier stays out of tests.
  const nodeOptions = (): NodeOptions => ({ home, ...(firstRun ? {} : { name }), port: 0, listenHost: '127.0.0.1', mdns: false, peers, desktopNotifier: async () => {}, ...(now !== undefined ? { now } : {}), ...(update !== undefined ? { update } : {}), ...(desk !== undefined ? { desk } : {}) })
  const start = async (apiPort: number): Promise<{ node: CausetteNode, api: ApiServer, address: string }> => {
    const node = await startNode(nodeOptions())
    const api = await startApiServer({ node, home, port: apiPort, uiDir: ui })
    const address = node.addresses().find(a => a.includes('/ip4/127.0.0.1/'))
    if (address === undefined) throw new Error(`${name} has no loopback address`)
    return { node, api, address }
  }
  const stop = async (): Promise<void> => {
    await daemon.api.close()
    await daemon.node.stop()
  }
  const first = await start(0)
  const daemon: Daemon = {
    name,
    home,
    ...first,
    appLink: `${first.api.url}/#token=${first.api.token}`,
    restart: async (whileStopped) => {
      await stop()
      await whileStopped?.()
      Object.assign(daemon, await start(Number(new URL(daemon.api.url).port)))
    },
    restartLocked: async (whileStopped) => {
      await stop()
      await whileStopped()
      const waiting = await startWhenUnlocked(nodeOptions(), () => {})
      daemon.api = await startApiServer({ locked: waiting.locked, home, port: Number(new URL(daemon.api.url).port), uiDir: ui })
      return { unlocked: waiting.started.then(node => { daemon.node = node }) }
    },
    close: async () => {
      try {
        await stop()
      } finally {
        await rm(home, { recursive: true, force: true })
      }
    }
  }
  return daemon
}

/** Two daemons that know each other's address (mDNS stays off), connected. */
export async function startDaemonPair (names: [string, string] = ['Alice Martin', 'Bruno Petit']): Promise<[Daemon, Daemon]> {
  const uiDir = await buildUiOnce()
  const a = await startDaemon({ name: names[0], uiDir })
  const b = await startDaemon({ name: names[1], uiDir, peers: [a.address] })
  await waitUntil(async () => (await a.node.peers()).some(p => p.peerId === b.node.peerId && p.connected), `${names[0]} to see ${names[1]}`)
  await waitUntil(async () => (await b.node.peers()).some(p => p.peerId === a.node.peerId && p.connected), `${names[1]} to see ${names[0]}`)
  return [a, b]
}

/**
 * Daemons in one workspace: the first creates it and invites the others, who join with the code alone
 * (it carries the first's address; no --peer, see workspace.test.ts for why). Resolves once every
 * daemon knows every member and the first is connected to each.
 */
export async function startWorkspaceDaemons (names: string[], options: (name: string) => Partial<DaemonOptions> = () => ({})): Promise<Daemon[]> {
  const uiDir = await buildUiOnce()
  const daemons = await Promise.all(names.map(async name => await startDaemon({ name, uiDir, ...options(name) })))
  const [first, ...colleagues] = daemons as [Daemon, ...Daemon[]]
  await first.node.createWorkspace('Acme office')
  for (const colleague of colleagues) {
    await colleague.node.joinWorkspace((await first.node.createInvite({ role: 'member', expiresMs: 3_600_000 })).code)
  }
  for (const daemon of daemons) {
    await waitUntil(async () => (await daemon.node.workspaceView())?.members.length === names.length, `${daemon.name} to know every member`, 30_000)
  }
  // Both ways: a colleague writes to the first only once it knows the first as a contact (each side
  // learns the other's keys on its own, so one side's list says nothing of the other's).
  const connected = async (from: Daemon, to: Daemon): Promise<void> => {
    await waitUntil(async () => (await from.node.peers()).some(p => p.peerId === to.node.peerId && p.connected), `${from.name} connected to ${to.name}`, 30_000)
  }
  for (const colleague of colleagues) {
    await connected(first, colleague)
    await connected(colleague, first)
  }
  return daemons
}

/** Polls `check` until it is true; `ms` is what that takes at most on a quiet machine (see underLoad). */
export async function waitUntil (check: () => Promise<boolean> | boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + underLoad(ms)
  while (!await check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${underLoad(ms)} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}
