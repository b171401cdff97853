// Saving an attachment to disk (`causette file save`): streamed from the daemon into a temporary
// file beside the target, its size and SHA-256 checked against what the author signed, then moved
// into place in one step. Nothing half-written ever carries the target's name, and an existing file
// is replaced only when asked (without --force, a hard link refuses to replace one, even one that
// appeared while the file was coming).
import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { link, readdir, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { AttachmentView } from '../api/schema.js'
import { API_PREFIX } from '../api/paths.js'
import { CausetteError } from '../errors.js'
import { isDiskFull } from '../profile/files.js'
import { errorFrom, type ApiClient } from './client.js'
import { interruptible } from './interrupt.js'
import { terminalProgress } from './progress.js'

export interface SaveRequest {
  id: string
  /** A file path, or a folder to save into under the attachment's name; the current folder if absent. */
  out: string | undefined
  force: boolean
}

export async function saveAttachment (client: ApiClient, { id, out, force }: SaveRequest): Promise<{ path: string, attachment: AttachmentView }> {
  const attachmentPath = `${API_PREFIX}/attachments/${encodeURIComponent(id)}`
  const attachment = await client.json<AttachmentView>('GET', attachmentPath)
  const path = await targetPath(out, attachment.name)
  if (!force && await exists(path)) throw new CausetteError('BAD_REQUEST', `${path} exists: give --force to replace it`)
  // Interrupted (Ctrl-C, SIGTERM), the save stops and its hidden .part file goes with it; one a
  // killed save left (SIGKILL, a power cut) goes at the next save to the same place.
  await removeStaleParts(path)
  await interruptible(async signal => {
    const response = await client.fetch(`${attachmentPath}/content`, { signal })
    if (!response.ok || response.body === null) throw await errorFrom(response)
    const temporary = partPath(path, process.pid)
    try {
      await writeChecked(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), temporary, attachment, signal)
      await moveIntoPlace(temporary, path, force)
    } catch (error) {
      if (!isDiskFull(error)) throw error
      throw new CausetteError('STORAGE_UNAVAILABLE', `the disk is full: ${path} was not saved, and nothing of it is left there; free some space, then save it again`, { cause: error })
    } finally {
      await rm(temporary, { force: true })
    }
  })
  return { path, attachment }
}

/** The hidden file a save by process `pid` writes before it is checked and moved to `path`. */
export function partPath (path: string, pid: number): string {
  return join(dirname(path), `.${basename(path)}.${pid}.${randomBytes(4).toString('hex')}.part`)
}

/** Removes the .part files of saves to `path` whose process is gone (killed before it could clean up). */
export async function removeStaleParts (path: string): Promise<void> {
  const prefix = `.${basename(path)}.`
  for (const name of await readdir(dirname(path)).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue
    const pid = /^(\d+)\.[0-9a-f]{8}\.part$/.exec(name.slice(prefix.length))?.[1]
    if (pid !== undefined && !isAlive(Number(pid))) await rm(join(dirname(path), name), { force: true })
  }
}

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' // alive, another user's
  }
}

async function targetPath (out: string | undefined, name: string): Promise<string> {
  if (out === undefined) return name
  const info = await stat(out).catch(() => undefined)
  return info?.isDirectory() === true ? join(out, name) : out
}

async function exists (path: string): Promise<boolean> {
  return await stat(path).then(() => true, () => false)
}

/** Writes the bytes (flushed to disk) while hashing them; refuses a size or SHA-256 not the signed one. */
async function writeChecked (content: Readable, temporary: string, attachment: AttachmentView, signal: AbortSignal): Promise<void> {
  const hash = createHash('sha256')
  let size = 0
  const progress = terminalProgress(attachment.name, attachment.size)
  const measure = new Transform({
    transform (chunk: Buffer, _encoding, done) {
      hash.update(chunk)
      size += chunk.byteLength
      progress.update(size)
      done(null, chunk)
    }
  })
  try {
    await pipeline(content, measure, createWriteStream(temporary, { flags: 'wx', mode: 0o600, flush: true }), { signal })
  } finally {
    progress.finish()
  }
  const sha256 = hash.digest('hex')
  if (size !== attachment.size || sha256 !== attachment.sha256) {
    throw new CausetteError('FILE_HASH_MISMATCH', `the bytes received (${size} bytes, SHA-256 ${sha256}) are not the file its author signed (${attachment.size} bytes, ${attachment.sha256}); nothing was saved`)
  }
}

async function moveIntoPlace (temporary: string, path: string, force: boolean): Promise<void> {
  if (force) {
    await rename(temporary, path)
    return
  }
  try {
    await link(temporary, path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CausetteError('BAD_REQUEST', `${path} exists: give --force to replace it`)
    throw error
  }
}
