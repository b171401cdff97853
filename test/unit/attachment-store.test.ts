// The attachment store (core/files/attachment-store.ts) with the file cipher: a file sealed into the
// store and saved back is the same bytes; a recipient's store takes only chunks its verified chunk
// list names and resumes after a restart where it stopped; carried copies are evicted, oldest first,
// before anything the user's own, and a write that would not fit even then is refused, losing nothing.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { appendFile, mkdir, open, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { randomBytes } from '../../crypto/random.js'
import { AttachmentStore } from '../../core/files/attachment-store.js'
import { attachmentId, type AttachmentDescriptor } from '../../core/files/descriptor.js'
import { encryptFileToStore } from '../../core/files/file-encryptor.js'
import { saveAttachment } from '../../core/files/file-decryptor.js'
import { chunkListSha256, type ChunkEntry, type ChunkHolder, type ChunkSink } from '../../core/protocol/file-ports.js'
import { ChunkWriter, WriterClosedError } from '../../core/files/chunk-file.js'
import { equals } from '../../crypto/encoding.js'
import { sha256 as sha256Of } from '../../crypto/sha256.js'
import { encodeHeldRecord } from '../../core/files/held-log.js'
import { DEFAULT_FILE_LIMIT_BYTES } from '../../core/profile/settings.js'
import { tempHome } from '../helpers/nodes.js'
import { damageStoredChunk, heldChunkIndexes, heldRecords } from '../helpers/stored-chunks.js'

const CHUNK = 256 * 1024

async function plainFile (t: TestContext, bytes: number, name = 'plain.bin'): Promise<{ path: string, data: Uint8Array }> {
  const dir = await tempHome(t, 'causette-files-src-')
  const data = randomBytes(bytes)
  const path = join(dir, name)
  await writeFile(path, data)
  return { path, data }
}

async function sealed (t: TestContext, store: AttachmentStore, bytes: number): Promise<{ descriptor: AttachmentDescriptor, data: Uint8Array }> {
  const { path, data } = await plainFile(t, bytes)
  return { descriptor: await encryptFileToStore(store, { path, type: 'application/octet-stream' }), data }
}

/** What the transfer does, through the ports only: the chunk list, then chunks from `from`, in order from where `to` resumes. */
async function transfer (from: ChunkHolder, to: ChunkSink, id: string, upTo = Infinity): Promise<void> {
  try {
    const list = (await to.chunkList()) ?? (await from.chunkList(id))!
    await to.saveChunkList(list)
    for (let index = await to.nextChunk(); index < Math.min(list.length, upTo); index++) {
      await to.writeChunk(index, (await from.readChunk(id, index))!)
    }
    if (upTo >= list.length) await to.complete()
  } finally {
    await to.end?.()
  }
}

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

test('a store opened without a limit takes the default of a profile\'s settings (5 GiB)', async (t) => {
  const store = await AttachmentStore.open(await tempHome(t))
  assert.equal(store.usage().limitBytes, DEFAULT_FILE_LIMIT_BYTES)
})

test('a file sealed into the store and saved back is the same bytes; the store holds only ciphertext', async (t) => {
  const home = await tempHome(t)
  const store = await AttachmentStore.open(home)
  for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17]) {
    const { descriptor, data } = await sealed(t, store, size)
    assert.equal(descriptor.sha256, sha(data))
    assert.equal(descriptor.chunkCount, Math.max(1, Math.ceil(size / CHUNK)))
    assert.deepEqual(store.state(attachmentId(descriptor)), { owner: 'mine', complete: true })
    const out = join(home, `out-${size}`)
    await saveAttachment(store, descriptor, out)
    assert.equal(sha(await readFile(out)), descriptor.sha256)
    if (size >= 64) {
      const stored = await readFile(join(home, 'files', attachmentId(descriptor), 'data'))
      assert.equal(stored.indexOf(Buffer.from(data.subarray(0, 32))), -1, 'no plaintext on disk')
    }
  }
  const onDisk = await readdir(join(home, 'files'))
  assert.equal(onDisk.filter(name => name !== '.tmp').length, 6)
  assert.deepEqual(await readdir(join(home, 'files', '.tmp')), [], 'no draft left behind')
})

test('a recipient takes the chunks through the ports, resumes after a restart, and de-duplicates', async (t) => {
  const author = await AttachmentStore.open(await tempHome(t))
  const { descriptor, data } = await sealed(t, author, 5 * CHUNK + 3)
  const id = attachmentId(descriptor)
  const home = await tempHome(t)
  let recipient = await AttachmentStore.open(home)
  await transfer(author, recipient.sink(id, 'mine'), id, 3)
  assert.equal(recipient.nextChunk(id), 3)
  assert.deepEqual(recipient.state(id), { owner: 'mine', complete: false })
  await assert.rejects(recipient.complete(id), { code: 'FILE_NOT_HELD' })
  await assert.rejects(saveAttachment(recipient, descriptor, join(home, 'early')), { code: 'FILE_NOT_HELD' })

  // A crash mid-write leaves a temporary file, chunk 3 cut short in the data file with its held record
  // (a power cut keeps a record without its data), and a torn record: none counts after a restart.
  await writeFile(join(home, 'files', '.tmp', 'write-deadbeef'), randomBytes(1000))
  const dataFile = await open(join(home, 'files', id, 'data'), 'r+')
  await dataFile.write((await author.readChunk(id, 3))!.subarray(0, 1000), 0, 1000, 3 * (await author.chunkList(id))![0]!.bytes)
  await dataFile.close()
  await appendFile(join(home, 'files', id, 'held'), Buffer.concat([encodeHeldRecord({ kind: 'held', index: 3 }), Buffer.from([1, 2, 3])]))
  recipient = await AttachmentStore.open(home)
  assert.equal(recipient.nextChunk(id), 3, 'resumes at the first chunk not verified')
  assert.deepEqual(await heldChunkIndexes(home, id), [0, 1, 2], 'the log is rewritten to what was found')
  assert.deepEqual(await readdir(join(home, 'files', '.tmp')), [])
  await transfer(author, recipient.sink(id, 'mine'), id)
  assert.deepEqual(recipient.state(id), { owner: 'mine', complete: true })
  const out = join(home, 'saved')
  await saveAttachment(recipient, descriptor, out)
  assert.deepEqual(new Uint8Array(await readFile(out)), data)

  // The same attachment again: stored once.
  const before = recipient.usage()
  await transfer(author, recipient.sink(id, 'mine'), id)
  assert.deepEqual(recipient.usage(), before)
})

test('a chunk or chunk list that is not the one the id names is refused and not written', async (t) => {
  const author = await AttachmentStore.open(await tempHome(t))
  const { descriptor } = await sealed(t, author, 2 * CHUNK + 1)
  const other = await sealed(t, author, 2 * CHUNK + 1)
  const id = attachmentId(descriptor)
  const home = await tempHome(t)
  const recipient = await AttachmentStore.open(home)
  const sink = recipient.sink(id, 'carried')
  await assert.rejects(sink.saveChunkList((await author.chunkList(attachmentId(other.descriptor)))!), { code: 'FILE_BAD_CHUNK_LIST' })
  await assert.rejects(sink.writeChunk(0, (await author.readChunk(id, 0))!), { code: 'FILE_NOT_HELD' }, 'no chunk before its list')
  await sink.saveChunkList((await author.chunkList(id))!)
  const chunk = (await author.readChunk(id, 0))!
  const tampered = Uint8Array.from(chunk)
  tampered[100]! ^= 1
  await assert.rejects(sink.writeChunk(0, tampered), { code: 'FILE_BAD_CHUNK' })
  await assert.rejects(sink.writeChunk(0, (await author.readChunk(attachmentId(other.descriptor), 0))!), { code: 'FILE_BAD_CHUNK' }, 'a chunk of another file')
  await assert.rejects(sink.writeChunk(1, chunk), { code: 'FILE_BAD_CHUNK' }, 'a chunk at another index')
  await assert.rejects(sink.writeChunk(3, chunk), { code: 'FILE_BAD_CHUNK' })
  assert.equal(recipient.nextChunk(id), 0)
  assert.deepEqual((await readdir(join(home, 'files', id))).sort(), ['chunks', 'meta.json'])
})

test('a chunk damaged on disk is refused when the file is saved, and nothing is written', async (t) => {
  const home = await tempHome(t)
  const store = await AttachmentStore.open(home)
  const { descriptor } = await sealed(t, store, CHUNK + 5)
  await damageStoredChunk(home, attachmentId(descriptor), 1, 3)
  const chunk = (await store.readChunk(attachmentId(descriptor), 1))!
  await mkdir(join(home, 'out'))
  await assert.rejects(saveAttachment(store, descriptor, join(home, 'out', 'x.bin')), { code: 'FILE_BAD_CHUNK' })
  assert.deepEqual(await readdir(join(home, 'out')), [], 'no partial file left')
  await assert.rejects(saveAttachment(store, { ...descriptor, sha256: '0'.repeat(64) }, join(home, 'out', 'y.bin')), { code: 'FILE_BAD_CHUNK' })
  // Dropped, it is the chunk to fetch again; the rest stays.
  const before = store.usage().mineBytes
  await store.dropChunk(attachmentId(descriptor), 1)
  assert.equal(store.nextChunk(attachmentId(descriptor)), 1)
  assert.deepEqual(store.state(attachmentId(descriptor)), { owner: 'mine', complete: false })
  assert.equal(store.usage().mineBytes, before - chunk.length)
  assert.equal((await AttachmentStore.open(home)).nextChunk(attachmentId(descriptor)), 1, 'still dropped after a restart')
})

test('a file whose plaintext is not the one its descriptor states is refused at the end', async (t) => {
  const home = await tempHome(t)
  const store = await AttachmentStore.open(home)
  const { descriptor } = await sealed(t, store, 1000)
  await mkdir(join(home, 'out'))
  await assert.rejects(saveAttachment(store, { ...descriptor, sha256: '0'.repeat(64) }, join(home, 'out', 'x')), { code: 'FILE_HASH_MISMATCH' })
  assert.deepEqual(await readdir(join(home, 'out')), [])
})

test('over the limit, carried copies go oldest first; the user\'s own never; then writes are refused and nothing is lost', async (t) => {
  const author = await AttachmentStore.open(await tempHome(t))
  const files = []
  for (let i = 0; i < 4; i++) files.push(await sealed(t, author, 2 * CHUNK))
  const ids = files.map(f => attachmentId(f.descriptor))
  const fileBytes = author.usage().mineBytes / 4
  const home = await tempHome(t)
  const store = await AttachmentStore.open(home, { limitBytes: Math.floor(3.5 * fileBytes) })
  await transfer(author, store.sink(ids[0]!, 'carried'), ids[0]!)
  await transfer(author, store.sink(ids[1]!, 'carried'), ids[1]!)
  await transfer(author, store.sink(ids[2]!, 'mine'), ids[2]!)
  assert.deepEqual(store.usage(), { limitBytes: Math.floor(3.5 * fileBytes), mineBytes: fileBytes, carriedBytes: 2 * fileBytes, mineFiles: 1, carriedFiles: 2 })

  // Room for a fourth file of the user's: the oldest carried copy goes, the other stays.
  await transfer(author, store.sink(ids[3]!, 'mine'), ids[3]!)
  assert.equal(store.state(ids[0]!), undefined)
  assert.deepEqual(store.state(ids[1]!), { owner: 'carried', complete: true })
  assert.deepEqual(await readdir(join(home, 'files')).then(names => names.includes(ids[0]!)), false)

  // The limit lowered under the user's own files: a carried write refuses, and evicts nothing to try.
  store.setLimit(2 * fileBytes + 10)
  const extra = await sealed(t, author, CHUNK)
  const extraId = attachmentId(extra.descriptor)
  await assert.rejects(transfer(author, store.sink(extraId, 'mine'), extraId), { code: 'FILE_STORE_FULL' })
  assert.deepEqual(store.state(ids[1]!), { owner: 'carried', complete: true }, 'evicting it would not have made room: kept')
  // Nothing stored was lost: every file still saves.
  for (const i of [1, 2, 3]) {
    const out = join(home, `saved-${i}`)
    await saveAttachment(store, files[i]!.descriptor, out)
    assert.equal(sha(await readFile(out)), files[i]!.descriptor.sha256)
  }
  // A new limit that fits lets the paused file go on where it stopped.
  store.setLimit(10 * fileBytes)
  await transfer(author, store.sink(extraId, 'mine'), extraId)
  assert.deepEqual(store.state(extraId), { owner: 'mine', complete: true })
})

test('a carried copy the user then receives becomes theirs, and is no longer evicted', async (t) => {
  const author = await AttachmentStore.open(await tempHome(t))
  const { descriptor } = await sealed(t, author, CHUNK)
  const id = attachmentId(descriptor)
  const home = await tempHome(t)
  const store = await AttachmentStore.open(home)
  await transfer(author, store.sink(id, 'carried'), id)
  await store.begin(id, 'mine')
  assert.deepEqual(store.state(id), { owner: 'mine', complete: true })
  const reopened = await AttachmentStore.open(home)
  assert.deepEqual(reopened.state(id), { owner: 'mine', complete: true }, 'kept across a restart')
  assert.equal(reopened.usage().mineFiles, 1)
})

test('the store serves held chunks and lists through ChunkHolder, and nothing it does not hold', async (t) => {
  const store = await AttachmentStore.open(await tempHome(t))
  const holder: ChunkHolder = store
  const { descriptor } = await sealed(t, store, CHUNK + 1)
  const id = attachmentId(descriptor)
  assert.equal((await holder.chunkList(id))!.length, 2)
  assert.ok(await holder.readChunk(id, 1))
  assert.equal(await holder.readChunk(id, 2), undefined)
  assert.equal(await holder.chunkList('0'.repeat(64)), undefined)
  assert.equal(await holder.readChunk('0'.repeat(64), 0), undefined)
})

test('a draft whose ciphertext is stored already is dropped for that copy, which becomes the user\'s', async (t) => {
  const author = await AttachmentStore.open(await tempHome(t))
  const { descriptor } = await sealed(t, author, 2 * CHUNK + 9)
  const id = attachmentId(descriptor)
  const home = await tempHome(t)
  const store = await AttachmentStore.open(home)
  await transfer(author, store.sink(id, 'carried'), id)
  const before = store.usage()
  const draft = await store.draft()
  for (let index = 0; index < descriptor.chunkCount; index++) await draft.append((await author.readChunk(id, index))!)
  assert.equal(await draft.commit(), id)
  assert.deepEqual(store.state(id), { owner: 'mine', complete: true })
  assert.deepEqual(store.usage(), { ...before, mineBytes: before.carriedBytes, carriedBytes: 0, mineFiles: 1, carriedFiles: 0 })
  assert.deepEqual(await readdir(join(home, 'files', '.tmp')), [])
  // A discarded draft leaves nothing, counted or on disk.
  const dropped = await store.draft()
  await dropped.append(randomBytes(1000))
  await dropped.discard()
  assert.deepEqual(store.usage(), { ...before, mineBytes: before.carriedBytes, carriedBytes: 0, mineFiles: 1, carriedFiles: 0 })
  assert.deepEqual(await readdir(join(home, 'files', '.tmp')), [])
})

test('chunks given at once are counted in the order given: a full store refuses the later ones, never an earlier one', async (t) => {
  const author = await AttachmentStore.open(await tempHome(t))
  const { descriptor } = await sealed(t, author, 4 * CHUNK)
  const id = attachmentId(descriptor)
  const list = (await author.chunkList(id))!
  const chunks = await Promise.all(list.map(async (_, index) => (await author.readChunk(id, index))!))
  for (let round = 0; round < 24; round++) { // the lookups of the chunks' list entries end in any order
    const store = await AttachmentStore.open(await tempHome(t))
    const sink = store.sink(id, 'mine')
    await sink.saveChunkList(list)
    store.setLimit(store.usage().mineBytes + 3 * chunks[0]!.byteLength)
    const outcomes = await Promise.allSettled(chunks.map(async (chunk, index) => { await sink.writeChunk(index, chunk) }))
    assert.deepEqual(outcomes.map(outcome => outcome.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected'], `round ${round}`)
    assert.equal(await sink.nextChunk(), 3)
  }
})

test('a chunk list whose chunks but the last are not all one length is refused: the store places chunk i at i x the first', async (t) => {
  const store = await AttachmentStore.open(await tempHome(t))
  const entry = (bytes: number): ChunkEntry => ({ bytes, sha256: new Uint8Array(32).fill(bytes % 251) })
  for (const shape of [[CHUNK + 16, CHUNK, CHUNK + 16], [CHUNK + 16, CHUNK + 32], [CHUNK, CHUNK + 16, 100]]) {
    const list = shape.map(entry)
    const id = Buffer.from(chunkListSha256(list)).toString('hex')
    await assert.rejects(store.sink(id, 'mine').saveChunkList(list), { code: 'FILE_BAD_CHUNK_LIST' }, shape.join(', '))
  }
  const fine = [CHUNK + 16, CHUNK + 16, 100].map(entry)
  await store.sink(Buffer.from(chunkListSha256(fine)).toString('hex'), 'mine').saveChunkList(fine)
})

test('chunks written together land where they belong and each is recorded once; a writer closing refuses more', async (t) => {
  const author = await AttachmentStore.open(await tempHome(t))
  const { descriptor } = await sealed(t, author, 9 * CHUNK + 5)
  const id = attachmentId(descriptor)
  const list = (await author.chunkList(id))!
  const home = await tempHome(t)
  const store = await AttachmentStore.open(home)
  const sink = store.sink(id, 'mine')
  await sink.saveChunkList(list)
  // Out of order and all at once, as a fetcher with chunks under way and a resumed gap would give them.
  const order = [3, 0, 1, 2, 9, 4, 5, 8, 6, 7]
  await Promise.all(order.map(async index => { await sink.writeChunk(index, (await author.readChunk(id, index))!) }))
  await sink.complete()
  assert.deepEqual((await heldRecords(home, id)).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  const reopened = await AttachmentStore.open(home)
  for (let index = 0; index < list.length; index++) {
    assert.ok(equals(sha256Of((await reopened.readChunk(id, index))!), list[index]!.sha256), `chunk ${index} at its place`)
  }
  const writer = await ChunkWriter.open(join(home, 'files', id))
  const closing = writer.close()
  await assert.rejects(writer.write(0, 0, [new Uint8Array(1)]), WriterClosedError)
  await closing
})

test('a holder\'s run reads through one open data file: chunks held meanwhile too, and nothing once the file is removed', async (t) => {
  const author = await AttachmentStore.open(await tempHome(t))
  const { descriptor } = await sealed(t, author, 3 * CHUNK + 17)
  const id = attachmentId(descriptor)
  const store = await AttachmentStore.open(await tempHome(t))
  await transfer(author, store.sink(id, 'carried'), id, 2) // a colleague still fetching it: chunks 0 and 1
  const source = await store.openChunks(id)
  assert.ok(equals((await source.read(1))!, (await author.readChunk(id, 1))!), 'a held chunk is read')
  assert.equal(await source.read(2), undefined, 'a chunk not held yet is not')
  await transfer(author, store.sink(id, 'carried'), id) // the fetch goes on while the run is open
  assert.ok(equals((await source.read(3))!, (await author.readChunk(id, 3))!), 'a chunk held since the run began is read through it')
  const reading = source.read(0)
  await store.remove(id) // waits for the run's reader: on Windows its folder could not go while the file is open
  const read = await reading
  assert.ok(read === undefined || equals(read, (await author.readChunk(id, 0))!), 'a read under way when the file went ends whole or finds nothing, never other bytes')
  assert.equal(await source.read(0), undefined, 'once removed, the run reads nothing')
  await source.close()
  assert.equal(await (await store.openChunks(id)).read(0), undefined, 'a run of a file not held reads nothing')
})
