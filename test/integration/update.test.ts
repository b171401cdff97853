// Updates across the office, with real nodes over loopback: an admin gives its node a release
// signed by the test key; every desk fetches its own platform's file from colleagues, chunk by
// proven chunk, and hands it, verified, to its installer. Bad releases, a colleague serving garbage,
// the workspace's pause and a member's attempts are refused, journaled, and leave nothing on disk.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import { createHash } from 'node:crypto'
import type { CausetteNode } from '../../core/node/node.js'
import { nodeLogPrimitives } from '../../core/journal/primitives.js'
import { verifyExport } from '../../crypto/log/verify-export.js'
import type { ReleaseInstaller, VerifiedRelease } from '../../core/update/installer.js'
import { orderSources } from '../../core/update/fetcher.js'
import { addressOf, eventually, tempHome, testNode, type TestNodeOptions } from '../helpers/nodes.js'
import { peerIdOfHome } from '../helpers/profile-peer.js'
import { makeRelease, testReleaseKey, type TestRelease } from '../helpers/release.js'

const releaseKey = testReleaseKey().verifierKey
let root: string
let release: TestRelease

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'causette-update-'))
  release = await makeRelease(join(root, 'r020'), { version: '0.2.0', targets: ['linux-x64', 'win-x64', 'darwin-arm64'] })
})
after(async () => { await rm(root, { recursive: true, force: true }) })

/** An installer that only records what it was given. */
class RecordingInstaller implements ReleaseInstaller {
  readonly description = 'test: records releases'
  readonly installed: VerifiedRelease[] = []
  async install (release: VerifiedRelease): Promise<void> { this.installed.push(release) }
}

interface Desk { node: CausetteNode, installer: RecordingInstaller, home: string }

async function desk (t: TestContext, name: string, target: string, options: TestNodeOptions = {}): Promise<Desk> {
  const installer = new RecordingInstaller()
  const home = options.home ?? await tempHome(t)
  const node = await testNode(t, { name, home, ...options, update: { releaseKey, version: '0.1.0', target, installer } })
  return { node, installer, home }
}

async function joined (t: TestContext, admin: Desk, name: string, target: string, peers: Desk[] = [admin]): Promise<Desk> {
  const code = (await admin.node.createInvite({ role: 'member', expiresMs: 3_600_000 })).code
  return await desk(t, name, target, { join: code, peers: peers.map(p => addressOf(p.node)) })
}

const stream = (path: string): AsyncIterable<Uint8Array> => createReadStream(path)
const bytesOf = (bytes: Uint8Array): AsyncIterable<Uint8Array> => (async function * () { yield bytes })()

async function updateEntries (node: CausetteNode): Promise<Array<Record<string, string | number>>> {
  const entries = []
  for await (const line of node.exportJournal({})) {
    if (!line.startsWith('entry ')) continue
    const leaf = JSON.parse(Buffer.from(line.split(' ')[3]!, 'base64').toString()) as Record<string, string | number>
    if (leaf.kind === 'update') entries.push(leaf)
  }
  return entries
}

async function installedBy (d: Desk): Promise<VerifiedRelease> {
  return await eventually(() => d.installer.installed[0], 60_000, `${d.node.peerId.slice(-6)}'s installer called`)
}

async function checkInstalled (d: Desk, target: string): Promise<void> {
  const got = await installedBy(d)
  const file = release.manifest.files.find(f => f.target === target)!
  assert.deepEqual({ version: got.version, target: got.target, sha256: got.sha256 }, { version: '0.2.0', target, sha256: file.sha256 })
  assert.equal(createHash('sha256').update(await readFile(got.path)).digest('hex'), file.sha256, 'the file handed over is the signed one')
  assert.equal(d.installer.installed.length, 1)
}

describe('a release spreads across the office', () => {
  it('three desks on two platforms end with their own verified file, and status says what runs where', async (t) => {
    const alice = await desk(t, 'alice', 'linux-x64')
    await alice.node.createWorkspace('Acme')
    const bob = await joined(t, alice, 'bob', 'linux-x64')
    const carol = await joined(t, alice, 'carol', 'win-x64')
    await eventually(async () => (await alice.node.updateStatus()).desks.filter(d => d.version === '0.1.0').length === 3 || undefined, 30_000, 'every desk announced 0.1.0')
    assert.equal((await alice.node.updateStatus()).onNewest, 3)

    const applied = await alice.node.applyUpdate(stream(release.bundle))
    assert.deepEqual(applied.release, { version: '0.2.0', targets: ['linux-x64', 'win-x64', 'darwin-arm64'], held: ['linux-x64', 'win-x64', 'darwin-arm64'] })

    await checkInstalled(alice, 'linux-x64')
    await checkInstalled(bob, 'linux-x64')
    await checkInstalled(carol, 'win-x64')
    const status = await eventually(async () => { const s = await carol.node.updateStatus(); return s.download?.state === 'handed-over' ? s : undefined }, 30_000, "carol's status says handed over")
    assert.equal(status.release?.version, '0.2.0')
    assert.deepEqual(status.release?.held, ['win-x64'], 'a desk keeps only its own file')
    assert.equal(status.newest, '0.2.0')
    assert.equal(status.onNewest, 0, 'nobody runs 0.2.0 until its installer swapped it in')
    assert.ok((await updateEntries(carol.node)).some(e => e.action === 'fetched' && e.target === 'win-x64'))
    assert.ok((await updateEntries(alice.node)).some(e => e.action === 'applied' && e.version === '0.2.0'))
    const lines: string[] = []
    for await (const line of carol.node.exportJournal({})) lines.push(line)
    const report = await verifyExport(lines, nodeLogPrimitives)
    assert.ok((report.kinds.update ?? 0) >= 3, 'the update entries verify in an export (adopted, fetched, handed-over)')
    // And in the auditor's verifier, which is not our code.
    const file = join(carol.home, 'export.txt')
    await writeFile(file, lines.join('\n') + '\n')
    assert.match(execFileSync('python3', ['docs/examples/verify_journal.py', file], { encoding: 'utf8' }), /^OK/)
  })
})

describe('bad input is refused, journaled, and leaves nothing on disk', () => {
  let originalBytes: Uint8Array

  before(async () => { originalBytes = new Uint8Array(await readFile(release.bundle)) })

  async function refusedWith (t: TestContext, source: AsyncIterable<Uint8Array>, code: string): Promise<void> {
    const admin = await desk(t, 'admin', 'linux-x64')
    await admin.node.createWorkspace('Solo')
    const before = (await updateEntries(admin.node)).length
    await assert.rejects(admin.node.applyUpdate(source), { code })
    const after = await updateEntries(admin.node)
    assert.equal(after.length, before + 1)
    assert.deepEqual({ action: after.at(-1)!.action, code: after.at(-1)!.code }, { action: 'refused', code })
    assert.deepEqual(await readdir(join(admin.home, 'updates')).catch(() => []), [], 'nothing kept under updates/')
    assert.equal((await admin.node.updateStatus()).release, null)
  }

  it('a tampered file', async (t) => {
    const tampered = originalBytes.slice(); tampered[tampered.length - 5000]! ^= 0x20
    await refusedWith(t, bytesOf(tampered), 'UPDATE_TAMPERED')
  })
  it('a release signed by another key', async (t) => {
    const other = await makeRelease(join(root, 'other-key'), { version: '0.2.0', targets: ['linux-x64'], key: testReleaseKey('not-the-release-key') })
    await refusedWith(t, stream(other.bundle), 'UPDATE_BAD_SIGNATURE')
  })
  it('a downgrade', async (t) => {
    const older = await makeRelease(join(root, 'older'), { version: '0.0.9', targets: ['linux-x64'] })
    await refusedWith(t, stream(older.bundle), 'UPDATE_NOT_NEWER')
  })
  it('the version already running', async (t) => {
    const same = await makeRelease(join(root, 'same'), { version: '0.1.0', targets: ['linux-x64'] })
    await refusedWith(t, stream(same.bundle), 'UPDATE_NOT_NEWER')
  })
  it('a file for another platform', async (t) => {
    const mac = await makeRelease(join(root, 'mac'), { version: '0.2.0', targets: ['darwin-arm64'] })
    await refusedWith(t, stream(mac.bundle), 'UPDATE_WRONG_TARGET')
  })
  it('a truncated file', async (t) => {
    await refusedWith(t, bytesOf(originalBytes.slice(0, originalBytes.length - 100_000)), 'UPDATE_TRUNCATED')
  })
  it('a file that is not a release', async (t) => {
    await refusedWith(t, bytesOf(new TextEncoder().encode('#!/bin/sh\nrm -rf /\n')), 'UPDATE_BAD_BUNDLE')
  })
})

describe('members, pause and garbage', () => {
  it('a member can neither apply a release nor pause updates', async (t) => {
    const alice = await desk(t, 'alice', 'linux-x64')
    await alice.node.createWorkspace('Acme')
    const bob = await joined(t, alice, 'bob', 'linux-x64')
    await assert.rejects(bob.node.applyUpdate(stream(release.bundle)), { code: 'WORKSPACE_NOT_ADMIN' })
    await assert.rejects(bob.node.pauseUpdates(true), { code: 'WORKSPACE_NOT_ADMIN' })
    assert.deepEqual(await readdir(join(bob.home, 'updates')).catch(() => []), [])
    assert.ok((await updateEntries(bob.node)).some(e => e.action === 'refused' && e.code === 'WORKSPACE_NOT_ADMIN'))
    assert.equal((await alice.node.updateStatus()).paused, null)
  })

  it('while paused no desk fetches; on resume a colleague serving garbage is refused and another one serves the file', async (t) => {
    const alice = await desk(t, 'alice', 'linux-x64')
    await alice.node.createWorkspace('Acme')
    const carol = await joined(t, alice, 'carol', 'linux-x64')
    await alice.node.applyUpdate(stream(release.bundle))
    await checkInstalled(carol, 'linux-x64')

    await alice.node.pauseUpdates(true)
    await eventually(async () => (await carol.node.updateStatus()).paused ?? undefined, 30_000, 'carol knows of the pause')

    // Bob will ask the two holders in this order: the first serves garbage (a flipped byte in chunk 1).
    const bobHome = await tempHome(t)
    const code = (await alice.node.createInvite({ role: 'member', expiresMs: 3_600_000 })).code
    const bobPeerId = await peerIdOfHome(bobHome)
    const [liar, honest] = orderSources(bobPeerId, [alice.node.peerId, carol.node.peerId]).map(p => p === alice.node.peerId ? alice : carol)
    await corrupt(liar!, 'linux-x64')

    const bob = await desk(t, 'bob', 'linux-x64', { home: bobHome, join: code, peers: [addressOf(alice.node), addressOf(carol.node)] })
    assert.equal(bob.node.peerId, bobPeerId)
    const waiting = await eventually(async () => {
      const s = await bob.node.updateStatus()
      const heard = s.desks.filter(d => d.version !== null).length === 3
      return heard && s.release?.version === '0.2.0' && s.paused !== null && s.download?.state === 'paused' ? s : undefined
    }, 30_000, 'bob heard both holders and the pause, and holds off')
    assert.equal(waiting.download?.bytes, 0)
    assert.equal(bob.installer.installed.length, 0, 'nothing handed over while paused')
    assert.deepEqual(await readdir(join(bobHome, 'updates', 'partial')).catch(() => []), [], 'nothing fetched while paused')

    await alice.node.pauseUpdates(false)
    await checkInstalled(bob, 'linux-x64')
    const refusals = (await updateEntries(bob.node)).filter(e => e.action === 'refused')
    assert.deepEqual(refusals.map(e => ({ code: e.code, peer: e.peer })), [{ code: 'UPDATE_BAD_CHUNK', peer: liar!.node.peerId }])
    assert.ok(honest !== undefined)
  })
})

/** Flips a byte in the second chunk of the desk's stored file for `target` (same size: only proofs catch it). */
async function corrupt (d: Desk, target: string): Promise<void> {
  const file = release.manifest.files.find(f => f.target === target)!
  const path = join(d.home, 'updates', 'releases', '0.2.0', file.name)
  assert.equal((await stat(path)).size, file.size)
  const handle = await open(path, 'r+')
  try {
    const byte = Buffer.alloc(1)
    await handle.read(byte, 0, 1, 300_000)
    byte[0]! ^= 0xff
    await handle.write(byte, 0, 1, 300_000)
  } finally {
    await handle.close()
  }
}
