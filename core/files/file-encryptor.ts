// Sealing a file the user sends from its path into the attachment store (sealed-file.ts), one
// chunk at a time: the plaintext is read in chunks of the descriptor's size into one reused buffer,
// so memory stays flat whatever the file's size.
import { open, type FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import { chunkCountOf, MAX_CHUNK_COUNT, plainChunkLength } from '../../crypto/file-cipher.js'
import { CausetteError } from '../errors.js'
import type { AttachmentStore } from './attachment-store.js'
import { chunkSizeFor, type AttachmentDescriptor } from './descriptor.js'
import { sealIntoStore } from './sealed-file.js'

export interface OutgoingFile {
  path: string
  /** The name the recipient sees; the file's own name unless given. */
  name?: string
  /** Its media type as the app or the OS gave it; application/octet-stream unless usable. */
  type?: string
}

export async function encryptFileToStore (store: AttachmentStore, file: OutgoingFile): Promise<AttachmentDescriptor> {
  const handle = await open(file.path, 'r')
  try {
    const { size } = await handle.stat()
    const chunkSize = chunkSizeFor(size)
    const chunkCount = chunkCountOf(size, chunkSize)
    if (chunkCount > MAX_CHUNK_COUNT) throw new CausetteError('BAD_REQUEST', 'a file of over 4 TiB cannot be sent')
    const buffer = new Uint8Array(chunkSize)
    return await sealIntoStore(store, { name: file.name ?? basename(file.path), type: file.type }, async seal => {
      for (let index = 0; index < chunkCount; index++) {
        await seal(index, index === chunkCount - 1, await readExactly(handle, buffer, plainChunkLength(size, chunkSize, index), index * chunkSize))
      }
      await refuseGrowth(handle, size)
      return { size, chunkSize, chunkCount }
    })
  } finally {
    await handle.close()
  }
}

/** `length` bytes at `position` into the front of `buffer`; FILE_SOURCE_CHANGED if the file ends before. */
async function readExactly (handle: FileHandle, buffer: Uint8Array, length: number, position: number): Promise<Uint8Array> {
  let filled = 0
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled)
    if (bytesRead === 0) throw new CausetteError('FILE_SOURCE_CHANGED', 'the file became shorter while it was being sent')
    filled += bytesRead
  }
  return buffer.subarray(0, length)
}

async function refuseGrowth (handle: FileHandle, size: number): Promise<void> {
  const { bytesRead } = await handle.read(new Uint8Array(1), 0, 1, size)
  if (bytesRead !== 0) throw new CausetteError('FILE_SOURCE_CHANGED', 'the file grew while it was being sent')
}
