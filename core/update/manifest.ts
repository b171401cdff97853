// The release manifest: a C2SP signed note (crypto/signed-note.ts) by the causette release key whose
// text names the version and, per target, the executable's file name, size, SHA-256 and the Merkle
// root of its chunks (chunks.ts), so that a colleague's every chunk can be checked on arrival.
//
//   causette/release/v1
//   version 0.3.0
//   file linux-x64 causette-linux-x64 151234567 <sha256 hex> <chunk root hex>
//   file win-x64 causette-win-x64.exe 160100200 <sha256 hex> <chunk root hex>
import { ed25519Verify } from '../../crypto/ed25519.js'
import { sha256 } from '../../crypto/sha256.js'
import { openNote, parseNote, parseVerifierKey, signNote, type NoteKey } from '../../crypto/signed-note.js'
import { CausetteError } from '../errors.js'
import { TARGETS, type Target } from '../runtime/targets.js'
import { isVersion } from '../runtime/version.js'

export const MANIFEST_HEADER = 'causette/release/v1'
/** A signed manifest of five files is under 2 KB: anything near this is not one. */
export const MAX_MANIFEST_BYTES = 16 * 1024
/** Largest executable a release may carry (the goal is under 60 MB to download; Node 26 SEAs are ~150 MB). */
export const MAX_RELEASE_FILE_BYTES = 512 * 1024 * 1024
const FILE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/
const SIZE_PATTERN = /^[1-9][0-9]{0,9}$/
const HASH_PATTERN = /^[0-9a-f]{64}$/

export interface ReleaseFile {
  target: Target
  name: string
  size: number
  /** SHA-256 of the whole file, lowercase hex. */
  sha256: string
  /** Merkle root (RFC 9162) of the file's chunks, lowercase hex. */
  chunkRoot: string
}

export interface Manifest { version: string, files: ReleaseFile[] }

/** A manifest whose signature by the release key was checked, with the exact note it came from. */
export interface SignedManifest extends Manifest { note: string }

function bad (why: string): never {
  throw new CausetteError('UPDATE_BAD_MANIFEST', `release manifest: ${why}`)
}

export function formatManifest (manifest: Manifest): string {
  const lines = [MANIFEST_HEADER, `version ${manifest.version}`]
  for (const f of manifest.files) lines.push(`file ${f.target} ${f.name} ${f.size} ${f.sha256} ${f.chunkRoot}`)
  return lines.join('\n') + '\n'
}

export function parseManifest (text: string): Manifest {
  if (!text.endsWith('\n')) bad('the text must end with a newline')
  const [header, versionLine, ...fileLines] = text.slice(0, -1).split('\n')
  if (header !== MANIFEST_HEADER) bad(`the first line must be ${MANIFEST_HEADER}`)
  const version = versionLine?.startsWith('version ') === true ? versionLine.slice('version '.length) : bad('the second line must be "version X.Y.Z"')
  if (!isVersion(version)) bad('the version must be MAJOR.MINOR.PATCH')
  if (fileLines.length === 0 || fileLines.length > TARGETS.length) bad(`a release has 1 to ${TARGETS.length} files`)
  const files = fileLines.map(parseFileLine)
  if (new Set(files.map(f => f.target)).size !== files.length) bad('a target is listed twice')
  if (new Set(files.map(f => f.name)).size !== files.length) bad('a file name is listed twice')
  return { version, files }
}

function parseFileLine (line: string): ReleaseFile {
  const [word, target, name, size, hash, root, extra] = line.split(' ')
  if (word !== 'file' || extra !== undefined || root === undefined) bad('a file line is "file <target> <name> <size> <sha256> <chunk root>"')
  if (!(TARGETS as readonly string[]).includes(target!)) bad('unknown target')
  if (!FILE_NAME_PATTERN.test(name!)) bad('a file name is letters, digits, ".", "_" and "-" (at most 128)')
  if (!SIZE_PATTERN.test(size!) || Number(size) > MAX_RELEASE_FILE_BYTES) bad(`a size is a decimal number of bytes up to ${MAX_RELEASE_FILE_BYTES}`)
  if (!HASH_PATTERN.test(hash!) || !HASH_PATTERN.test(root!)) bad('hashes are 64 lowercase hex digits')
  return { target: target as Target, name: name!, size: Number(size), sha256: hash!, chunkRoot: root! }
}

/** The release key as a note verifier key; a malformed key string is a build error, said plainly. */
export function releaseNoteKey (verifierKey: string): NoteKey {
  return parseVerifierKey(sha256, verifierKey)
}

export function signManifest (key: NoteKey, sign: (message: Uint8Array) => Uint8Array, manifest: Manifest): string {
  return signNote(key, sign, formatManifest(parseManifest(formatManifest(manifest))))
}

/** Checks the note's signature by the release key, then parses its text. Nothing else is trusted. */
export function openManifest (note: string, key: NoteKey): SignedManifest {
  if (note.length > MAX_MANIFEST_BYTES) bad(`a signed manifest is at most ${MAX_MANIFEST_BYTES} bytes`)
  try {
    parseNote(note)
  } catch (error) {
    bad((error as Error).message)
  }
  let text: string
  try {
    text = openNote({ sha256, ed25519Verify }, note, key)
  } catch (error) {
    throw new CausetteError('UPDATE_BAD_SIGNATURE', `the release is not signed by the causette release key (${key.name}): ${(error as Error).message}`)
  }
  return { ...parseManifest(text), note }
}

export function fileFor (manifest: Manifest, target: string): ReleaseFile | undefined {
  return manifest.files.find(f => f.target === target)
}
