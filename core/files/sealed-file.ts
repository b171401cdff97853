// What sealing a file the user sends does, however its bytes come (a path: file-encryptor.ts, an
// upload: upload-encryptor.ts): a fresh secret, each chunk hashed and sealed into a draft of the
// attachment store, the draft discarded if anything fails and committed otherwise, and the
// descriptor the message will carry (with the key: it never goes to the store).
import { createHash } from 'node:crypto'
import { toBase64Url } from '../../crypto/encoding.js'
import { fileCipher, newFileSecret } from '../../crypto/file-cipher.js'
import type { AttachmentStore } from './attachment-store.js'
import { normalMediaType, type AttachmentDescriptor } from './descriptor.js'
import { safeFileName } from './file-name.js'

/** Seals chunk `index` of the plaintext, in order; `final` on the last one only. */
export type SealChunk = (index: number, final: boolean, plaintext: Uint8Array) => Promise<void>

/** What the chunks sealed came to. */
export interface SealedChunks { size: number, chunkSize: number, chunkCount: number }

/** The file as the recipient will see it: its name, and its media type as given (unusable: application/octet-stream). */
export interface ShownAs { name: string, type: string | undefined }

/** Runs `sealAll`, which hands every chunk to `seal` in order, into a new draft of `store`; the descriptor of the file it sealed. */
export async function sealIntoStore (store: AttachmentStore, shown: ShownAs, sealAll: (seal: SealChunk) => Promise<SealedChunks>): Promise<AttachmentDescriptor> {
  const secret = newFileSecret()
  const cipher = fileCipher(secret)
  const plaintextHash = createHash('sha256')
  const draft = await store.draft()
  let sealed: SealedChunks
  try {
    sealed = await sealAll(async (index, final, plaintext) => {
      plaintextHash.update(plaintext)
      await draft.append(cipher.seal(index, final, plaintext))
    })
  } catch (error) {
    await draft.discard()
    throw error
  }
  const chunksSha256 = await draft.commit()
  return {
    name: safeFileName(shown.name),
    size: sealed.size,
    type: normalMediaType(shown.type),
    sha256: plaintextHash.digest('hex'),
    key: toBase64Url(secret.key),
    nonce: toBase64Url(secret.nonce),
    chunkSize: sealed.chunkSize,
    chunkCount: sealed.chunkCount,
    chunksSha256
  }
}
