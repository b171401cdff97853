// Fetches this node's release file from colleagues, chunk by chunk, into a partial file that only
// ever holds proven chunks (its length is where a resume starts). A colleague whose chunk does not
// prove against the signed manifest is refused at once and the next one tried; the whole file is
// checked against its SHA-256 before it joins the release.
import { createHash } from 'node:crypto'
import { mkdir, open, rm, truncate } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Chunk, ChunkRequest } from '../protocol/update-protocol.js'
import { CausetteError, codedError } from '../errors.js'
import { isDiskFull } from '../profile/files.js'
import { CHUNK_BYTES, chunkCount, chunkProven, digestFile } from './chunks.js'
import type { ReleaseFile, SignedManifest } from './manifest.js'
import type { ReleaseStore } from './release-store.js'

export interface FetchInit {
  store: ReleaseStore
  manifest: SignedManifest
  file: ReleaseFile
  /** Colleagues that said they hold the file whole, best first. */
  sources: string[]
  chunks: (peer: string, request: ChunkRequest, end: number) => AsyncIterable<Chunk>
  progress: (bytes: number, source: string) => void
  /** A colleague served a chunk the manifest does not prove: journal it; it is not asked again. */
  refused: (peer: string, error: CausetteError) => void
  log: (format: string, ...args: unknown[]) => void
}

/**
 * The order in which a node asks its colleagues: by SHA-256 of both PeerIds, so each node starts
 * with a different colleague (the load spreads over those that hold the file) and the order is
 * the same at every attempt.
 */
export function orderSources (self: string, peers: string[]): string[] {
  const rank = (peer: string): string => createHash('sha256').update(`${self} ${peer}`).digest('hex')
  return [...peers].sort((a, b) => rank(a).localeCompare(rank(b)))
}

/**
 * Resolves true once the file is whole and verified in its release, false if no source could finish
 * it. A full disk stops it (no other source would fare better): STORAGE_UNAVAILABLE, in words.
 */
export async function fetchReleaseFile (init: FetchInit): Promise<boolean> {
  const { store, manifest, file } = init
  const partial = store.partialPath(manifest.version, file)
  await mkdir(dirname(partial), { recursive: true, mode: 0o700 }).catch(error => { throw diskFullOr(error, manifest, file) })
  for (const peer of init.sources) {
    const first = await provenChunks(store, manifest, file)
    if (first === chunkCount(file.size)) break
    try {
      await fetchFrom(init, peer, partial, first)
    } catch (error) {
      const coded = codedError(error)
      if (isDiskFull(error)) throw diskFullOr(error, manifest, file)
      if (coded?.code === 'UPDATE_BAD_CHUNK') init.refused(peer, error as CausetteError)
      else init.log('update: fetching %s from %s stopped: %e', file.name, peer, error)
    }
  }
  if (await provenChunks(store, manifest, file) !== chunkCount(file.size)) return false
  const digest = await digestFile(partial)
  if (digest.size !== file.size || digest.sha256 !== file.sha256 || digest.chunkRoot !== file.chunkRoot) {
    await rm(partial, { force: true }) // proven chunk by chunk, so only a damaged disk gets here: start again
    throw new CausetteError('UPDATE_TAMPERED', `${file.name} does not match its SHA-256 in the signed manifest once whole`)
  }
  await store.completePartial(manifest, file)
  return true
}

const MIB = 1024 * 1024

/** A full disk in words (what is missing, what to do); any other error as it is. */
export function diskFullOr (error: unknown, manifest: SignedManifest, file: ReleaseFile): unknown {
  if (!isDiskFull(error)) return error
  return new CausetteError('STORAGE_UNAVAILABLE', `the disk is full: release ${manifest.version} (${Math.ceil(file.size / MIB)} MiB) cannot be downloaded; free some space and it resumes by itself, where it stopped`, { cause: error })
}

/** Whole chunks in the partial file; a chunk cut short by a crash is dropped. */
async function provenChunks (store: ReleaseStore, manifest: SignedManifest, file: ReleaseFile): Promise<number> {
  const length = await store.partialLength(manifest.version, file)
  if (length === file.size) return chunkCount(file.size)
  const whole = Math.floor(Math.min(length, file.size) / CHUNK_BYTES)
  if (whole * CHUNK_BYTES !== length) await truncate(store.partialPath(manifest.version, file), whole * CHUNK_BYTES)
  return whole
}

async function fetchFrom (init: FetchInit, peer: string, partial: string, first: number): Promise<void> {
  const { manifest, file } = init
  const handle = await open(partial, 'a', 0o600)
  try {
    let expected = first
    for await (const chunk of init.chunks(peer, { version: manifest.version, target: file.target, first }, chunkCount(file.size))) {
      if (chunk.errorCode !== '') throw new Error(`${peer} refused: ${chunk.errorCode} ${chunk.errorMessage}`)
      if (chunk.index !== expected || !chunkProven(file, chunk.index, chunk.data, chunk.proof)) {
        throw new CausetteError('UPDATE_BAD_CHUNK', `chunk ${expected} of ${file.name} from ${peer} does not match the signed manifest`)
      }
      await handle.write(chunk.data)
      expected++
      init.progress(Math.min(expected * CHUNK_BYTES, file.size), peer)
    }
  } finally {
    await handle.close()
  }
}
