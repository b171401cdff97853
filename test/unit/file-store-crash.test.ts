// Crash safety of the attachment store: a download killed with SIGKILL while four chunk writes are
// under way leaves a store that reopens with every chunk it acknowledged, no chunk that is not the
// one its list names, nothing in .tmp/, and resumes from nextChunk to the whole file.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { equals } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { sha256 } from '../../crypto/sha256.js'
import { AttachmentStore } from '../../core/files/attachment-store.js'
import { attachmentId } from '../../core/files/descriptor.js'
import { saveAttachment } from '../../core/files/file-decryptor.js'
import { encryptFileToStore } from '../../core/files/file-encryptor.js'
import { tempHome } from '../helpers/nodes.js'

const WRITER = fileURLToPath(new URL('./file-store-crash-writer.ts', import.meta.url))
const ACKNOWLEDGED_BEFORE_KILL = 6

test('a download killed with SIGKILL mid-write keeps what it acknowledged, nothing half written, and resumes', async (t) => {
  const authorHome = await tempHome(t, 'causette-files-author-')
  const author = await AttachmentStore.open(authorHome)
  const source = join(authorHome, 'source.bin')
  await writeFile(source, randomBytes(40 * 256 * 1024 + 77))
  const descriptor = await encryptFileToStore(author, { path: source })
  const id = attachmentId(descriptor)

  const home = await tempHome(t)
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, home, authorHome, id], { stdio: ['ignore', 'pipe', 'inherit'] })
  const acknowledged: number[] = []
  for await (const line of createInterface({ input: child.stdout })) {
    acknowledged.push(Number(line.split(' ')[1]))
    if (acknowledged.length === ACKNOWLEDGED_BEFORE_KILL) child.kill('SIGKILL')
  }
  await new Promise(resolve => child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve))
  assert.equal(child.signalCode, 'SIGKILL')

  const store = await AttachmentStore.open(home)
  assert.deepEqual(await readdir(join(home, 'files', '.tmp')), [], 'unfinished writes are dropped at open')
  const list = (await store.chunkList(id))!
  let held = 0
  for (let index = 0; index < list.length; index++) {
    const chunk = await store.readChunk(id, index)
    if (chunk === undefined) continue
    held++
    assert.ok(equals(sha256(chunk), list[index]!.sha256), `chunk ${index} on disk is the one its list names`)
  }
  for (const index of acknowledged) assert.ok(await store.readChunk(id, index), `acknowledged chunk ${index} kept`)
  t.diagnostic(`killed with ${held} of ${list.length} chunks held (${acknowledged.length} acknowledged)`)

  for (let index = store.nextChunk(id); index < list.length; index = store.nextChunk(id)) {
    await store.writeChunk(id, index, (await author.readChunk(id, index))!)
  }
  await store.complete(id)
  const out = join(home, 'saved.bin')
  await saveAttachment(store, descriptor, out)
  assert.equal(createHash('sha256').update(await readFile(out)).digest('hex'), descriptor.sha256)
})
