// C2SP signed notes (c2sp.org/signed-note) with Ed25519 signatures, and the tlog-checkpoint text
// they carry (c2sp.org/tlog-checkpoint). Pure: the hash and the verification come as parameters;
// signing takes a callback so the private key stays where it is.
import { concat, parseBase64, toBase64, toHex, utf8 } from './encoding.js'
import type { LogPrimitives } from './log/primitives.js'

const ED25519_TYPE = 0x01
const KEY_ID_BYTES = 4
const SIGNATURE_BYTES = 64
const PUBLIC_KEY_BYTES = 32
const MAX_SIGNATURES = 100
const SIGNATURE_PREFIX = '\u2014 '
const KEY_NAME_PATTERN = /^[^\s+]+$/u
const SIZE_PATTERN = /^(0|[1-9][0-9]{0,15})$/

export class SignedNoteError extends Error {
  override name = 'SignedNoteError'
  readonly code = 'BAD_SIGNED_NOTE'
}

function fail (why: string): never {
  throw new SignedNoteError(`signed note: ${why}`)
}

export interface NoteKey { name: string, keyId: Uint8Array, publicKey: Uint8Array }
export interface NoteSignature { name: string, keyId: Uint8Array, signature: Uint8Array }
export interface Checkpoint { origin: string, size: number, root: Uint8Array, extensions: string[] }

/** key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key)[:4] */
function noteKeyId (sha256: LogPrimitives['sha256'], name: string, publicKey: Uint8Array): Uint8Array {
  return sha256(utf8(name + '\n'), Uint8Array.of(ED25519_TYPE), publicKey).slice(0, KEY_ID_BYTES)
}

export function noteKey (sha256: LogPrimitives['sha256'], name: string, publicKey: Uint8Array): NoteKey {
  if (!KEY_NAME_PATTERN.test(name)) fail('key name must be non-empty, without spaces or "+"')
  if (publicKey.length !== PUBLIC_KEY_BYTES) fail('an Ed25519 public key is 32 bytes')
  return { name, keyId: noteKeyId(sha256, name, publicKey), publicKey }
}

/** The verifier key text used by Go's sumdb/note and C2SP tools: name+hex(key ID)+base64(0x01 || key). */
export function formatVerifierKey (key: NoteKey): string {
  return `${key.name}+${toHex(key.keyId)}+${toBase64(concat([Uint8Array.of(ED25519_TYPE), key.publicKey]))}`
}

export function parseVerifierKey (sha256: LogPrimitives['sha256'], vkey: string): NoteKey {
  const first = vkey.indexOf('+')
  const second = vkey.indexOf('+', first + 1)
  if (first <= 0 || second < 0) fail('a verifier key is name+keyid+key')
  const name = vkey.slice(0, first)
  const idHex = vkey.slice(first + 1, second)
  const material = parseBase64(vkey.slice(second + 1), 1 + PUBLIC_KEY_BYTES)
  if (!/^[0-9a-f]{8}$/.test(idHex)) fail('the key ID must be 8 lowercase hex digits')
  if (material?.[0] !== ED25519_TYPE) fail('only Ed25519 (type 0x01) verifier keys are supported')
  const key = noteKey(sha256, name, material.slice(1))
  if (toHex(key.keyId) !== idHex) fail('the key ID does not match the key')
  return key
}

function checkText (text: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) fail('control characters other than newline are not allowed')
  if (!text.endsWith('\n')) fail('the text must end with a newline')
}

/** Signs `text` and returns the whole note: text, blank line, one signature line. */
export function signNote (key: NoteKey, sign: (message: Uint8Array) => Uint8Array, text: string): string {
  checkText(text)
  const signature = sign(utf8(text))
  if (signature.length !== SIGNATURE_BYTES) fail('an Ed25519 signature is 64 bytes')
  return `${text}\n${SIGNATURE_PREFIX}${key.name} ${toBase64(concat([key.keyId, signature]))}\n`
}

export function parseNote (note: string): { text: string, signatures: NoteSignature[] } {
  checkText(note)
  const split = note.lastIndexOf('\n\n')
  if (split < 0) fail('no blank line before the signatures')
  const text = note.slice(0, split + 1)
  const lines = note.slice(split + 2, -1).split('\n')
  if (lines.length > MAX_SIGNATURES) fail('too many signatures')
  const signatures = lines.map(line => {
    if (!line.startsWith(SIGNATURE_PREFIX)) fail('a signature line starts with an em dash and a space')
    const [name, b64, extra] = line.slice(SIGNATURE_PREFIX.length).split(' ')
    if (name === undefined || !KEY_NAME_PATTERN.test(name) || b64 === undefined || extra !== undefined) fail('a signature line is "— <name> <base64>"')
    const blob = parseBase64(b64)
    if (blob === undefined || blob.length < KEY_ID_BYTES + 1) fail('a signature is base64 of a key ID and a signature')
    return { name, keyId: blob.slice(0, KEY_ID_BYTES), signature: blob.slice(KEY_ID_BYTES) }
  })
  return { text, signatures }
}

/**
 * Checks the note's signature by `key` and returns its text. Signatures by other keys are ignored,
 * as the spec says; a failing signature by `key`, or none at all, rejects the note.
 */
export function openNote (primitives: LogPrimitives, note: string, key: NoteKey): string {
  const { text, signatures } = parseNote(note)
  const ours = signatures.filter(s => s.name === key.name && toHex(s.keyId) === toHex(key.keyId))
  if (ours.length === 0) fail(`not signed by ${key.name}`)
  for (const s of ours) {
    if (!primitives.ed25519Verify(key.publicKey, utf8(text), s.signature)) fail(`bad signature by ${key.name}`)
  }
  return text
}

export function formatCheckpoint (c: { origin: string, size: number, root: Uint8Array }): string {
  return `${c.origin}\n${c.size}\n${toBase64(c.root)}\n`
}

export function parseCheckpoint (text: string): Checkpoint {
  if (!text.endsWith('\n')) fail('a checkpoint ends with a newline')
  const [origin, size, root, ...extensions] = text.slice(0, -1).split('\n')
  if (origin === undefined || origin === '' || size === undefined || root === undefined) fail('a checkpoint has an origin, a size and a root hash')
  if (!SIZE_PATTERN.test(size) || !Number.isSafeInteger(Number(size))) fail('the tree size is not a decimal integer')
  if (extensions.some(line => line === '')) fail('extension lines must not be empty')
  return { origin, size: Number(size), root: parseBase64(root, 32) ?? fail('the root hash is not 32 bytes of base64'), extensions }
}

