// A presence as its author signs it: exact text bytes that start with the purpose label, so a peer
// that passes it on cannot change a word of it, and a signature made for anything else cannot pass
// for one. Format (one field per line, exceptions last, each at most once per conversation):
//
//   causette/presence/v1
//   device: <base64 Ed25519 key>
//   status: available|focus|away|offline
//   until: <Unix ms>|none
//   issued: <Unix ms>
//   text: <one line, may be empty>
//   photo: <SHA-256, 64 hex digits> image/jpeg|image/webp      (only when the author has a photo)
//   except: <conversation id> <status>
import { ED25519_PUBLIC_KEY_BYTES, ed25519Verify } from '../../crypto/ed25519.js'
import { parseBase64, toBase64, utf8 } from '../../crypto/encoding.js'
import { integerField, readFields } from '../../crypto/text-fields.js'
import { purposeLabel } from '../../crypto/signing-labels.js'
import type { Signer } from '../../crypto/signing.js'
import { PHOTO_TYPES, type PhotoRef, type PhotoType } from '../profile/photo.js'
import { PresenceError } from './errors.js'
import { MAX_PRESENCE_EXCEPTIONS, MAX_PRESENCE_TEXT_LENGTH, PRESENCE_STATUSES, type PresenceStatus } from './limits.js'

export type { PhotoRef }

const HEADER = purposeLabel('presence')
const FIELDS = ['device', 'status', 'until', 'issued', 'text'] as const
const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/
const PHOTO_LINE = /^photo: ([0-9a-f]{64}) (\S+)$/
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/

export interface PresenceException {
  /** A conversation id: a 1:1 conversation today, a channel's later. */
  conversation: string
  status: PresenceStatus
}

export interface SignedPresence {
  device: Uint8Array
  status: PresenceStatus
  text: string
  /** Unix ms when the status ends (back to available); null for no end. */
  until: number | null
  /** Unix ms when it was signed: receivers refuse stale, future-dated and replayed ones. */
  issued: number
  exceptions: PresenceException[]
  /** The author's photo, as colleagues fetch it (/causette/photo/1.0.0); null without one. */
  photo: PhotoRef | null
}

function fail (why: string): never {
  throw new PresenceError('PRESENCE_MALFORMED', `presence: ${why}`)
}

export function isPresenceStatus (value: string): value is PresenceStatus {
  return (PRESENCE_STATUSES as readonly string[]).includes(value)
}

/** A status text is one line of printable text; control characters are refused, not stripped. */
export function isValidPresenceText (text: string): boolean {
  return [...text].length <= MAX_PRESENCE_TEXT_LENGTH && !CONTROL.test(text) && text === text.trim()
}

function encodePresence (p: SignedPresence): Uint8Array {
  const bytes = utf8([
    HEADER,
    `device: ${toBase64(p.device)}`,
    `status: ${p.status}`,
    `until: ${p.until ?? 'none'}`,
    `issued: ${p.issued}`,
    `text: ${p.text}`,
    ...(p.photo === null ? [] : [`photo: ${p.photo.sha256} ${p.photo.type}`]),
    ...p.exceptions.map(e => `except: ${e.conversation} ${e.status}`)
  ].join('\n') + '\n')
  parsePresence(bytes)
  return bytes
}

export function parsePresence (bytes: Uint8Array): SignedPresence {
  const { values, rest } = readFields(bytes, HEADER, FIELDS, fail)
  const [device, status, until, issued, statusText] = values as [string, string, string, string, string]
  if (!isPresenceStatus(status)) fail(`unknown status "${status.slice(0, 20)}"`)
  if (!isValidPresenceText(statusText)) fail(`text is longer than ${MAX_PRESENCE_TEXT_LENGTH} characters or has control characters`)
  return {
    device: parseBase64(device, ED25519_PUBLIC_KEY_BYTES) ?? fail('device is not a 32-byte key'),
    status,
    text: statusText,
    until: until === 'none' ? null : integerField(until, 'until', 0, fail),
    issued: integerField(issued, 'issued', 0, fail),
    photo: rest[0]?.startsWith('photo: ') === true ? parsePhoto(rest.shift()!) : null,
    exceptions: parseExceptions(rest)
  }
}

function parsePhoto (line: string): PhotoRef {
  const [, sha256, type] = PHOTO_LINE.exec(line) ?? fail('a photo line must be "photo: <64 hex digits> <type>"')
  if (!(PHOTO_TYPES as readonly string[]).includes(type!)) fail(`a photo is ${PHOTO_TYPES.join(' or ')}, not "${type!.slice(0, 20)}"`)
  return { sha256: sha256!, type: type as PhotoType }
}

function parseExceptions (lines: string[]): PresenceException[] {
  if (lines.length > MAX_PRESENCE_EXCEPTIONS) fail(`more than ${MAX_PRESENCE_EXCEPTIONS} exceptions`)
  const seen = new Set<string>()
  return lines.map(line => {
    const [label, conversation = '', status = '', ...rest] = line.split(' ')
    if (label !== 'except:' || rest.length > 0 || !CONVERSATION_ID.test(conversation) || !isPresenceStatus(status)) fail('an exception line must be "except: <conversation> <status>"')
    if (seen.has(conversation)) fail('two exceptions for one conversation')
    seen.add(conversation)
    return { conversation, status }
  })
}

export function signPresence (sign: Signer, presence: SignedPresence): { bytes: Uint8Array, signature: Uint8Array } {
  const bytes = encodePresence(presence)
  return { bytes, signature: sign(bytes) }
}

/** Parses and checks the signature against the device key the text names. */
export function verifyPresence (bytes: Uint8Array, signature: Uint8Array): SignedPresence {
  const presence = parsePresence(bytes)
  if (!ed25519Verify(presence.device, bytes, signature)) throw new PresenceError('PRESENCE_BAD_SIGNATURE', 'presence: the signature is not the device\'s')
  return presence
}
