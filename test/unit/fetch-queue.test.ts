// The fetch queue's order (core/files/fetch-queue.ts): an image's preview is fetched alone, whole,
// before its image starts, and the previews of every queued message before any full file. The
// holder speaks the real file protocol over in-memory streams and records what it is asked, in
// order; nothing here depends on timing: the queue starts its fetches synchronously (progressOf).
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { AttachmentIndex, type AttachmentRecord } from '../../core/files/attachment-index.js'
import { AttachmentStore } from '../../core/files/attachment-store.js'
import { filesOf, type BodyAttachment } from '../../core/files/body-attachment.js'
import { FetchQueue } from '../../core/files/fetch-queue.js'
import { fileIdOf } from '../../core/files/file-id.js'
import { FileService } from '../../core/files/file-service.js'
import { memoryTable } from '../../core/files/record-table.js'
import type { ChunkHolder, HolderLink } from '../../core/protocol/file-ports.js'
import { transferError } from '../../core/protocol/file-frames.js'
import { pairedLink } from '../helpers/file-links.js'
import { eventually } from '../helpers/nodes.js'

const ALICE = '12D3KooWAlice'
const BRUNO = '12D3KooWBruno'

async function * once (bytes: Uint8Array): AsyncGenerator<Uint8Array> { yield bytes }

async function tempStore (t: TestContext): Promise<AttachmentStore> {
  const home = await mkdtemp(join(tmpdir(), 'causette-queue-'))
  t.after(async () => { await rm(home, { recursive: true, force: true }) })
  return await AttachmentStore.open(home)
}

/** Alice's store holding `count` messages' worth of an image (1 MiB: four chunks) with its preview. */
async function aliceWithImages (t: TestContext, count: number): Promise<{ store: AttachmentStore, messages: BodyAttachment[][] }> {
  const store = await tempStore(t)
  const files = await FileService.load({
    store,
        records: memoryTable<AttachmentRecord>(),
    staged: memoryTable(),
    self: ALICE,
    connectedMembers: () => [],
    holderLink: () => { throw new Error('Alice fetches nothing') },
    holderFault: () => {},
    changed: () => {},
    now: () => 1_000_000,
    log: () => {}
  })
  t.after(() => { files.stop() })
  const messages: BodyAttachment[][] = []
  for (let i = 0; i < count; i++) {
    const image = await files.stage({ name: `photo-${i}.jpg`, type: 'image/jpeg', content: once(randomBytes(1024 * 1024)) })
    const preview = await files.stage({ name: `photo-${i}.webp`, type: 'image/webp', content: once(randomBytes(20_000)) })
    messages.push(files.bodyAttachments([{ file: image.id, preview: preview.id, width: 4000, height: 3000 }]))
  }
  return { store, messages }
}

/** `holder`, recording each chunk asked of it as `<file id>:<index>`, in order, by the id Bruno's desk gives Alice's file. */
function recording (holder: ChunkHolder, asked: string[]): ChunkHolder {
  return {
    chunkList: async fileId => await holder.chunkList(fileId),
    readChunk: async (fileId, index) => {
      asked.push(`${fileIdOf(ALICE, fileId)}:${index}`)
      return await holder.readChunk(fileId, index)
    }
  }
}

/** Bruno's queue fetching from Alice through `holder` (and from `others`, connected too), and its index. */
async function brunoQueue (t: TestContext, holder: ChunkHolder, others: HolderLink[] = []): Promise<{ queue: FetchQueue, index: AttachmentIndex, store: AttachmentStore }> {
  const store = await tempStore(t)
  const index = await AttachmentIndex.load(memoryTable<AttachmentRecord>())
  const queue = new FetchQueue({
    store,
    index,
    self: BRUNO,
    connectedMembers: () => [ALICE, ...others.map(link => link.peer)],
    holderLink: peer => others.find(link => link.peer === peer) ?? pairedLink(peer, holder),
    holderFault: fault => { throw new Error(`no holder lies here: ${fault.code}`) },
    changed: () => {},
    now: () => Date.now(),
    log: () => {}
  })
  t.after(() => { queue.stop() })
  return { queue, index, store }
}

async function note (index: AttachmentIndex, message: BodyAttachment[], messageId: string): Promise<string[]> {
  const ids: string[] = []
  for (const file of filesOf(message)) {
    await index.note(file, messageId, ALICE, 'waiting', 0)
    ids.push(fileIdOf(ALICE, file.descriptor.chunksSha256))
  }
  return ids
}

const positions = (asked: readonly string[], id: string): number[] => asked.flatMap((entry, at) => entry.startsWith(`${id}:`) ? [at] : [])

test('an image\'s preview is fetched whole, alone, before its image starts', async (t) => {
  const alice = await aliceWithImages(t, 1)
  const asked: string[] = []
  const { queue, index } = await brunoQueue(t, recording(alice.store, asked))
  const [previewId, imageId] = await note(index, alice.messages[0]!, 'm1')
  queue.start()
  assert.ok(queue.progressOf(previewId!) !== undefined, 'the preview is being fetched')
  assert.equal(queue.progressOf(imageId!), undefined, 'its image waits for it, though a second fetch could run')
  await eventually(async () => index.get(imageId!)?.state === 'held' || undefined, 60_000, 'the image held')
  assert.equal(index.get(previewId!)?.state, 'held')
  assert.ok(Math.max(...positions(asked, previewId!)) < Math.min(...positions(asked, imageId!)), `the preview's last chunk is asked before the image's first: ${asked.join(' ')}`)
})

test('the previews of every queued message come before any full file', async (t) => {
  const alice = await aliceWithImages(t, 3)
  const asked: string[] = []
  const { queue, index } = await brunoQueue(t, recording(alice.store, asked))
  queue.start()
  const noted = []
  for (const [at, message] of alice.messages.entries()) noted.push(await note(index, message, `m${at}`))
  for (const ids of noted) for (const id of ids) queue.add(id)
  const previews = noted.map(ids => ids[0]!)
  const images = noted.map(ids => ids[1]!)
  assert.deepEqual(previews.map(id => queue.progressOf(id) !== undefined), [true, true, false], 'two previews at a time')
  assert.deepEqual(images.map(id => queue.progressOf(id)), [undefined, undefined, undefined], 'no image while a preview is queued')
  await eventually(async () => images.every(id => index.get(id)?.state === 'held') || undefined, 60_000, 'every image held')
  const lastPreviewChunk = Math.max(...previews.flatMap(id => positions(asked, id)))
  const firstImageChunk = Math.min(...images.flatMap(id => positions(asked, id)))
  assert.ok(lastPreviewChunk < firstImageChunk, `every preview's chunks are asked before any image's: ${asked.join(' ')}`)
})

test('a store that fails to write for a reason of its own pauses the fetch, said, rather than leaving it fetching for ever', async (t) => {
  const alice = await aliceWithImages(t, 1)
  const { queue, index, store } = await brunoQueue(t, alice.store)
  const sink = store.sink.bind(store)
  store.sink = (id, owner) => ({ ...sink(id, owner), writeChunk: async () => { throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' }) } })
  const [previewId] = await note(index, alice.messages[0]!, 'm1')
  queue.start()
  assert.ok(queue.progressOf(previewId!) !== undefined, 'its fetch started')
  await eventually(async () => queue.progressOf(previewId!) === undefined || undefined, 10_000, 'its fetch to end')
  assert.deepEqual([index.get(previewId!)?.state, index.get(previewId!)?.error], ['paused', 'STORAGE_UNAVAILABLE'], 'tried again with the paused ones')
})

test('the files of a message just received are fetched before those tried again, however many nobody holds', async (t) => {
  const alice = await aliceWithImages(t, 1)
  const { queue, index } = await brunoQueue(t, recording(alice.store, []))
  // The order fetches start in (a fetch says so first thing, before it asks any holder).
  const started: string[] = []
  const setState = index.setState.bind(index)
  index.setState = async (id, state, error) => {
    if (state === 'fetching') started.push(id)
    return await setState(id, state, error)
  }
  // Previews a colleague made up: nobody holds them, and they are tried again and again.
  const madeUp = filesOf(alice.messages[0]!)[0]!.descriptor
  const junk = Array.from({ length: 8 }, () => ({ ...madeUp, chunksSha256: randomBytes(32).toString('hex') }))
  for (const [at, descriptor] of junk.entries()) await index.note({ descriptor, preview: true }, `junk${at}`, ALICE, 'waiting', 0)
  const [previewId, imageId] = await note(index, alice.messages[0]!, 'm1')
  // Started with every one of them queued, the message's files noted after them: then it arrives.
  queue.start()
  queue.add(previewId!)
  queue.add(imageId!)
  await eventually(async () => index.get(imageId!)?.state === 'held' || undefined, 60_000, 'the image held')
  // Before, it waited behind every one of them (a colleague's 20,000 kept a real file out for over 20 minutes).
  assert.equal(started.indexOf(previewId!), 2, `started after the two already running: ${started.map(id => id.slice(0, 6)).join(' ')}`)
})

test('a colleague\'s previews that stall hold up its own files only: another author\'s file starts at the next free fetch, authors in turn', async (t) => {
  // A preview is fetched alone, before any file; each stalled one held every fetch for up to a minute
  // (three frames, FILE_IDLE_MS each), so a colleague sending previews it serves slowly kept every
  // real file out, up to MAX_UNFETCHED_FILES_PER_AUTHOR of them, hours.
  const MALLORY = '12D3KooWMallory'
  const alice = await aliceWithImages(t, 1)
  const stalls: Array<(error: Error) => void> = []
  const stall = async (): Promise<never> => await new Promise<never>((_resolve, reject) => { stalls.push(reject) })
  const stalling: HolderLink = {
    peer: MALLORY,
    chunkList: stall,
    chunks: async function * () { await stall() },
    listAndChunks: async function * () { await stall() }
  }
  const { queue, index } = await brunoQueue(t, alice.store, [stalling])
  t.after(() => { for (const reject of stalls) reject(new Error('the test is over')) })
  queue.start()
  const [preview, image] = filesOf(alice.messages[0]!).map(file => file.descriptor)
  const slow = Array.from({ length: 4 }, () => ({ ...preview!, chunksSha256: randomBytes(32).toString('hex') }))
  const mallorys = (descriptor: { chunksSha256: string }): string => fileIdOf(MALLORY, descriptor.chunksSha256)
  const alices = fileIdOf(ALICE, image!.chunksSha256)
  for (const [at, descriptor] of slow.entries()) {
    await index.note({ descriptor, preview: true }, `slow${at}`, MALLORY, 'waiting', 0)
    queue.add(mallorys(descriptor))
  }
  await index.note({ descriptor: image!, preview: false }, 'm1', ALICE, 'waiting', 0)
  queue.add(alices)
  assert.deepEqual(slow.map(d => queue.progressOf(mallorys(d)) !== undefined), [true, true, false, false], 'two at a time')
  await eventually(() => stalls.length === 2 || undefined, 10_000, 'both asked of Mallory')
  stalls[0]!(transferError('TRANSFER_STALLED', 'the holder sent nothing for 20000 ms'))
  await eventually(() => slow.slice(0, 2).some(d => queue.progressOf(mallorys(d)) === undefined) || undefined, 10_000, 'a stalled preview given up')
  const started = queue.progressOf(alices) !== undefined || index.get(alices)?.state === 'held'
  assert.ok(started, `Alice's file took the free fetch, not Mallory's next preview (Mallory's running: ${JSON.stringify(slow.map(d => queue.progressOf(mallorys(d)) !== undefined))})`)
  await eventually(async () => index.get(alices)?.state === 'held' || undefined, 60_000, 'Alice\'s file held')
})

test('two authors naming one content have a record each, fetched one after the other into the one copy the store keeps', async (t) => {
  // Session 30: a record's id is bound to its author, so a colleague naming Alice's content has its
  // own record; the store keeps the content once, and never has two fetches write it at once.
  const MALLORY = '12D3KooWMallory'
  const alice = await aliceWithImages(t, 1)
  const asked: string[] = []
  const { queue, index, store } = await brunoQueue(t, recording(alice.store, asked))
  const image = filesOf(alice.messages[0]!)[1]!
  await index.note({ ...image, descriptor: { ...image.descriptor, name: 'fired.jpg' } }, 'copy', MALLORY, 'waiting', 0)
  await index.note(image, 'm1', ALICE, 'waiting', 0)
  const [mallorys, alices] = [MALLORY, ALICE].map(author => fileIdOf(author, image.descriptor.chunksSha256))
  queue.start()
  await eventually(async () => (index.get(alices!)?.state === 'held' && index.get(mallorys!)?.state === 'held') || undefined, 60_000, 'both held')
  assert.deepEqual([index.get(alices!)?.descriptor.name, index.get(mallorys!)?.descriptor.name], [image.descriptor.name, 'fired.jpg'])
  assert.equal(asked.length, 4, `each of the four chunks asked once: ${asked.join(' ')}`)
  assert.deepEqual(store.state(image.descriptor.chunksSha256), { owner: 'mine', complete: true })
})
