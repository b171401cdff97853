// What a profile's attachment store holds of one file, read from its disk the way the store reads it
// (core/files/held-log.ts, chunk-file.ts): for tests that watch a transfer from outside the node, and
// for damaging one chunk where it lies.
import { open, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { chunkOffset } from '../../core/files/chunk-file.js'
import { fileIdOf } from '../../core/files/file-id.js'
import { decodeHeldLog, heldChunks } from '../../core/files/held-log.js'
import { CHUNK_LIST_FILE, DATA_FILE, HELD_FILE } from '../../core/files/store-layout.js'
import { decodeChunkList } from '../../core/protocol/file-ports.js'

const fileDir = (home: string, id: string): string => join(home, 'files', id)

/**
 * The content id (the store's folder, what holders serve and a channel member reads in a message) of
 * the file a message by `author` shows as `id` (core/files/file-id.ts), among the files `home` holds.
 */
export async function storedContentId (home: string, author: string, id: string): Promise<string> {
  const found = (await readdir(join(home, 'files'))).find(name => /^[0-9a-f]{64}$/.test(name) && fileIdOf(author, name) === id)
  if (found === undefined) throw new Error(`${home} holds no file that ${author} names ${id}`)
  return found
}

/** The chunk of every held record of the file's held log, in the order written (a chunk written twice appears twice). */
export async function heldRecords (home: string, id: string): Promise<number[]> {
  const bytes = await readFile(join(fileDir(home, id), HELD_FILE)).catch(() => new Uint8Array(0))
  return decodeHeldLog(new Uint8Array(bytes)).records.flatMap(record => record.kind === 'held' ? [record.index] : [])
}

/** The chunks of the file its held log names as held (checked or not yet), sorted. */
export async function heldChunkIndexes (home: string, id: string): Promise<number[]> {
  const bytes = await readFile(join(fileDir(home, id), HELD_FILE)).catch(() => new Uint8Array(0))
  const { trusted, unchecked } = heldChunks(decodeHeldLog(new Uint8Array(bytes)).records, Number.MAX_SAFE_INTEGER)
  return [...trusted, ...unchecked].sort((a, b) => a - b)
}

/** Flips one bit of byte `at` of chunk `index` in the file's data file: same length, wrong SHA-256. */
export async function damageStoredChunk (home: string, id: string, index: number, at = 10): Promise<void> {
  const list = decodeChunkList(new Uint8Array(await readFile(join(fileDir(home, id), CHUNK_LIST_FILE))))!
  const data = await open(join(fileDir(home, id), DATA_FILE), 'r+')
  try {
    const offset = chunkOffset(list[0]!.bytes, index) + at
    const byte = new Uint8Array(1)
    await data.read(byte, 0, 1, offset)
    byte[0] = byte[0]! ^ 1
    await data.write(byte, 0, 1, offset)
  } finally {
    await data.close()
  }
}
