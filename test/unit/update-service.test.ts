// The update service alone, its colleagues played by the test: whose pause decisions count, a
// download that resumes where its proven chunks end, and a colleague's release by another key.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, it } from 'node:test'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import type { JournalEntry } from '../../core/journal/entry.js'
import type { Chunk, ChunkRequest } from '../../core/protocol/update-protocol.js'
import { CHUNK_BYTES, chunkCount, digestFile, inclusionProof } from '../../core/update/chunks.js'
import type { VerifiedRelease } from '../../core/update/installer.js'
import { signPauseDecision } from '../../core/update/pause.js'
import { ReleaseStore } from '../../core/update/release-store.js'
import { UpdateService } from '../../core/update/service.js'
import { eventually } from '../helpers/nodes.js'
import { makeRelease, testReleaseKey, type TestRelease } from '../helpers/release.js'
import { mountSmallDisk } from '../helpers/small-disk.js'

const device = (n: number) => { const seed = new Uint8Array(32).fill(n); const { publicKey } = ed25519FromSeed(seed); return { publicKey, sign: ed25519Signer(seed), peerId: ed25519PeerId(publicKey) } }
const admin = device(1)
const member = device(2)
const self = device(3)
let root: string
let release: TestRelease

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'causette-update-service-'))
  release = await makeRelease(join(root, 'r'), { version: '0.2.0', targets: ['linux-x64'] })
})
after(async () => { await rm(root, { recursive: true, force: true }) })

/** `liars` serve a flipped byte; `diskFullRetryMs` replaces the 30 s between tries on a full disk. */
function service (home: string, requests: ChunkRequest[] = [], install?: (release: VerifiedRelease) => Promise<void>, theirs?: Parameters<UpdateService['announced']>[1], { liars = new Set<string>(), diskFullRetryMs }: { liars?: Set<string>, diskFullRetryMs?: number } = {}) {
  const journal: JournalEntry[] = []
  const installed: VerifiedRelease[] = []
  const file = release.manifest.files[0]!
  const path = join(release.dir, file.name)
  const updates = new UpdateService({
    home,
    releaseKey: testReleaseKey().verifierKey,
    running: '0.1.0',
    target: 'linux-x64',
    installer: { description: 'test', install: async r => { installed.push(r); await install?.(r) } },
    self: { peerId: self.peerId, deviceKey: self.publicKey, sign: self.sign },
    workspaceId: () => 'ws1',
    isAdmin: peer => peer === admin.peerId,
    members: () => [admin, member, self].map((d, i) => ({ peerId: d.peerId, name: ['admin', 'member', 'self'][i]! })),
    connectedMembers: () => [admin.peerId, member.peerId],
    exchange: async () => { if (theirs === undefined) throw new Error('not connected in this test'); return theirs },
    chunks: async function * (peer, request) {
      requests.push(request)
      const { leaves } = await digestFile(path)
      const bytes = Uint8Array.from(await readFile(path))
      if (liars.has(peer)) bytes[request.first * CHUNK_BYTES] ^= 1 // a colleague serving a flipped byte
      for (let index = request.first; index < chunkCount(file.size); index++) {
        yield { index, data: bytes.subarray(index * CHUNK_BYTES, Math.min(file.size, (index + 1) * CHUNK_BYTES)), proof: inclusionProof(leaves, index), errorCode: '', errorMessage: '' } as Chunk
      }
    },
    journal: async entry => { journal.push(entry) },
    changed: () => {},
    log: () => {},
    now: () => 1_700_000_000_000,
    diskFullRetryMs
  })
  return { updates, journal, installed }
}

const announce = (fields: Partial<{ manifest: string, targets: string[], pauseDecision: Uint8Array, pauseSignature: Uint8Array }>) => ({
  running: '0.1.0', manifest: '', targets: [], pauseDecision: new Uint8Array(0), pauseSignature: new Uint8Array(0), ...fields
}) as Parameters<UpdateService['announced']>[1]

it("a member's pause decision is refused and journaled once; an admin's counts, and an older one does not undo it", async () => {
  const { updates, journal } = service(await mkdtemp(join(root, 'home-')))
  await updates.start()
  const byMember = signPauseDecision(member.sign, member.publicKey, { workspace: 'ws1', paused: true, issued: 10 })
  updates.announced(member.peerId, announce({ pauseDecision: byMember.bytes, pauseSignature: byMember.signature }))
  updates.announced(member.peerId, announce({ pauseDecision: byMember.bytes, pauseSignature: byMember.signature }))
  await eventually(() => journal.find(e => e.code === 'UPDATE_BAD_DECISION'), 10_000, 'the refusal journaled')
  assert.equal(updates.status().paused, null)

  const byAdmin = signPauseDecision(admin.sign, admin.publicKey, { workspace: 'ws1', paused: true, issued: 20 })
  updates.announced(member.peerId, announce({ pauseDecision: byAdmin.bytes, pauseSignature: byAdmin.signature })) // passed on by anyone
  await eventually(() => updates.status().paused ?? undefined, 10_000, 'paused')
  const older = signPauseDecision(admin.sign, admin.publicKey, { workspace: 'ws1', paused: false, issued: 15 })
  updates.announced(admin.peerId, announce({ pauseDecision: older.bytes, pauseSignature: older.signature }))
  const otherWorkspace = signPauseDecision(admin.sign, admin.publicKey, { workspace: 'ws2', paused: false, issued: 30 })
  updates.announced(admin.peerId, announce({ pauseDecision: otherWorkspace.bytes, pauseSignature: otherWorkspace.signature }))
  await eventually(() => journal.filter(e => e.code === 'UPDATE_BAD_DECISION').length === 2 || undefined, 10_000, 'the other workspace refused')
  assert.equal(updates.status().paused?.by, admin.peerId)
  assert.deepEqual(journal.map(e => [e.action, e.code]), [['refused', 'UPDATE_BAD_DECISION'], ['paused', undefined], ['refused', 'UPDATE_BAD_DECISION']])
})

it('a download resumes after the last proven chunk, dropping a chunk cut short', async () => {
  const home = await mkdtemp(join(root, 'home-'))
  const file = release.manifest.files[0]!
  const partial = new ReleaseStore(home).partialPath('0.2.0', file)
  await mkdir(dirname(partial), { recursive: true })
  const bytes = await readFile(join(release.dir, file.name))
  await writeFile(partial, bytes.subarray(0, CHUNK_BYTES + 100)) // one proven chunk and the start of the next
  const requests: ChunkRequest[] = []
  const { updates, installed, journal } = service(home, requests)
  await updates.start()
  updates.announced(admin.peerId, announce({ manifest: release.manifest.note, targets: ['linux-x64'] }))
  const got = await eventually(() => installed[0], 20_000, 'installed')
  assert.deepEqual(requests.map(r => r.first), [1])
  assert.equal(createHash('sha256').update(await readFile(got.path)).digest('hex'), file.sha256)
  assert.deepEqual(journal.map(e => e.action), ['adopted', 'fetched', 'handed-over'])
})

it("a colleague's release signed by another key is refused and journaled once", async () => {
  const other = await makeRelease(join(root, 'other'), { version: '0.3.0', targets: ['linux-x64'], key: testReleaseKey('another-key') })
  const { updates, journal } = service(await mkdtemp(join(root, 'home-')))
  await updates.start()
  for (let i = 0; i < 3; i++) updates.announced(member.peerId, announce({ manifest: other.manifest.note, targets: ['linux-x64'] }))
  await eventually(() => journal.find(e => e.code === 'UPDATE_BAD_SIGNATURE'), 10_000, 'the refusal journaled')
  assert.equal(journal.length, 1)
  assert.equal(updates.status().release, null)
})

it("a colleague's made-up manifests are journaled once: each distinct text was an entry of its own", async () => {
  const { updates, journal } = service(await mkdtemp(join(root, 'home-')))
  await updates.start()
  // Each refusal is journaled as the announce is taken (before its first wait): 50 were 50 entries.
  for (let i = 0; i < 50; i++) updates.announced(member.peerId, announce({ manifest: `not a manifest ${i}` }))
  await eventually(() => journal.find(e => e.action === 'refused'), 10_000, 'the refusal journaled')
  assert.deepEqual(journal.map(e => [e.action, e.peer]), [['refused', member.peerId]])
  // Another colleague's is its own entry.
  updates.announced(admin.peerId, announce({ manifest: 'not a manifest either' }))
  await eventually(() => journal.find(e => e.peer === admin.peerId), 10_000, 'the other refusal journaled')
  assert.equal(journal.length, 2)
})

it('an installer that refuses a version is shown as failed and not offered it again until the next start', async () => {
  const home = await mkdtemp(join(root, 'home-'))
  const holder = announce({ manifest: release.manifest.note, targets: ['linux-x64'] })
  const { updates, installed } = service(home, [], async () => { throw new Error('health check failed: rolled back') }, holder)
  await updates.start()
  await updates.greet(admin.peerId)
  await updates.idle()
  assert.equal(updates.status().download?.state, 'failed')
  assert.equal(updates.status().download?.error, 'health check failed: rolled back')
  await updates.greet(admin.peerId) // the colleague announces it again
  await updates.idle()
  assert.equal(installed.length, 1)

  const restarted = service(home)
  await restarted.updates.start()
  await eventually(() => restarted.installed[0], 20_000, 'offered again after a restart, from the file kept')
})

it('a colleague that served a chunk the manifest does not prove is not asked again for that release when it announces again: each announce was another fetch and another journal entry', async () => {
  const requests: ChunkRequest[] = []
  const { updates, journal, installed } = service(await mkdtemp(join(root, 'home-')), requests, undefined, undefined, { liars: new Set([member.peerId]) })
  await updates.start()
  const holding = announce({ manifest: release.manifest.note, targets: ['linux-x64'] })
  updates.announced(member.peerId, holding)
  await eventually(() => journal.find(e => e.code === 'UPDATE_BAD_CHUNK'), 10_000, 'the bad chunk journaled')
  for (let again = 0; again < 5; again++) {
    updates.announced(member.peerId, holding)
    await updates.idle()
  }
  await updates.idle()
  assert.deepEqual([requests.length, journal.filter(e => e.code === 'UPDATE_BAD_CHUNK').length], [1, 1])
  // An honest colleague still serves it.
  updates.announced(admin.peerId, holding)
  await eventually(() => installed[0], 20_000, 'installed from the honest colleague')
})

// Before, the download stopped on the full disk showed `waiting` ("for a colleague who has it") with
// no reason, and was tried again only at a colleague's next announce; a release learnt while the disk
// was full was not shown at all (its manifest could not be saved).
it('a release learnt and fetched on a full disk says so and what to do, and comes by itself once there is room', async (t) => {
  const disk = await mountSmallDisk(t, 2)
  const home = join(disk.path, 'home')
  await mkdir(home)
  const { updates, installed } = service(home, [], undefined, undefined, { diskFullRetryMs: 50 })
  t.after(() => { updates.stop() })
  await disk.fill()
  await updates.start()
  updates.announced(admin.peerId, announce({ manifest: release.manifest.note, targets: ['linux-x64'] }))
  const stopped = await eventually(() => updates.status().download?.error === undefined ? undefined : updates.status().download, 20_000, 'the download stopped')
  assert.equal(stopped?.state, 'waiting')
  assert.equal(updates.status().release?.version, '0.2.0', 'the release is shown')
  assert.match(stopped?.error ?? '', /^the disk is full: release 0\.2\.0 \(1 MiB\) cannot be downloaded; free some space and it resumes by itself/)

  await disk.free()
  const got = await eventually(() => installed[0], 20_000, 'installed once there is room, with no announce')
  assert.equal(createHash('sha256').update(await readFile(got.path)).digest('hex'), release.manifest.files[0]!.sha256)
})
