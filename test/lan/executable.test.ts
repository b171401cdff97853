// The release executable for linux-x64 as a person gets it: copied alone into an empty folder and
// run inside network namespaces with no `node` on PATH, a HOME of its own and no node_modules. It
// starts, serves the real app, answers `status`; `passphrase set` works on the stopped node and a
// restart keeps the profile; two such executables find each other by mDNS and exchange a message,
// which is still there after a restart; the journal export verifies (signatures on worker threads).
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { MessageView, NodeStatus, PeerView } from '../../core/api/schema.js'
import { buildRelease, deskWith, runAtDesk, spawnAtDesk, type Desk } from '../helpers/executable.js'
import { lanAvailable } from '../helpers/lan-requirement.js'
import { LAN_POLL } from '../helpers/lan-daemon.js'
import { REPO_ROOT, type LanProcess } from '../helpers/lan-process.js'
import { eventually } from '../helpers/lan-wait.js'
import { createLan, type LanHost } from '../helpers/netns.js'

/** Not the source tree's version: the status must show the one the packager fixed. */
const BUILT_VERSION = '9.8.7'
let executable: string
// Built once for both tests, removed after both (an `after` registered inside `before` runs at once).
const cleanups: Array<() => Promise<void>> = []
after(async () => { for (const cleanup of cleanups) await cleanup() })
before(async () => {
  const { outDir, manifest } = await buildRelease({ after: cleanup => cleanups.push(cleanup) }, ['linux-x64'], { version: BUILT_VERSION })
  executable = join(outDir, manifest.files[0]!.file)
})

interface Running { process: LanProcess, peerId: string, appUrl: string, url: string }

async function start (host: LanHost, desk: Desk, args: string[], env: Record<string, string> = {}): Promise<Running> {
  const process = spawnAtDesk(host, desk, ['start', '--json', ...args], env)
  const started = await process.next('the executable to start', line => typeof line.peerId === 'string')
  return { process, peerId: String(started.peerId), appUrl: String(started.appUrl), url: String(started.url) }
}

async function cli<T> (host: LanHost, desk: Desk, ...args: string[]): Promise<T> {
  return JSON.parse(await runAtDesk(host, desk, [...args, '--json'])) as T
}

/** GET from inside the namespace, where the app listens on its 127.0.0.1 (the test's Node fetches). */
async function fetchInside (host: LanHost, url: string): Promise<{ status: number, body: string }> {
  const script = 'const r = await fetch(process.argv[1]); console.log(JSON.stringify({ status: r.status, body: await r.text() }))'
  return JSON.parse((await host.exec(process.execPath, ['--input-type=module', '-e', script, url])).stdout) as { status: number, body: string }
}

test('alone, with no node and no node_modules, the executable starts, serves the app, answers status; a passphrase and a restart keep the profile', async (t) => {
  if (!await lanAvailable(t)) return
  const [host] = (await createLan(t, { hosts: 1 })).hosts
  const desk = await deskWith(t, executable)

  const first = await start(host!, desk, ['--name', 'ada', '--no-mdns'])
  const page = await fetchInside(host!, first.url)
  assert.equal(page.status, 200)
  assert.equal(page.body, await readFile(join(REPO_ROOT, 'ui', 'dist', 'index.html'), 'utf8'), 'the built app, not a placeholder')
  const status = await cli<NodeStatus>(host!, desk, 'status')
  assert.equal(status.peerId, first.peerId)
  assert.equal(status.name, 'ada')
  assert.equal(status.version, BUILT_VERSION)
  // The app says how to install this very file: whoever double-clicked it has no `causette` command.
  assert.equal(status.autostart.program, desk.executable)
  // The native addons went to the per-user cache, each named by its SHA-256.
  assert.match((await readdir(join(desk.home, '.cache', 'causette'))).sort().join(' '), /^leveldb-[0-9a-f]{64}\.node sodium-[0-9a-f]{64}\.node$/)
  await first.process.stop('SIGTERM')

  const passphrase = { CAUSETTE_PASSPHRASE: 'correct horse battery staple' }
  await runAtDesk(host!, desk, ['passphrase', 'set'], passphrase)
  assert.match(await readFile(join(desk.home, '.causette', 'master-key.json'), 'utf8'), /argon2id/)

  const again = await start(host!, desk, ['--no-mdns'], passphrase)
  assert.equal(again.peerId, first.peerId, 'the same identity after the restart')
  assert.equal((await cli<NodeStatus>(host!, desk, 'status')).name, 'ada')
  await again.process.stop('SIGTERM')
})

test('two executables in two namespaces find each other by mDNS and exchange a message that outlives a restart', async (t) => {
  if (!await lanAvailable(t)) return
  const [adaHost, bobHost] = (await createLan(t, { hosts: 2 })).hosts as [LanHost, LanHost]
  const [adaDesk, bobDesk] = [await deskWith(t, executable), await deskWith(t, executable)]
  const [ada, bob] = await Promise.all([start(adaHost, adaDesk, ['--name', 'ada']), start(bobHost, bobDesk, ['--name', 'bob'])])

  await eventually('ada to be connected to bob', async () =>
    (await cli<PeerView[]>(adaHost, adaDesk, 'peers')).some(peer => peer.peerId === bob.peerId && peer.connected), LAN_POLL)
  const sent = await cli<MessageView>(adaHost, adaDesk, 'send', 'bob', 'hello from a single file')
  const received = async (): Promise<MessageView | undefined> =>
    (await cli<MessageView[]>(bobHost, bobDesk, 'messages', '--with', ada.peerId)).find(message => message.id === sent.id)
  const copy = await eventually('bob to store the message', received, LAN_POLL)
  assert.equal(copy.text, 'hello from a single file')
  assert.equal(copy.verified, true)

  // The journal's signatures are checked on worker threads, which run inside the executable too.
  const exported = join(adaDesk.home, 'journal.txt')
  await runAtDesk(adaHost, adaDesk, ['log', 'export', '--out', exported])
  const verified = await cli<{ ok: boolean }>(adaHost, adaDesk, 'log', 'verify', exported)
  assert.equal(verified.ok, true, JSON.stringify(verified))

  await bob.process.stop('SIGTERM')
  const bobAgain = await start(bobHost, bobDesk, [])
  assert.equal(bobAgain.peerId, bob.peerId)
  assert.equal((await received())?.text, 'hello from a single file')
  await Promise.all([ada.process.stop('SIGTERM'), bobAgain.process.stop('SIGTERM')])
})
