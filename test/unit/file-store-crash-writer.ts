// Child process of file-store-crash.test.ts: downloads an attachment from the author's store into
// its own, four chunks at a time as from four holders, and prints "wrote <index>" once a chunk's
// write resolved. Runs until the test kills it with SIGKILL: on a loaded machine the file may be whole
// before the test has read its sixth line, and the kill must still be what ends it.
import { AttachmentStore } from '../../core/files/attachment-store.js'

const [home, authorHome, id] = process.argv.slice(2) as [string, string, string]
const author = await AttachmentStore.open(authorHome)
const store = await AttachmentStore.open(home)
const sink = store.sink(id, 'mine')
const list = (await author.chunkList(id))!
await sink.saveChunkList(list)

async function holder (first: number): Promise<void> {
  for (let index = first; index < list.length; index += 4) {
    await sink.writeChunk(index, (await author.readChunk(id, index))!)
    process.stdout.write(`wrote ${index}\n`)
  }
}

await Promise.all([0, 1, 2, 3].map(holder))
setInterval(() => {}, 60_000)
