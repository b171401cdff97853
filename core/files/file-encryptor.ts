// Sealing a file the user sends into the attachment store, one chunk at a time: the plaintext is read
// in chunks of the descriptor's size into one reused buffer, so memory stays flat whatever the file's
// size. Returns the descriptor that the message will carry (with the key: it never goes to the store).
import { createHash } from 'node:crypto'
import { open, type FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import { toBase64Url } from '../../crypto/encoding.js'
import { chunkCountOf, fileCipher, MAX_CHUNK_COUNT, newFileSecret, plainChunkLength } from '../../crypto/file-cipher.js'
import { CausetteError } from '../errors.js'
import type { AttachmentStore } from './attachment-store.js'
import { chunkSizeFor, normalMediaType, type AttachmentDescriptor } from './descriptor.js'
import { safeFileName } from './file-name.js'

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
    const secret = newFileSecret()
    const cipher = fileCipher(secret)
    const plaintextHash = createHash('sha256')
    const buffer = new Uint8Array(chunkSize)
    const draft = await store.draft()
    try {
      for (let index = 0; index < chunkCount; index++) {
        const plaintext = await readExactly(handle, buffer, plainChunkLength(size, chunkSize, index), index * chunkSize)
        plaintextHash.update(plaintext)
        await draft.append(cipher.seal(index, index === chunkCount - 1, plaintext))
      }
      await refuseGrowth(handle, size)
    } catch (error) {
      await draft.discard()
      throw error
    }
    const chunksSha256 = await draft.commit()
    return {
      name: safeFileName(file.name ?? basename(file.path)),
      size,
      type: normalMediaType(file.type),
      sha256: plaintextHash.digest('hex'),
      key: toBase64Url(secret.key),
      nonce: toBase64Url(secret.nonce),
      chunkSize,
      chunkCount,
      chunksSha256
    }
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
