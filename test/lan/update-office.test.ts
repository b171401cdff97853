// The update test, with the release executables as desks have them: three linux-x64 desks
// on version N in network namespaces (real mDNS, a workspace), each run from its own copy with an
// empty PATH. The admin's node is given N+1, signed by a test release key built into both versions;
// every desk fetches it from colleagues, swaps its executable, restarts on it and confirms its
// health, with its messages intact. Then a release that cannot even start (its linux-x64 file is
// /bin/false, signed all the same) is fetched and swapped in, and every desk rolls back to N+1.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import type { InviteView, MessageView, NodeStatus, PeerView, UpdateStatus, WorkspaceView } from '../../core/api/schema.js'
import { readUpdateLog } from '../../core/update/swap/update-log.js'
import { generateSignerKey, readSignerKey } from '../../scripts/release/signer-key.js'
import { signReleaseDir } from '../../scripts/release/sign-release.js'
import { sha256File } from '../../scripts/package/node-binaries.js'
import { buildRelease, deskWith, runAtDesk, spawnAtDesk, type Desk } from '../helpers/executable.js'
import { LAN_POLL } from '../helpers/lan-daemon.js'
import type { LanProcess } from '../helpers/lan-process.js'
import { lanAvailable } from '../helpers/lan-requirement.js'
import { eventually } from '../helpers/lan-wait.js'
import { createLan, type LanHost } from '../helpers/netns.js'

const run = promisify(execFile)
const [OLD, NEW, BROKEN] = ['9.9.0', '9.9.1', '9.9.2']
/** The swap waits for a quiet moment: here, any moment (core/update/swap/quiet-moment.ts). */
const DESK_ENV = { CAUSETTE_UPDATE_QUIET_MS: '1' }

let oldExecutable: string
let newBundle: string
let brokenBundle: string
const cleanups: Array<() => Promise<void>> = []
after(async () => { for (const cleanup of cleanups.reverse()) await cleanup() })
const teardown = { after: (cleanup: () => Promise<void>) => { cleanups.push(cleanup) } }

before(async () => {
  const work = await mkdtemp(join(tmpdir(), 'causette-update-office-'))
  teardown.after(async () => { await rm(work, { recursive: true, force: true }) })
  const verifierKey = await generateSignerKey(join(work, 'release.key'))
  const signer = await readSignerKey(join(work, 'release.key'))
  const old = await buildRelease(teardown, ['linux-x64'], { version: OLD, releaseKey: verifierKey })
  oldExecutable = join(old.outDir, old.manifest.files[0]!.file)
  const next = await buildRelease(teardown, ['linux-x64'], { version: NEW, releaseKey: verifierKey })
  newBundle = join(work, `causette-${NEW}.release`)
  await signReleaseDir(next.outDir, signer, { bundle: newBundle })
  brokenBundle = join(work, `causette-${BROKEN}.release`)
  await signReleaseDir(await brokenRelease(work), signer, { bundle: brokenBundle })
})

/** A release directory whose linux-x64 executable is /bin/false: signed, but it exits at once. */
async function brokenRelease (work: string): Promise<string> {
  const dir = await mkdtemp(join(work, 'broken-'))
  const file = `causette-${BROKEN}-linux-x64`
  await copyFile('/bin/false', join(dir, file))
  const { size } = await stat(join(dir, file))
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ version: BROKEN, files: [{ file, target: 'linux-x64', size, sha256: sha256File(join(dir, file)) }] }))
  return dir
}

interface Running { host: LanHost, desk: Desk, name: string, peerId: string, process: LanProcess }

async function start (host: LanHost, desk: Desk, name: string, extra: string[] = []): Promise<Running> {
  const process = spawnAtDesk(host, desk, ['start', '--json', '--name', name, ...extra], DESK_ENV)
  const started = await process.next(`${name}'s executable to start`, line => typeof line.peerId === 'string')
  return { host, desk, name, peerId: String(started.peerId), process }
}

async function cli<T> (desk: Running, ...args: string[]): Promise<T> {
  return JSON.parse(await runAtDesk(desk.host, desk.desk, [...args, '--json'], DESK_ENV)) as T
}

/** The version the desk's node answers with, once it answers (it may be restarting). */
async function runsVersion (desk: Running, version: string): Promise<void> {
  await eventually(`${desk.name} to run ${version}`, async () =>
    (await cli<NodeStatus>(desk, 'status').catch(() => undefined))?.version === version, { ...LAN_POLL, timeoutMs: 120_000 })
}

test('three desks run the admin\'s new release, fetched from colleagues, with their data; a release that cannot start is rolled back everywhere', async (t) => {
  if (!await lanAvailable(t)) return
  const hosts: LanHost[] = []
  // Restarted nodes are detached from the processes the test started: end everything in the
  // namespaces before they go (registered first, so it runs after the LAN's own teardown is queued).
  t.after(async () => {
    for (const host of hosts) {
      const { stdout } = await run('ip', ['netns', 'pids', host.namespace]).catch(() => ({ stdout: '' }))
      for (const pid of stdout.split(/\s+/).filter(Boolean)) { try { process.kill(Number(pid), 'SIGKILL') } catch {} }
    }
  })
  hosts.push(...(await createLan(t, { hosts: 3 })).hosts)
  const [adaHost, brunoHost, chloeHost] = hosts as [LanHost, LanHost, LanHost]
  const ada = await start(adaHost, await deskWith(t, oldExecutable), 'ada')
  await cli<WorkspaceView>(ada, 'workspace', 'create', 'Acme')
  const [forBruno, forChloe] = [await cli<InviteView>(ada, 'invite'), await cli<InviteView>(ada, 'invite')]
  const [bruno, chloe] = await Promise.all([
    start(brunoHost, await deskWith(t, oldExecutable), 'bruno', ['--join', forBruno.code]),
    start(chloeHost, await deskWith(t, oldExecutable), 'chloe', ['--join', forChloe.code])
  ])
  const desks = [ada, bruno, chloe]
  for (const desk of desks) {
    await eventually(`${desk.name} to see both colleagues`, async () => {
      const peers = await cli<PeerView[]>(desk, 'peers')
      return desks.filter(other => other !== desk).every(other => peers.some(peer => peer.peerId === other.peerId && peer.connected))
    }, LAN_POLL)
  }
  const sent = await cli<MessageView>(ada, 'send', 'bruno', 'before the update')
  await eventually('bruno to hold the message', async () =>
    (await cli<MessageView[]>(bruno, 'messages', '--with', ada.peerId)).some(message => message.id === sent.id), LAN_POLL)

  const applied = await cli<UpdateStatus>(ada, 'update', 'apply', newBundle)
  assert.equal(applied.release?.version, NEW)
  for (const desk of desks) await runsVersion(desk, NEW)
  assert.ok((await cli<MessageView[]>(bruno, 'messages', '--with', ada.peerId)).some(message => message.id === sent.id && message.text === 'before the update'),
    'bruno\'s messages outlived the update')
  await eventually('ada to count three desks on the new version', async () => (await cli<UpdateStatus>(ada, 'update', 'status')).onNewest === 3, LAN_POLL)
  for (const desk of desks) {
    const log = await readUpdateLog(join(desk.desk.home, '.causette'))
    assert.ok(log.some(line => line.event === 'confirmed'), `${desk.name}'s new version confirmed its health: ${JSON.stringify(log)}`)
  }

  await cli<UpdateStatus>(ada, 'update', 'apply', brokenBundle)
  for (const desk of desks) {
    await eventually(`${desk.name} to roll ${BROKEN} back`, async () =>
      (await readUpdateLog(join(desk.desk.home, '.causette'))).some(line => line.event === 'rolled-back'), { ...LAN_POLL, timeoutMs: 180_000 })
    await runsVersion(desk, NEW)
  }
  assert.ok((await cli<MessageView[]>(bruno, 'messages', '--with', ada.peerId)).some(message => message.id === sent.id), 'and still has its messages')
})
