// Opening a stored attachment with the key its descriptor carries: chunk by chunk, each authenticated
// with its index and final flag, the whole checked against the descriptor's size and SHA-256 at the
// end. `saveAttachment` writes it to a temporary file beside the destination and renames it only
// once everything matched, so a refused or interrupted save leaves nothing behind.
import { createHash, randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { FileCipherError, fileCipher, plainChunkLength, type FileCipher } from '../../crypto/file-cipher.js'
import { CausetteError } from '../errors.js'
import { attachmentId, fileSecretOf, type AttachmentDescriptor } from './descriptor.js'
import { chunkSourceOf, type ChunkHolder } from '../protocol/file-ports.js'
import { checkListFitsDescriptor } from './chunk-list.js'

/** The plaintext of a held attachment, one chunk at a time; throws at the end if its SHA-256 differs. */
export async function * plaintextChunks (holder: ChunkHolder, descriptor: AttachmentDescriptor): AsyncGenerator<Uint8Array> {
  const id = attachmentId(descriptor)
  const list = await holder.chunkList(id)
  if (list === undefined) throw new CausetteError('FILE_NOT_HELD', 'the attachment is not held')
  checkListFitsDescriptor(list, descriptor) // a list held from before it was checked as it came
  const cipher = fileCipher(fileSecretOf(descriptor))
  const hash = createHash('sha256')
  const source = await chunkSourceOf(holder, id) // the data file opened once, not for every chunk
  try {
    for (let index = 0; index < descriptor.chunkCount; index++) {
      const chunk = await source.read(index)
      if (chunk === undefined) throw new CausetteError('FILE_NOT_HELD', `chunk ${index} of the attachment is not held yet`)
      const plaintext = openVerified(cipher, descriptor, index, chunk)
      hash.update(plaintext)
      yield plaintext
    }
  } finally {
    await source.close()
  }
  if (hash.digest('hex') !== descriptor.sha256) throw new CausetteError('FILE_HASH_MISMATCH', 'the file is not the one its descriptor states (SHA-256)')
}

function openVerified (cipher: FileCipher, descriptor: AttachmentDescriptor, index: number, chunk: Uint8Array): Uint8Array {
  let plaintext: Uint8Array
  try {
    plaintext = cipher.open(index, index === descriptor.chunkCount - 1, chunk)
  } catch (error) {
    if (error instanceof FileCipherError) throw new CausetteError('FILE_BAD_CHUNK', `chunk ${index} of the attachment did not authenticate`, { cause: error })
    throw error
  }
  if (plaintext.length !== plainChunkLength(descriptor.size, descriptor.chunkSize, index)) {
    throw new CausetteError('FILE_HASH_MISMATCH', `chunk ${index} is not the size the descriptor states`)
  }
  return plaintext
}

/** Writes the attachment's plaintext to `outPath` (replacing it), only once it is verified whole. */
export async function saveAttachment (holder: ChunkHolder, descriptor: AttachmentDescriptor, outPath: string): Promise<void> {
  const temporary = join(dirname(outPath), `.causette-${randomBytes(6).toString('hex')}.part`)
  const file = await open(temporary, 'wx', 0o600)
  try {
    for await (const plaintext of plaintextChunks(holder, descriptor)) await file.write(plaintext)
    await file.sync()
    await file.close()
    await rename(temporary, outPath)
  } catch (error) {
    await file.close().catch(() => {})
    await rm(temporary, { force: true })
    throw error
  }
}
