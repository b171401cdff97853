// The one file an admin hands to their node: the signed manifest and the executables it lists, in
// its order, back to back. The sizes come from the signed manifest, so nothing else frames them:
//
//   causette-release-bundle/v1\n
//   <byte length of the signed manifest, decimal>\n
//   <signed manifest (a C2SP signed note)>
//   <file 1> <file 2> ...          (exactly the manifest's sizes; nothing after the last)
//
// Reading checks the signature before any file byte is accepted and each file's size, SHA-256 and
// chunk root as it streams to disk, so a refused bundle is known before it is kept.
import { createReadStream, createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { once } from 'node:events'
import type { NoteKey } from '../../crypto/signed-note.js'
import { CausetteError } from '../errors.js'
import { ByteReader, EndOfStreamError } from './byte-reader.js'
import { MAX_MANIFEST_BYTES, openManifest, type ReleaseFile, type SignedManifest } from './manifest.js'
import { StreamingDigest } from './chunks.js'

export const BUNDLE_MAGIC = 'causette-release-bundle/v1'

function bad (why: string): never {
  throw new CausetteError('UPDATE_BAD_BUNDLE', `release bundle: ${why}`)
}

function bundleHeader (note: string): Uint8Array {
  const noteBytes = new TextEncoder().encode(note)
  return new TextEncoder().encode(`${BUNDLE_MAGIC}\n${noteBytes.byteLength}\n${note}`)
}

/** Writes a bundle of `manifest` with its files from `dir`, streaming (the files are not held in memory). */
export async function writeBundle (out: string, manifest: SignedManifest, dir: string): Promise<void> {
  const sink = createWriteStream(out, { mode: 0o644 })
  const write = async (bytes: Uint8Array): Promise<void> => { if (!sink.write(bytes)) await once(sink, 'drain') }
  try {
    await write(bundleHeader(manifest.note))
    for (const file of manifest.files) {
      for await (const piece of createReadStream(join(dir, file.name))) await write(piece as Buffer)
    }
  } finally {
    sink.end()
    await once(sink, 'close')
  }
}

export interface BundleReading {
  /** Called once the signature is checked, before any file: throws to refuse (a downgrade, another platform). */
  accept: (manifest: SignedManifest) => void
  /** Where each file goes (a staging directory the caller removes if the bundle is refused). */
  pathOf: (file: ReleaseFile) => string
}

/** Reads a bundle to disk; throws a CausetteError (UPDATE_*) at the first thing wrong. */
export async function readBundle (source: AsyncIterable<Uint8Array>, releaseKey: NoteKey, reading: BundleReading): Promise<SignedManifest> {
  const reader = new ByteReader(source)
  try {
    const manifest = await readHeader(reader, releaseKey)
    reading.accept(manifest)
    for (const file of manifest.files) await readFile(reader, file, reading.pathOf(file))
    if (!await reader.atEnd()) bad('bytes follow the last file')
    return manifest
  } catch (error) {
    await reader.cancel().catch(() => {})
    if (error instanceof EndOfStreamError) throw new CausetteError('UPDATE_TRUNCATED', `release bundle: ${error.message}: the file is truncated`)
    throw error
  }
}

async function readHeader (reader: ByteReader, releaseKey: NoteKey): Promise<SignedManifest> {
  let magic: string | undefined
  let length: string | undefined
  try {
    magic = await reader.readLine(BUNDLE_MAGIC.length)
    length = magic === BUNDLE_MAGIC ? await reader.readLine(8) : undefined
  } catch (error) {
    if (error instanceof TypeError) bad('not a causette release bundle') // not UTF-8
    throw error
  }
  if (magic !== BUNDLE_MAGIC) bad('not a causette release bundle')
  if (length === undefined || !/^[1-9][0-9]{0,7}$/.test(length) || Number(length) > MAX_MANIFEST_BYTES) bad(`the manifest length must be a decimal number up to ${MAX_MANIFEST_BYTES}`)
  let note: string
  try {
    note = new TextDecoder('utf-8', { fatal: true }).decode(await reader.readExact(Number(length)))
  } catch (error) {
    if (error instanceof TypeError) bad('the manifest is not UTF-8')
    throw error
  }
  return openManifest(note, releaseKey)
}

async function readFile (reader: ByteReader, file: ReleaseFile, path: string): Promise<void> {
  const digest = new StreamingDigest()
  const sink = createWriteStream(path, { flags: 'wx', mode: 0o600 })
  const closed = once(sink, 'close')
  try {
    await reader.pass(file.size, async piece => {
      digest.update(piece)
      if (!sink.write(piece)) await once(sink, 'drain')
    })
  } finally {
    sink.end()
    await closed
  }
  const got = digest.digest()
  if (got.sha256 !== file.sha256 || got.chunkRoot !== file.chunkRoot) {
    throw new CausetteError('UPDATE_TAMPERED', `release bundle: ${file.name} does not match its SHA-256 in the signed manifest`)
  }
}
