// A carrier's files (core/files/carried-files.ts) with real stores on disk and the real file protocol
// over in-memory streams: a file a deposit names is fetched from its author as a carried copy and
// served to the recipient, who opens it whole; nothing is fetched while the author is away, and it is
// once it connects; a file that does not fit the carrier's limit is not carried, and its log says so,
// nor one that would take its author past a quarter of that limit, while another author's still is;
// a carried copy is let go when no item names it (kept when handed over whole, until the sweep); an
// author serving a tampered chunk is reported and nothing of it is kept; an author naming files it
// does not hold gets at most MAX_CARRIED_PENDING_PER_AUTHOR of them tried.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { format as formatLog } from 'node:util'
import { test, type TestContext } from 'node:test'
import { AttachmentStore } from '../../core/files/attachment-store.js'
import { CarriedFiles, type CarriedFilesComponents } from '../../core/files/carried-files.js'
import { attachmentId, type AttachmentDescriptor } from '../../core/files/descriptor.js'
import { fetchFile, type HolderFault } from '../../core/files/fetcher.js'
import { encryptFileToStore } from '../../core/files/file-encryptor.js'
import { saveAttachment } from '../../core/files/file-decryptor.js'
import type { ChunkHolder, HolderLink } from '../../core/protocol/file-ports.js'
import { CARRIED_FILES_SHARE_PER_AUTHOR, MAX_CARRIED_PENDING_PER_AUTHOR } from '../../core/protocol/limits.js'
import { fromHex } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { misbehaving, pairedLink, tamper } from '../helpers/file-links.js'
import { eventually, tempHome } from '../helpers/nodes.js'

const FILE_BYTES = 3 * 256 * 1024 + 1234
const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

interface Author { store: AttachmentStore, descriptor: AttachmentDescriptor, id: string, data: Uint8Array }

async function author (t: TestContext): Promise<Author> {
  const home = await tempHome(t)
  const store = await AttachmentStore.open(home)
  return { store, ...await sealedFile(home, store, FILE_BYTES) }
}

/** A file of `bytes` random bytes sealed into `store` as the user's own. */
async function sealedFile (home: string, store: AttachmentStore, bytes: number): Promise<{ descriptor: AttachmentDescriptor, id: string, data: Uint8Array }> {
  const data = randomBytes(bytes)
  const path = join(home, `report-${attachmentsSealed++}.pdf`)
  await writeFile(path, data)
  const descriptor = await encryptFileToStore(store, { path, type: 'application/pdf' })
  return { descriptor, id: attachmentId(descriptor), data }
}
let attachmentsSealed = 0

async function carrier (t: TestContext, holders: Record<string, ChunkHolder>, options: { limitBytes?: number, now?: () => number } = {}) {
  const home = await tempHome(t)
  const store = await AttachmentStore.open(home, { limitBytes: options.limitBytes })
  const connected = new Set(Object.keys(holders))
  const logged: string[] = []
  const faults: HolderFault[] = []
  const components: CarriedFilesComponents = {
    store,
    holderLink: (peer: string): HolderLink => pairedLink(peer, holders[peer]!),
    isConnected: peer => connected.has(peer),
    log: (format, ...args) => { logged.push(formatLog(format.replaceAll('%e', '%s'), ...args)) },
    onHolderFault: fault => { faults.push(fault) },
    now: options.now,
    ttlMs: 60_000
  }
  return { files: new CarriedFiles(components), store, home, connected, logged, faults }
}

/** The recipient fetches the file from `holder` alone and opens it: the bytes the author sent. */
async function recipientOpens (t: TestContext, holder: ChunkHolder, from: Author): Promise<string> {
  const home = await tempHome(t)
  const store = await AttachmentStore.open(home)
  await fetchFile({ fileId: from.id, chunksSha256: fromHex(from.id) }, { sink: store.sink(from.id, 'mine'), holders: () => [pairedLink('carla', holder)] })
  await saveAttachment(store, from.descriptor, join(home, 'saved'))
  return sha(await readFile(join(home, 'saved')))
}

test('a file a deposit names is carried from its author and served to the recipient whole', async (t) => {
  const alice = await author(t)
  const carla = await carrier(t, { alice: alice.store })
  carla.files.carry('alice', [alice.id])
  await carla.files.idle()
  assert.deepEqual(carla.store.state(alice.id), { owner: 'carried', complete: true })
  assert.equal(carla.store.usage().carriedFiles, 1)
  assert.equal(await recipientOpens(t, carla.store, alice), sha(alice.data), 'the recipient opened the author\'s bytes from the carrier alone')
})

test('while the author is away nothing is fetched; once it connects, the file is', async (t) => {
  const alice = await author(t)
  const carla = await carrier(t, { alice: alice.store })
  carla.connected.clear()
  carla.files.carry('alice', [alice.id])
  await carla.files.idle()
  assert.equal(carla.store.state(alice.id), undefined)
  carla.connected.add('alice')
  carla.files.connected('bruno') // someone else: nothing to do
  await carla.files.idle()
  assert.equal(carla.store.state(alice.id), undefined)
  carla.files.connected('alice')
  await carla.files.idle()
  assert.deepEqual(carla.store.state(alice.id), { owner: 'carried', complete: true })
})

test('a file over the carrier\'s limit is not carried, says the log, and leaves nothing behind', async (t) => {
  const alice = await author(t)
  const limitBytes = 12 * FILE_BYTES
  const carla = await carrier(t, { alice: alice.store }, { limitBytes })
  // Carla's own files leave less room than Alice's file needs, which is within Alice's share.
  await sealedFile(carla.home, carla.store, limitBytes - FILE_BYTES)
  carla.files.carry('alice', [alice.id])
  await carla.files.idle()
  assert.equal(carla.store.state(alice.id), undefined)
  assert.deepEqual(carla.store.usage().carriedBytes, 0)
  assert.match(carla.logged.join('\n'), new RegExp(`the file ${alice.id} is not carried: the profile's file limit .* the message is carried without it`))
  carla.files.connected('alice') // not tried again
  await carla.files.idle()
  assert.equal(carla.logged.length, 1)
})

test('one author\'s carried files take at most a quarter of the carrier\'s limit; another author\'s are still carried', async (t) => {
  const alice = await author(t)
  const more = [await sealedFile(await tempHome(t), alice.store, FILE_BYTES), await sealedFile(await tempHome(t), alice.store, FILE_BYTES)]
  const bruno = await author(t)
  const limitBytes = 10 * FILE_BYTES // a share of 2.5 files
  assert.equal(CARRIED_FILES_SHARE_PER_AUTHOR, 1 / 4)
  const carla = await carrier(t, { alice: alice.store, bruno: bruno.store }, { limitBytes })
  carla.files.carry('alice', [alice.id, ...more.map(file => file.id)])
  await carla.files.idle()
  assert.deepEqual([alice.id, more[0]!.id].map(id => carla.store.state(id)), [{ owner: 'carried', complete: true }, { owner: 'carried', complete: true }])
  assert.equal(carla.store.state(more[1]!.id), undefined, 'the third would take Alice past her share')
  assert.match(carla.logged.join('\n'), new RegExp(`the file ${more[1]!.id} is not carried: alice's carried files would take \\d+ bytes here, over their share of the file limit \\(${Math.floor(limitBytes / 4)} bytes\\)`))
  carla.files.carry('bruno', [bruno.id])
  await carla.files.idle()
  assert.deepEqual(carla.store.state(bruno.id), { owner: 'carried', complete: true }, 'Bruno\'s file still fits: Alice took only her share')
  assert.equal(await recipientOpens(t, carla.store, bruno), sha(bruno.data))
})

test('a carried copy goes when no item names it; one handed over whole stays until the sweep', async (t) => {
  const alice = await author(t)
  const clock = { now: Date.now() }
  const carla = await carrier(t, { alice: alice.store }, { now: () => clock.now })
  carla.files.carry('alice', [alice.id])
  await carla.files.idle()
  carla.files.release(alice.id, true)
  assert.deepEqual(carla.store.state(alice.id), { owner: 'carried', complete: true }, 'kept for the recipient to fetch')
  assert.equal(await carla.files.sweep(), 0, 'not stale yet')
  clock.now += 61_000
  assert.equal(await carla.files.sweep(), 1)
  assert.equal(carla.store.state(alice.id), undefined)

  carla.files.carry('alice', [alice.id])
  await carla.files.idle()
  carla.files.release(alice.id, false) // expired or refused: no recipient will come for it
  await waitUntil(() => carla.store.state(alice.id) === undefined)
})

test('the user\'s own file of the same id is never dropped as a carried copy', async (t) => {
  const alice = await author(t)
  const carla = await carrier(t, { alice: alice.store })
  await fetchFile({ fileId: alice.id, chunksSha256: fromHex(alice.id) }, { sink: carla.store.sink(alice.id, 'mine'), holders: () => [pairedLink('alice', alice.store)] })
  carla.files.carry('alice', [alice.id])
  await carla.files.idle()
  carla.files.release(alice.id, false)
  assert.equal(await carla.files.sweep(), 0)
  assert.deepEqual(carla.store.state(alice.id), { owner: 'mine', complete: true })
})

test('an author serving a tampered chunk is reported, and nothing of the chunk is kept', async (t) => {
  const alice = await author(t)
  const carla = await carrier(t, { alice: misbehaving(alice.store, tamper(2)) })
  carla.files.carry('alice', [alice.id])
  await carla.files.idle()
  assert.deepEqual(carla.faults.map(f => [f.peer, f.fileId, f.code]), [['alice', alice.id, 'TRANSFER_BAD_CHUNK']])
  assert.equal(carla.store.state(alice.id)?.complete, false)
  assert.equal(carla.store.nextChunk(alice.id), 2, 'the chunks before the tampered one are kept, it is not')
})

/** Waits for a removal started without awaiting (the port's calls are fire and forget). */
async function waitUntil (done: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise(resolve => setImmediate(resolve))
  }
}

test('an author naming files it does not hold gets a bounded number of them tried, each connection', async (t) => {
  const alice = await author(t)
  const asked: string[] = []
  const counting: ChunkHolder = { chunkList: async id => { asked.push(id); return await alice.store.chunkList(id) }, readChunk: async (id, index) => await alice.store.readChunk(id, index) }
  const carla = await carrier(t, { alice: counting, dora: alice.store })
  const bogus = Array.from({ length: 3 * MAX_CARRIED_PENDING_PER_AUTHOR }, (_, n) => 'e' + n.toString(16).padStart(63, '0'))
  for (let at = 0; at < bogus.length; at += 20) carla.files.carry('alice', bogus.slice(at, at + 20))
  await carla.files.idle()
  assert.equal(asked.length, MAX_CARRIED_PENDING_PER_AUTHOR, 'the rest were not taken')
  assert.match(carla.logged.join('\n'), /alice names more files than we fetch at once/)
  carla.files.connected('alice')
  await carla.files.idle()
  assert.equal(asked.length, 2 * MAX_CARRIED_PENDING_PER_AUTHOR, 'tried again at its next connection, no more')
  // Another author is not held up by the first.
  carla.files.carry('dora', [alice.id])
  await carla.files.idle()
  assert.deepEqual(carla.store.state(alice.id), { owner: 'carried', complete: true })
})

test('an author whose files come slowly holds up its own carried files only: authors take turns at the one fetch', async (t) => {
  // One carried fetch runs at a time, and it was first come, first served: a depositor naming
  // files it serves slowly (FILE_IDLE_MS a frame) kept every other author's carried files waiting.
  const alice = await author(t)
  const answers: Array<() => void> = []
  const slow: ChunkHolder = {
    chunkList: async () => { await new Promise<void>(resolve => { answers.push(resolve) }); return undefined },
    readChunk: async () => undefined
  }
  t.after(() => { for (const answer of answers) answer() })
  const carla = await carrier(t, { mallory: slow, alice: alice.store })
  const madeUp = (): string => Buffer.from(randomBytes(32)).toString('hex')
  carla.files.carry('mallory', [madeUp(), madeUp(), madeUp()])
  carla.files.carry('alice', [alice.id])
  await eventually(() => answers.length === 1 || undefined, 10_000, 'Mallory asked first')
  answers[0]!() // Mallory's first: not held, after a while
  await eventually(() => answers.length === 2 || undefined, 10_000, 'Mallory asked again')
  assert.equal(carla.store.state(alice.id)?.complete, true, 'Alice\'s file came before Mallory\'s next one was asked for')
})
