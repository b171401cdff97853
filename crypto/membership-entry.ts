// The membership log's entries (DESIGN.md §3) and the invitee's join request, as exact text bytes:
// a purpose label line, then `field: value` lines in a fixed order for each kind. Bytes are signed
// and hashed as they are and never re-serialised; `encode*` refuses to produce what `parse*` would
// refuse to read. Pure: no Node imports, so the browser can read a log.
import { CodedError } from './coded-error.js'
import { purposeLabel } from './signing-labels.js'
import { fromUtf8, parseBase64, toBase64, utf8 } from './encoding.js'

/** Purpose labels (to be added to signing-labels.ts as 'membership' and 'join'). */
export const MEMBERSHIP_LABEL = purposeLabel('membership')
export const JOIN_LABEL = purposeLabel('join')

export const ROLES = ['admin', 'member'] as const
export type Role = typeof ROLES[number]
export const ENTRY_KINDS = ['genesis', 'invite', 'admit', 'remove', 'role', 'prekey', 'revoke'] as const
export type EntryKind = typeof ENTRY_KINDS[number]

/** Largest entry, and largest join request (embedded in an admit entry as base64). */
export const MAX_ENTRY_BYTES = 4096
export const MAX_JOIN_REQUEST_BYTES = 2048

interface EntryHead {
  seq: number
  /** SHA-256 of the previous entry's bytes; null for the genesis alone. */
  previous: Uint8Array | null
  /** Ed25519 device key that signed the entry. */
  signer: Uint8Array
  /** Unix time in milliseconds, by the signer's clock. */
  time: number
}

/** A device's published keys and display name. */
export interface DeviceKeysInfo {
  identityKey: Uint8Array
  prekeyId: number
  prekey: Uint8Array
}

export type EntryBody =
  /** The workspace's first entry; the signer is the root key and the first admin. */
  | { kind: 'genesis', name: string, deviceName: string } & DeviceKeysInfo
  /** `inviteKey` is the Ed25519 public key whose seed is the invite secret (the commitment). */
  | { kind: 'invite', inviteKey: Uint8Array, role: Role, expires: number }
  /** `request` is the invitee's join request bytes, signed by its device key and by the invite key. */
  | { kind: 'admit', role: Role, invite: Uint8Array, request: Uint8Array, requestSignature: Uint8Array, inviteSignature: Uint8Array }
  | { kind: 'remove', device: Uint8Array, reason: string }
  | { kind: 'role', device: Uint8Array, role: Role }
  /** Signed by the device itself. */
  | { kind: 'prekey', prekeyId: number, prekey: Uint8Array }
  /** An admin withdraws an open invite: no admission may use it after this entry. */
  | { kind: 'revoke', inviteKey: Uint8Array }

export type MembershipEntry = EntryHead & EntryBody

/** What an invitee signs, twice: with its device key (its keys are its own) and with the invite key (it holds the secret). */
export interface JoinRequest extends DeviceKeysInfo {
  /** The workspace root key the invite code pinned. */
  root: Uint8Array
  invite: Uint8Array
  device: Uint8Array
  name: string
  time: number
}

export const MEMBERSHIP_ERROR_CODES = [
  'MEMBERSHIP_BAD_ENTRY', // unparsable, oversized, or a field out of its rules
  'MEMBERSHIP_BAD_SIGNATURE', // the entry's signature is not the signer's
  'MEMBERSHIP_BROKEN_CHAIN', // previous hash or sequence number does not follow the log
  'MEMBERSHIP_FORK', // a different entry after the same previous entry as one we hold
  'MEMBERSHIP_WRONG_WORKSPACE', // a genesis other than the pinned root key's or our own
  'MEMBERSHIP_NOT_ADMIN', // the signer is not an admin at that point of the log
  'MEMBERSHIP_REMOVED', // the signer (or the device admitted) was removed
  'MEMBERSHIP_NOT_MEMBER', // the entry names a device that is not a member
  'MEMBERSHIP_ALREADY_MEMBER',
  'MEMBERSHIP_UNKNOWN_INVITE',
  'MEMBERSHIP_INVITE_USED', // an invite is single use
  'MEMBERSHIP_INVITE_EXPIRED',
  'MEMBERSHIP_INVITE_REVOKED', // an admin revoked it, or its inviter is no longer an admin
  'MEMBERSHIP_BAD_JOIN_REQUEST', // unparsable request, or a signature by the device or the invite key that does not verify
  'MEMBERSHIP_LAST_ADMIN', // the change would leave the workspace without an admin
  'MEMBERSHIP_PREKEY_TOO_SOON', // a device's prekey less than PREKEY_MIN_INTERVAL_MS after its previous one (signed times)
  'MEMBERSHIP_PREKEY_AHEAD' // a new prekey entry signed too far ahead of this node's clock (core/workspace/membership.ts)
] as const
export type MembershipErrorCode = typeof MEMBERSHIP_ERROR_CODES[number]

export class MembershipError extends CodedError<MembershipErrorCode> {
  override name = 'MembershipError'
}

export function membershipFail (code: MembershipErrorCode, message: string): never {
  throw new MembershipError(code, `membership: ${message}`)
}

function badEntry (why: string): never {
  return membershipFail('MEMBERSHIP_BAD_ENTRY', why)
}
const INTEGER_PATTERN = /^(0|[1-9][0-9]{0,15})$/
const MAX_NAME_LENGTH = 64

/** device-record.ts's rule for display names, here without its node:crypto import: one printable line. */
function isValidName (text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return text.trim().length > 0 && [...text].length <= MAX_NAME_LENGTH && !/[\u0000-\u001f\u007f\u2028\u2029]/.test(text)
}

interface Codec { encode: (value: never) => string, decode: (text: string) => unknown, what: string }
const codec = <T>(encode: (value: T) => string, decode: (text: string) => T | undefined, what: string): Codec =>
  ({ encode: encode as (value: never) => string, decode, what })

const key = codec(toBase64, t => parseBase64(t, 32), 'a base64 32-byte key')
const signature = codec(toBase64, t => parseBase64(t, 64), 'a base64 64-byte signature')
const integer = codec<number>(String, t => INTEGER_PATTERN.test(t) && Number.isSafeInteger(Number(t)) ? Number(t) : undefined, 'an integer')
const name = codec<string>(String, t => isValidName(t) ? t : undefined, 'one line of 1 to 64 printable characters')
const role = codec<Role>(String, t => (ROLES as readonly string[]).includes(t) ? t as Role : undefined, 'admin or member')
const kind = codec<EntryKind>(String, t => (ENTRY_KINDS as readonly string[]).includes(t) ? t as EntryKind : undefined, 'a known kind')
const previous = codec<Uint8Array | null>(v => v === null ? 'none' : toBase64(v), t => t === 'none' ? null : parseBase64(t, 32), 'none or a base64 SHA-256')
const request = codec(toBase64, t => { const b = parseBase64(t); return b !== undefined && b.length <= MAX_JOIN_REQUEST_BYTES ? b : undefined }, 'a base64 join request')

/** Text field name → property name and codec. */
const FIELDS: Record<string, [string, Codec]> = {
  kind: ['kind', kind],
  seq: ['seq', integer],
  previous: ['previous', previous],
  signer: ['signer', key],
  time: ['time', integer],
  name: ['name', name],
  'device-name': ['deviceName', name],
  'identity-key': ['identityKey', key],
  'prekey-id': ['prekeyId', integer],
  prekey: ['prekey', key],
  'invite-key': ['inviteKey', key],
  role: ['role', role],
  expires: ['expires', integer],
  invite: ['invite', key],
  request: ['request', request],
  'request-signature': ['requestSignature', signature],
  'invite-signature': ['inviteSignature', signature],
  device: ['device', key],
  reason: ['reason', name],
  root: ['root', key]
}

const HEAD_FIELDS = ['kind', 'seq', 'previous', 'signer', 'time']
const KIND_FIELDS: Record<EntryKind, string[]> = {
  genesis: ['name', 'device-name', 'identity-key', 'prekey-id', 'prekey'],
  invite: ['invite-key', 'role', 'expires'],
  admit: ['role', 'invite', 'request', 'request-signature', 'invite-signature'],
  remove: ['device', 'reason'],
  role: ['device', 'role'],
  prekey: ['prekey-id', 'prekey'],
  revoke: ['invite-key']
}
const JOIN_FIELDS = ['root', 'invite', 'device', 'identity-key', 'prekey-id', 'prekey', 'name', 'time']

function encodeFields (label: string, fields: string[], value: Record<string, unknown>): Uint8Array {
  const lines = [label]
  for (const field of fields) {
    const [prop, c] = FIELDS[field]!
    if (!(prop in value)) badEntry(`${field} is missing`)
    lines.push(`${field}: ${c.encode(value[prop] as never)}`)
  }
  return utf8(lines.join('\n') + '\n')
}

/** Splits exact bytes into the values of `fields` (after the label line); `fieldsFor` may extend them from the first value. */
function parseFields (bytes: Uint8Array, label: string, maxBytes: number, fields: string[], fieldsFor?: (first: unknown) => string[]): Record<string, unknown> {
  if (bytes.length > maxBytes) badEntry(`over ${maxBytes} bytes`)
  let text: string
  try { text = fromUtf8(bytes) } catch { badEntry('not UTF-8') }
  if (!text.endsWith('\n')) badEntry('must end with a newline')
  const lines = text.slice(0, -1).split('\n')
  if (lines[0] !== label) badEntry(`first line must be ${label}`)
  const values: Record<string, unknown> = {}
  let expected = fields
  for (let i = 0; i < expected.length; i++) {
    const field = expected[i]!
    const line = lines[i + 1]
    if (line === undefined || !line.startsWith(`${field}: `)) badEntry(`line ${i + 2} must be "${field}"`)
    const [prop, c] = FIELDS[field]!
    const value = c.decode(line.slice(field.length + 2))
    if (value === undefined) badEntry(`${field} must be ${c.what}`)
    values[prop] = value
    if (i === 0 && fieldsFor !== undefined) expected = [...fields, ...fieldsFor(value)]
  }
  if (lines.length !== expected.length + 1) badEntry(`expected ${expected.length} fields`)
  return values
}

export function encodeEntry (entry: MembershipEntry): Uint8Array {
  const bytes = encodeFields(MEMBERSHIP_LABEL, [...HEAD_FIELDS, ...KIND_FIELDS[entry.kind]], entry as unknown as Record<string, unknown>)
  parseEntry(bytes)
  return bytes
}

export function parseEntry (bytes: Uint8Array): MembershipEntry {
  const entry = parseFields(bytes, MEMBERSHIP_LABEL, MAX_ENTRY_BYTES, HEAD_FIELDS, k => KIND_FIELDS[k as EntryKind]) as unknown as MembershipEntry
  if ((entry.seq === 0) !== (entry.kind === 'genesis')) badEntry('the genesis, and only it, is entry 0')
  if ((entry.seq === 0) !== (entry.previous === null)) badEntry('only entry 0 has no previous entry')
  return entry
}

export function encodeJoinRequest (request: JoinRequest): Uint8Array {
  const bytes = encodeFields(JOIN_LABEL, JOIN_FIELDS, request as unknown as Record<string, unknown>)
  parseJoinRequest(bytes)
  return bytes
}

export function parseJoinRequest (bytes: Uint8Array): JoinRequest {
  try {
    return parseFields(bytes, JOIN_LABEL, MAX_JOIN_REQUEST_BYTES, JOIN_FIELDS) as unknown as JoinRequest
  } catch (error) {
    return membershipFail('MEMBERSHIP_BAD_JOIN_REQUEST', `join request: ${(error as Error).message.replace(/^membership: /, '')}`)
  }
}
