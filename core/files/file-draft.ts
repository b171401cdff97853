// A file the user is sending, while it is sealed chunk by chunk: the chunks go to a folder in the
// store's `.tmp/`, in the data file and held log a stored file has (chunk-file.ts), counted against
// the limit as the user's, and the chunk list grows in memory (36 bytes a chunk). Its id (the chunk
// list's SHA-256) is known only at the end, so `commit` makes the folder durable and hands it to the
// store, which renames it into place or drops it for the same ciphertext stored before. A crash
// before `commit` leaves only the draft folder, removed when the store next opens.
import { mkdir, rm } from 'node:fs/promises'
import { sha256 } from '../../crypto/sha256.js'
import { CausetteError } from '../errors.js'
import { isDiskFull, storeFullError, temporaryPath } from './atomic-write.js'
import { chunkOffset, ChunkWriter } from './chunk-file.js'
import type { ChunkEntry } from '../protocol/file-ports.js'

/** What a draft needs of its store. */
export interface DraftHost {
  tmpDir: string
  /** Counts bytes against the limit (evicting carried files if needed) or throws FILE_STORE_FULL. */
  reserve: (bytes: number) => Promise<void>
  /** Uncounts bytes reserved earlier. */
  release: (bytes: number) => void
  /** Makes the sealed draft a stored file; resolves to its id. */
  adopt: (dir: string, list: ChunkEntry[], bytes: number) => Promise<string>
}

export interface FileDraft {
  /** Appends the next ciphertext chunk. */
  append: (chunk: Uint8Array) => Promise<void>
  /** Every chunk is appended: stores the file, resolves to its attachment id. */
  commit: () => Promise<string>
  /** Drops the draft and what it counted. */
  discard: () => Promise<void>
}

export async function newDraft (host: DraftHost): Promise<FileDraft> {
  const dir = temporaryPath(host.tmpDir, 'draft')
  await mkdir(dir, { mode: 0o700 })
  const writer = await ChunkWriter.open(dir)
  const list: ChunkEntry[] = []
  let bytes = 0
  let settled = false
  const open = (): void => { if (settled) throw new CausetteError('INTERNAL', 'this draft was already committed or discarded') }
  const drop = async (): Promise<void> => {
    host.release(bytes)
    await writer.close().catch(() => {}) // its folder goes whatever the close says
    await rm(dir, { recursive: true, force: true })
  }
  return {
    append: async chunk => {
      open()
      await host.reserve(chunk.length)
      try {
        // Every chunk of a file but the last has the first one's length: the stride of its data file.
        await writer.write(list.length, chunkOffset(list[0]?.bytes ?? chunk.length, list.length), [chunk])
      } catch (error) {
        host.release(chunk.length)
        throw isDiskFull(error) ? storeFullError(error) : error
      }
      bytes += chunk.length
      list.push({ bytes: chunk.length, sha256: sha256(chunk) })
    },
    commit: async () => {
      open()
      settled = true
      try {
        await writer.close(true)
        return await host.adopt(dir, list, bytes)
      } catch (error) {
        await drop()
        throw isDiskFull(error) ? storeFullError(error) : error
      }
    },
    discard: async () => {
      if (settled) return
      settled = true
      await drop()
    }
  }
}
