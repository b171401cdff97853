// Where the attachment store keeps things under the profile (docs/files.md):
//   files/<id>/meta.json     { "owner": "mine" | "carried", "addedAt": <ms> }, written first
//   files/<id>/chunks        the chunk list (core/protocol/file-ports.ts's canonical bytes), once verified
//   files/<id>/data          the ciphertext chunks, chunk i at i × the first chunk's length
//   files/<id>/held          which chunks of `data` are verified and whole (held-log.ts)
//   files/.tmp/              files being written and the author's drafts; emptied when the store opens
// <id> is the attachment id: the lower-case hex chunksSha256. Nothing here is plaintext or a key.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { isAttachmentId } from './descriptor.js'

export type Owner = 'mine' | 'carried'

export interface FileMeta {
  owner: Owner
  addedAt: number
}

export const META_FILE = 'meta.json'
export const CHUNK_LIST_FILE = 'chunks'
export const TMP_DIR = '.tmp'
export const storeRoot = (home: string): string => join(home, 'files')
export const DATA_FILE = 'data'
export const HELD_FILE = 'held'

export function isFileDirName (name: string): boolean {
  return isAttachmentId(name)
}

export function encodeMeta (meta: FileMeta): string {
  return JSON.stringify({ owner: meta.owner, addedAt: meta.addedAt })
}

/** The meta of a stored file, or undefined when it is missing or not ours (a crash before it was written). */
export async function readMeta (dir: string): Promise<FileMeta | undefined> {
  try {
    const value = JSON.parse(await readFile(join(dir, META_FILE), 'utf8')) as Partial<FileMeta>
    const ownerOk = value.owner === 'mine' || value.owner === 'carried'
    return ownerOk && Number.isSafeInteger(value.addedAt) ? { owner: value.owner!, addedAt: value.addedAt! } : undefined
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined
    throw error
  }
}
