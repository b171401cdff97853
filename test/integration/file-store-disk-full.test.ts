// The attachment store on a real full disk (a 16 MiB tmpfs): a download that meets ENOSPC stops with
// FILE_STORE_FULL, the same state as the profile's limit, leaves no half chunk and loses nothing
// stored; once space is back it resumes from its last verified chunk and the file saves whole. A file
// being sent onto the full disk is refused the same way and leaves no draft behind.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { randomBytes } from '../../crypto/random.js'
import { AttachmentStore } from '../../core/files/attachment-store.js'
import { attachmentId } from '../../core/files/descriptor.js'
import { saveAttachment } from '../../core/files/file-decryptor.js'
import { encryptFileToStore } from '../../core/files/file-encryptor.js'
import type { ChunkHolder, ChunkSink } from '../../core/protocol/file-ports.js'
import { tempHome } from '../helpers/nodes.js'
import { mountSmallDisk } from '../helpers/small-disk.js'

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** Copies what `to` lacks of `id` from `from`, through the transfer ports; resolves to the chunks written. */
async function transfer (from: ChunkHolder, to: ChunkSink, id: string, upTo = Infinity): Promise<number> {
  const list = (await to.chunkList()) ?? (await from.chunkList(id))!
  await to.saveChunkList(list)
  let written = 0
  for (let index = await to.nextChunk(); index < Math.min(list.length, upTo); index++) {
    await to.writeChunk(index, (await from.readChunk(id, index))!)
    written++
  }
  if (upTo >= list.length) await to.complete()
  return written
}

test('a full disk pauses a download with FILE_STORE_FULL, loses nothing, and the download resumes once space is back', async (t) => {
  const disk = await mountSmallDisk(t, 16)
  const source = await tempHome(t, 'causette-files-author-')
  const author = await AttachmentStore.open(source)
  const descriptors = []
  for (const mib of [3, 6]) {
    const path = join(source, `${mib}.bin`)
    await writeFile(path, randomBytes(mib * 1024 * 1024))
    descriptors.push(await encryptFileToStore(author, { path }))
  }
  const [kept, paused] = descriptors.map(d => ({ descriptor: d!, id: attachmentId(d!) }))

  const home = join(disk.path, 'home')
  let store = await AttachmentStore.open(home)
  await transfer(author, store.sink(kept!.id, 'mine'), kept!.id)
  await transfer(author, store.sink(paused!.id, 'mine'), paused!.id, 5)
  await disk.fill()
  await assert.rejects(transfer(author, store.sink(paused!.id, 'mine'), paused!.id), { code: 'FILE_STORE_FULL' })
  const resumeAt = store.nextChunk(paused!.id)
  assert.equal(resumeAt, 5, 'the chunks written before the disk filled are kept')
  assert.deepEqual(await readdir(join(home, 'files', '.tmp')), [], 'no half-written chunk left behind')
  assert.deepEqual(store.state(kept!.id), { owner: 'mine', complete: true })

  // Sending a file onto the full disk: refused the same way, its draft gone.
  const outgoing = join(source, 'outgoing.bin')
  await writeFile(outgoing, randomBytes(2 * 1024 * 1024))
  await assert.rejects(encryptFileToStore(store, { path: outgoing }), { code: 'FILE_STORE_FULL' })
  assert.deepEqual(await readdir(join(home, 'files', '.tmp')), [])

  await disk.free()
  // Nothing stored was lost: the whole file saves; after a restart the paused one resumes where it stopped.
  const savedKept = join(source, 'kept.out')
  await saveAttachment(store, kept!.descriptor, savedKept)
  assert.equal(sha(await readFile(savedKept)), kept!.descriptor.sha256)
  store = await AttachmentStore.open(home)
  assert.equal(store.nextChunk(paused!.id), resumeAt, 'the verified chunks are still counted')
  const written = await transfer(author, store.sink(paused!.id, 'mine'), paused!.id)
  assert.equal(written, paused!.descriptor.chunkCount - resumeAt, 'only the missing chunks were fetched')
  const savedPaused = join(source, 'paused.out')
  await saveAttachment(store, paused!.descriptor, savedPaused)
  assert.equal(sha(await readFile(savedPaused)), paused!.descriptor.sha256)
})
