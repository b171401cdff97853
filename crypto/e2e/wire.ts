// The wire form of a ratchet message, in bytes:
//
//   version   u8   1
//   kind      u8   1 = message, 2 = session start then message
//   [kind 2]  identity key (32) | base key (32) | prekey id (u32)   the initiator's X3DH values
//   ratchet   sender's ratchet public key (32) | previous chain length (u32) | message number (u32)
//   sealed    XChaCha20-Poly1305 ciphertext and tag (16..MAX_SEALED_BYTES)
//
// Every byte before `sealed` is the header, authenticated as associated data (after the session's
// own associated data), so no header field can be changed without the message being refused.
import { concat } from '../encoding.js'
import { AEAD_TAG_BYTES } from './aead.js'
import { ByteReader, isU32, u32be } from './bytes.js'
import { e2eFail } from './errors.js'
import { X25519_KEY_BYTES } from './x25519.js'

export const WIRE_VERSION = 1
const KIND_MESSAGE = 1
const KIND_START = 2
/** Largest sealed part: an inner payload (payload.ts) with its limits, and the tag. */
export const MAX_SEALED_BYTES = 192 * 1024
export const MAX_RATCHET_MESSAGE_BYTES = 2 + 2 * X25519_KEY_BYTES + 4 + X25519_KEY_BYTES + 8 + MAX_SEALED_BYTES

/** What the responder needs to derive the X3DH secret. */
export interface SessionStart {
  identityKey: Uint8Array
  baseKey: Uint8Array
  prekeyId: number
}

export interface RatchetHeader {
  dh: Uint8Array
  pn: number
  n: number
}

export interface RatchetMessage {
  start: SessionStart | null
  header: RatchetHeader
  /** The exact bytes before `sealed`: associated data. */
  headerBytes: Uint8Array
  sealed: Uint8Array
}

const fail = (why: string): never => e2eFail('E2E_BAD_MESSAGE', `ratchet message: ${why}`)

export function encodeHeader (start: SessionStart | null, header: RatchetHeader): Uint8Array {
  if (!isU32(header.pn) || !isU32(header.n)) fail('counters must be u32')
  const parts: Uint8Array[] = [Uint8Array.of(WIRE_VERSION, start === null ? KIND_MESSAGE : KIND_START)]
  if (start !== null) parts.push(start.identityKey, start.baseKey, u32be(start.prekeyId))
  parts.push(header.dh, u32be(header.pn), u32be(header.n))
  return concat(parts)
}

export function encodeRatchetMessage (headerBytes: Uint8Array, sealed: Uint8Array): Uint8Array {
  return concat([headerBytes, sealed])
}

export function decodeRatchetMessage (bytes: Uint8Array): RatchetMessage {
  if (bytes.length > MAX_RATCHET_MESSAGE_BYTES) fail(`over ${MAX_RATCHET_MESSAGE_BYTES} bytes`)
  const r = new ByteReader(bytes, fail)
  if (r.u8('version') !== WIRE_VERSION) fail('unknown version')
  const kind = r.u8('kind')
  if (kind !== KIND_MESSAGE && kind !== KIND_START) fail('unknown kind')
  const start = kind === KIND_START
    ? { identityKey: r.take(X25519_KEY_BYTES, 'identity key'), baseKey: r.take(X25519_KEY_BYTES, 'base key'), prekeyId: r.u32('prekey id') }
    : null
  const header = { dh: r.take(X25519_KEY_BYTES, 'ratchet key'), pn: r.u32('previous chain length'), n: r.u32('message number') }
  const headerBytes = bytes.subarray(0, r.position)
  const sealed = r.rest()
  if (sealed.length < AEAD_TAG_BYTES) fail('truncated ciphertext')
  if (sealed.length > MAX_SEALED_BYTES) fail(`ciphertext over ${MAX_SEALED_BYTES} bytes`)
  return { start, header, headerBytes, sealed }
}
