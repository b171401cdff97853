// Files given with --file, staged one after the other through POST /files: each read from disk as
// it is sent (any size, flat memory), its progress on stderr when that is a terminal. The message
// that names them is sent after (send.ts, channel-send.ts).
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import type { AttachmentRequest, StagedFileView } from '../api/schema.js'
import { API_PREFIX, FILE_UPLOAD_TYPE, FILES_PATH } from '../api/paths.js'
import { errorFrom, type ApiClient } from './client.js'
import { mediaTypeOf } from './media-type.js'
import { terminalProgress } from './progress.js'
import { UsageError } from './usage.js'

/** Checks every path before anything is sent: a typo in the third file stages nothing. */
export async function checkFiles (paths: readonly string[]): Promise<Array<{ path: string, size: number }>> {
  return await Promise.all(paths.map(async path => {
    const info = await stat(path).catch(() => undefined)
    if (info === undefined || !info.isFile()) throw new UsageError(`${path} is not a file that can be read`)
    if (info.size === 0) throw new UsageError(`${path} is empty: an empty file cannot be sent`)
    return { path, size: info.size }
  }))
}

/** Stages each file and returns what a send request names; drops the staged ones if one fails. */
export async function stageFiles (client: ApiClient, paths: readonly string[]): Promise<AttachmentRequest[]> {
  const files = await checkFiles(paths)
  const staged: StagedFileView[] = []
  try {
    for (const file of files) staged.push(await stageFile(client, file.path, file.size))
  } catch (error) {
    await Promise.allSettled(staged.map(async s => await client.json('DELETE', `${API_PREFIX}${FILES_PATH}/${encodeURIComponent(s.id)}`, {})))
    throw error
  }
  return staged.map(s => ({ file: s.id }))
}

async function stageFile (client: ApiClient, path: string, size: number): Promise<StagedFileView> {
  const name = basename(path)
  const query = new URLSearchParams({ name, type: mediaTypeOf(path) })
  const progress = terminalProgress(name, size)
  try {
    const response = await client.fetch(`${API_PREFIX}${FILES_PATH}?${query.toString()}`, {
      method: 'POST',
      headers: { 'content-type': FILE_UPLOAD_TYPE, 'content-length': String(size) },
      body: Readable.toWeb(Readable.from(counted(path, progress.update))) as ReadableStream<Uint8Array>,
      duplex: 'half'
    } as RequestInit)
    if (!response.ok) throw await errorFrom(response)
    return await response.json() as StagedFileView
  } finally {
    progress.finish()
  }
}

async function * counted (path: string, onProgress: (done: number) => void): AsyncGenerator<Buffer> {
  let done = 0
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    done += chunk.byteLength
    onProgress(done)
    yield chunk
  }
}
