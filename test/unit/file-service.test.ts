// The files service without a network (core/files/file-service.ts): staged files (kept a day, then
// dropped with their chunks unless a message carries them), attachment records kept in their table
// across a reload, the states of a fetch with no holder, cancel and retry, and the progress gate.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { AttachmentStore } from '../../core/files/attachment-store.js'
import type { AttachmentRecord, AttachmentStatus } from '../../core/files/attachment-index.js'
import { fileIdOf } from '../../core/files/file-id.js'
import { FileService } from '../../core/files/file-service.js'
import { ProgressGate } from '../../core/files/progress.js'
import { memoryTable } from '../../core/files/record-table.js'
import { STAGED_FOR_MS, type StagedValue } from '../../core/files/staged-files.js'

const ALICE = '12D3KooWAlice'
const BRUNO = '12D3KooWBruno'

async function * once (bytes: Uint8Array): AsyncGenerator<Uint8Array> { yield bytes }

async function service (t: TestContext, tables = { records: memoryTable<AttachmentRecord>(), staged: memoryTable<StagedValue>() }, clock = { now: 1_000_000 }, self = ALICE) {
  const home = await mkdtemp(join(tmpdir(), 'causette-files-'))
  t.after(async () => { await rm(home, { recursive: true, force: true }) })
  const store = await AttachmentStore.open(home)
  const changes: AttachmentStatus[] = []
  const files = await FileService.load({
    store,
    ...tables,
    self,
    connectedMembers: () => [],
    holderLink: () => { throw new Error('no holder is asked: nobody is connected') },
    holderFault: () => {},
    changed: status => { changes.push(status) },
    now: () => clock.now,
    log: () => {}
  })
  t.after(() => { files.stop() })
  return { files, store, tables, clock, changes, home }
}

/** The content id (the store's) of a staged file. */
function contentOf (files: FileService, id: string): string {
  return files.bodyAttachments([{ file: id }])[0]!.chunksSha256
}

test('a staged file is the user\'s in the store until sent; unsent, it goes after a day with its chunks', async (t) => {
  const { files, store, clock } = await service(t)
  const bytes = randomBytes(300_000)
  const staged = await files.stage({ name: 'a/b.txt', type: 'Text/Plain; charset=utf-8', content: once(bytes) })
  assert.deepEqual([staged.name, staged.size, staged.type], ['a_b.txt', bytes.length, 'text/plain'])
  const content = contentOf(files, staged.id)
  assert.deepEqual(store.state(content), { owner: 'mine', complete: true })
  const [attachment] = files.bodyAttachments([{ file: staged.id, width: 10, height: 20 }])
  assert.equal(fileIdOf(ALICE, attachment!.chunksSha256), staged.id, 'a staged file has the id its message of ours will show')
  assert.equal(attachment?.width, 10)
  assert.throws(() => files.bodyAttachments([{ file: 'f'.repeat(64) }]), { code: 'NOT_FOUND' })

  clock.now += STAGED_FOR_MS - 1
  await files.dropExpiredStaged()
  assert.ok(store.state(content) !== undefined, 'kept for a day')
  clock.now += 1
  await files.dropExpiredStaged()
  assert.equal(store.state(content), undefined, 'gone with its chunks')
  assert.throws(() => files.bodyAttachments([{ file: staged.id }]), { code: 'NOT_FOUND' })
})

test('a file a message carries stays in the store when its staging ends; our own is held at once', async (t) => {
  const { files, store } = await service(t)
  const staged = await files.stage({ name: 'plan.pdf', type: 'application/pdf', content: once(randomBytes(1000)) })
  const content = contentOf(files, staged.id)
  await assert.rejects(files.sendWith([{ file: staged.id }], async () => { throw new Error('the disk is full') }), /the disk is full/)
  assert.equal(files.bodyAttachments([{ file: staged.id }]).length, 1, 'a send that failed leaves the file staged')
  await files.sendWith([{ file: staged.id }], async attachments => { await files.noteMessage({ id: 'm1', author: ALICE }, attachments!) })
  assert.equal(files.attachment(staged.id).state, 'held')
  await assert.rejects(files.dropStaged(staged.id), { code: 'NOT_FOUND' })
  assert.deepEqual(store.state(content), { owner: 'mine', complete: true })
})

test('a file is answered for as soon as its message is stored, before its record is written: the app asks for our own image at once', async (t) => {
  // The node notes a stored message's files without waiting (files-wiring.ts) and announces the message
  // at once: the app then asked for the image's content before its record was written, and got NOT_FOUND.
  const records = memoryTable<AttachmentRecord>()
  let openWrites!: () => void
  const writesOpen = new Promise<void>(resolve => { openWrites = resolve })
  const { files } = await service(t, { records: { ...records, put: async (key, value) => { await writesOpen; await records.put(key, value) } }, staged: memoryTable<StagedValue>() })
  const source = await service(t, undefined, undefined, BRUNO)
  const image = randomBytes(3000)
  const file = idOf(await files.stage({ name: 'photo.png', type: 'image/png', content: once(image) }))
  const preview = idOf(await files.stage({ name: 'preview of photo.png', type: 'image/png', content: once(randomBytes(300)) }))
  const received = idOf(await source.files.stage({ name: 'plan.pdf', type: 'application/pdf', content: once(randomBytes(3000)) }))
  const ours = files.noteMessage({ id: 'm1', author: ALICE }, files.bodyAttachments([{ file, preview, width: 30, height: 20 }]))
  const theirs = files.noteMessage({ id: 'm2', author: BRUNO }, source.files.bodyAttachments([{ file: received }]))

  assert.equal(files.attachment(file).state, 'held')
  assert.deepEqual(files.attachment(file).preview, { id: preview, type: 'image/png', state: 'held' })
  const parts: Uint8Array[] = []
  for await (const part of (await files.content(file)).content) parts.push(part)
  assert.ok(Buffer.concat(parts).equals(image), 'the image is served from the store')
  assert.equal(files.attachment(received).state, 'waiting')
  const cancelled = files.cancel(received) // acts on the record once it is written, rather than on nothing
  openWrites()
  await Promise.all([ours, theirs])
  assert.equal((await cancelled).state, 'cancelled')
  assert.equal(records.map.get(received)?.state, 'cancelled')
})

test('an image sent with its preview is one file of the user\'s, the preview\'s bytes counted with it; staged and not sent yet too', async (t) => {
  const { files, store } = await service(t)
  const file = idOf(await files.stage({ name: 'photo.png', type: 'image/png', content: once(randomBytes(3000)) }))
  const preview = idOf(await files.stage({ name: 'preview of photo.png', type: 'image/webp', preview: true, content: once(randomBytes(300)) }))
  assert.equal(store.usage().mineFiles, 2, 'the store holds two files')
  assert.deepEqual(files.usage(), { ...store.usage(), mineFiles: 1 }, 'staged, the upload said which is a preview')
  await files.sendWith([{ file, preview, width: 30, height: 20 }], async attachments => { await files.noteMessage({ id: 'm1', author: ALICE }, attachments!) })
  const stored = store.usage()
  assert.equal(stored.mineFiles, 2, 'the store holds two files')
  assert.deepEqual(files.usage(), { ...stored, mineFiles: 1 }, 'the person sent one: the preview\'s bytes count, not the preview as a file')
})

test('records survive a reload; with nobody connected a file waits; cancel and retry move it; a restart resumes what was not cancelled', async (t) => {
  const first = await service(t)
  const source = await service(t, undefined, undefined, BRUNO)
  const waitingFile = idOf(await source.files.stage({ name: 'a.bin', type: 'application/octet-stream', content: once(randomBytes(5000)) }))
  const cancelledFile = idOf(await source.files.stage({ name: 'b.bin', type: 'application/octet-stream', content: once(randomBytes(5000)) }))
  const attachments = source.files.bodyAttachments([{ file: waitingFile }, { file: cancelledFile }])
  await first.files.noteMessage({ id: 'm1', author: BRUNO }, attachments)
  await first.files.noteMessage({ id: 'm2', author: BRUNO }, attachments.slice(0, 1))
  assert.deepEqual(first.files.shown(attachments, BRUNO).map(a => a.state), ['waiting', 'waiting'])
  first.files.start()
  await eventuallyState(first.files, waitingFile, 'waiting', 'TRANSFER_NO_HOLDER')
  await eventuallyState(first.files, cancelledFile, 'waiting', 'TRANSFER_NO_HOLDER')
  assert.equal((await first.files.cancel(cancelledFile)).state, 'cancelled')
  assert.ok(first.changes.some(c => c.id === cancelledFile && c.state === 'cancelled'), 'each change is told')
  first.files.stop()

  // A fetch under way when the node stopped (a SIGKILL) is resumed at the next start, like one waiting.
  first.tables.records.map.set(waitingFile, { ...first.tables.records.map.get(waitingFile)!, state: 'fetching' })
  const again = await service(t, first.tables)
  assert.deepEqual(again.files.shown(attachments, BRUNO).map(a => a.state), ['fetching', 'cancelled'])
  assert.deepEqual(first.tables.records.map.get(waitingFile)?.messages, ['m1', 'm2'])
  assert.equal(first.tables.records.map.get(waitingFile)?.author, BRUNO)
  again.files.start()
  await eventuallyState(again.files, waitingFile, 'waiting', 'TRANSFER_NO_HOLDER')
  assert.equal(again.files.attachment(cancelledFile).state, 'cancelled', 'a cancelled file is not resumed by a restart')
  await again.files.retry(cancelledFile)
  await eventuallyState(again.files, cancelledFile, 'waiting', 'TRANSFER_NO_HOLDER')
  assert.throws(() => again.files.attachment('0'.repeat(64)), { code: 'NOT_FOUND' })
  await assert.rejects(again.files.content(waitingFile), { code: 'FILE_NOT_HELD' })
})

test('progress is told at most every 250 ms, with the speed since the last report', () => {
  const clock = { now: 0 }
  const gate = new ProgressGate(1000, () => clock.now)
  clock.now = 100
  assert.equal(gate.due(50_000), false)
  assert.equal(gate.bytesPerSecond, undefined)
  clock.now = 500
  assert.equal(gate.due(101_000), true)
  assert.equal(gate.bytesPerSecond, 200_000)
  clock.now = 600
  assert.equal(gate.due(200_000), false)
})

const idOf = (staged: { id: string }): string => staged.id

async function eventuallyState (files: FileService, id: string, state: string, error?: string): Promise<void> {
  for (let turn = 0; turn < 4000; turn++) {
    const status = files.attachment(id)
    if (status.state === state && status.error === error) return
    await new Promise(resolve => setTimeout(resolve, 5))
  }
  assert.fail(`${id.slice(0, 8)} is ${JSON.stringify(files.attachment(id))}, not ${state}`)
}

test('an upload that breaks off or does not fit leaves nothing staged and nothing counted', async (t) => {
  const { files, store } = await service(t)
  async function * broken (): AsyncGenerator<Uint8Array> {
    yield randomBytes(400_000)
    throw new Error('the connection was cut')
  }
  await assert.rejects(files.stage({ name: 'cut.bin', type: 'application/octet-stream', content: broken() }), /connection was cut/)
  assert.deepEqual(store.usage(), { limitBytes: store.usage().limitBytes, mineBytes: 0, carriedBytes: 0, mineFiles: 0, carriedFiles: 0 })
  files.setLimit(500_000)
  await assert.rejects(files.stage({ name: 'big.bin', type: 'application/octet-stream', content: once(randomBytes(600_000)) }), { code: 'FILE_STORE_FULL' })
  assert.equal(store.usage().mineBytes, 0)
  const empty = await files.stage({ name: 'empty.txt', type: 'text/plain', content: once(new Uint8Array(0)) })
  assert.equal(empty.size, 0)
  assert.deepEqual(store.state(contentOf(files, empty.id)), { owner: 'mine', complete: true })
})

test('a staged file opens back to its bytes whatever its size against the chunk size (empty, whole chunks, a remainder)', async (t) => {
  const { files } = await service(t)
  for (const size of [0, 1, 256 * 1024, 512 * 1024, 512 * 1024 + 1]) {
    const bytes = randomBytes(size)
    const staged = await files.stage({ name: `${size}.bin`, type: 'application/octet-stream', content: (async function * () { for (let at = 0; at < size; at += 100_000) yield bytes.subarray(at, at + 100_000) })() })
    await files.noteMessage({ id: `m${size}`, author: ALICE }, files.bodyAttachments([{ file: staged.id }]))
    const parts: Uint8Array[] = []
    for await (const part of (await files.content(staged.id)).content) parts.push(part)
    assert.ok(Buffer.concat(parts).equals(bytes), `${size} bytes`)
  }
})

test('a colleague naming an author\'s file first gets a record of its own: the author\'s message shows its own description, preview and key (session 30)', async (t) => {
  // The content id is the SHA-256 of a chunk list any holder serves: a colleague reads it in a channel
  // or a deposit and names it first, in a message of its own. Before ids were bound to their author,
  // its description kept the id and the author's message was set aside (FILE_ID_TAKEN), unopenable.
  const { files } = await service(t)
  const bytes = randomBytes(3000)
  const photo = await files.stage({ name: 'holiday.jpg', type: 'image/jpeg', content: once(bytes) })
  const preview = await files.stage({ name: 'holiday.webp', type: 'image/webp', content: once(randomBytes(500)) })
  const [real] = files.bodyAttachments([{ file: photo.id, preview: preview.id, width: 40, height: 30 }])
  const squat = await files.stage({ name: 'fired.webp', type: 'image/webp', content: once(randomBytes(400)) })
  const copies = [
    { ...real!, name: 'fired.jpg', key: 'A'.repeat(43), width: 999, height: 999, preview: files.bodyAttachments([{ file: squat.id }])[0]! },
    { ...real!, preview: { ...real!.preview!, name: 'other.webp', key: 'B'.repeat(43) } }
  ]
  for (const [at, copy] of copies.entries()) await files.noteMessage({ id: `copy-${at}`, author: BRUNO }, [copy])
  await files.noteMessage({ id: 'real', author: ALICE }, [real!])

  const [shown] = files.shown([real!], ALICE)
  assert.deepEqual([shown?.id, shown?.state, shown?.error, shown?.name, shown?.width, shown?.preview], [photo.id, 'held', undefined, 'holiday.jpg', 40, { id: preview.id, type: 'image/webp', state: 'held' }])
  const parts: Uint8Array[] = []
  for await (const part of (await files.content(photo.id)).content) parts.push(part)
  assert.ok(Buffer.concat(parts).equals(bytes), 'opened with the author\'s key')
  // The colleague's message shows its own words, under an id of its own, and never touches the author's.
  const [first] = files.shown([copies[0]!], BRUNO)
  assert.deepEqual([first?.name, first?.width], ['fired.jpg', 999])
  assert.notEqual(first?.id, photo.id)
  assert.notEqual(first?.preview?.id, preview.id)
  // The author's own second description of a file it named is still set aside: its own doing.
  await files.noteMessage({ id: 'again', author: ALICE }, [{ ...real!, name: 'other.jpg' }])
  const [again] = files.shown([{ ...real!, name: 'other.jpg' }], ALICE)
  assert.deepEqual([again?.state, again?.error, again?.name], ['cancelled', 'FILE_ID_TAKEN', 'other.jpg'])
  assert.equal(files.shown([real!], ALICE)[0]?.name, 'holiday.jpg')
})

test('records and staged files written before ids were bound to their author are found by the bound id after a reload', async (t) => {
  const first = await service(t)
  const staged = await first.files.stage({ name: 'plan.pdf', type: 'application/pdf', content: once(randomBytes(2000)) })
  const preview = await first.files.stage({ name: 'p.webp', type: 'image/webp', content: once(randomBytes(200)) })
  const [attachment] = first.files.bodyAttachments([{ file: staged.id, preview: preview.id, width: 4, height: 3 }])
  await first.files.noteMessage({ id: 'm1', author: ALICE }, [attachment!])
  const left = await first.files.stage({ name: 'left.txt', type: 'text/plain', content: once(randomBytes(10)) })
  first.files.stop()
  // The profile as an earlier version wrote it: each record and staged file by its content id.
  const { records, staged: stagedTable } = first.tables
  for (const table of [records.map, stagedTable.map] as Array<Map<string, { descriptor: { chunksSha256: string }, previewId?: string }>>) {
    for (const [id, value] of [...table]) {
      const content = value.descriptor.chunksSha256
      table.delete(id)
      table.set(content, { ...value, ...(value.previewId !== undefined ? { previewId: attachment!.preview!.chunksSha256 } : {}) })
    }
  }
  const again = await service(t, first.tables)
  assert.deepEqual(again.files.attachment(staged.id).preview, { id: preview.id, type: 'image/webp', state: 'held' })
  assert.equal(again.files.shown([attachment!], ALICE)[0]?.state, 'held')
  assert.equal(again.files.stagedContent(left.id)?.name, 'left.txt', 'a staged file keeps its place too')
  assert.deepEqual([...records.map.keys()].sort(), [staged.id, preview.id].sort())
})
