// The invite code (DESIGN.md §3): one line of text to copy, paste or show as a QR code. It carries
// the workspace root key (the invitee pins it), the invite secret (the seed of the invite's Ed25519
// key), the inviting device's key and its addresses. Binary, then base64url, after a short prefix;
// a 4-byte SHA-256 checksum turns a mistyped code into a clear error instead of a failed dial.
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { concat, equals, fromBase64Url, toBase64Url, utf8 } from '../../crypto/encoding.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import { sha256 } from '../../crypto/sha256.js'
import { WorkspaceError } from './errors.js'

export const INVITE_CODE_PREFIX = 'causette-invite:'
const VERSION = 1
const KEY_BYTES = 32
const CHECKSUM_BYTES = 4
export const MAX_INVITE_ADDRESSES = 8
const MAX_ADDRESS_BYTES = 255
const P2P_CODE = 421

export interface InviteCode {
  root: Uint8Array
  /** The invite secret: the 32-byte seed of the invite's Ed25519 key. */
  secret: Uint8Array
  /** The inviting device's key; its PeerId ends every address. */
  inviter: Uint8Array
  /** Transport addresses of the inviting node, without /p2p/. */
  addresses: Multiaddr[]
}

function bad (why: string): never {
  throw new WorkspaceError('INVITE_BAD_CODE', `invite code: ${why}`)
}

const checksum = (payload: Uint8Array): Uint8Array => sha256(utf8(INVITE_CODE_PREFIX), payload).subarray(0, CHECKSUM_BYTES)

const isLoopback = (a: Multiaddr): boolean => /^\/(ip4\/127\.|ip6\/::1\/)/.test(a.toString())

export function encodeInviteCode (code: InviteCode): string {
  // Loopback last: useful only on the same machine, and the first eight addresses are kept.
  const ordered = [...code.addresses].sort((a, b) => Number(isLoopback(a)) - Number(isLoopback(b)))
  const addresses = ordered.map(a => a.decapsulateCode(P2P_CODE).bytes).filter(b => b.length > 0 && b.length <= MAX_ADDRESS_BYTES).slice(0, MAX_INVITE_ADDRESSES)
  if (addresses.length === 0) bad('the inviting node has no address to give')
  const payload = concat([
    [VERSION], code.root, code.secret, code.inviter, [addresses.length],
    ...addresses.flatMap(a => [Uint8Array.of(a.length), a])
  ].map(part => Uint8Array.from(part)))
  return INVITE_CODE_PREFIX + toBase64Url(concat([payload, checksum(payload)]))
}

export function decodeInviteCode (text: string): InviteCode {
  const trimmed = text.replace(/\s+/g, '')
  if (!trimmed.startsWith(INVITE_CODE_PREFIX)) bad(`must start with ${INVITE_CODE_PREFIX}`)
  let bytes: Uint8Array
  try { bytes = fromBase64Url(trimmed.slice(INVITE_CODE_PREFIX.length)) } catch { bad('mistyped or incomplete: not base64url after the prefix') }
  if (bytes.length < 1 + 3 * KEY_BYTES + 1 + CHECKSUM_BYTES) bad('too short: is it complete?')
  const payload = bytes.subarray(0, bytes.length - CHECKSUM_BYTES)
  if (!equals(checksum(payload), bytes.subarray(payload.length))) bad('mistyped or incomplete (checksum mismatch)')
  if (payload[0] !== VERSION) bad(`version ${payload[0]!} is not supported`)
  let at = 1
  const take = (n: number): Uint8Array => {
    if (at + n > payload.length) bad('truncated')
    const part = payload.slice(at, at + n)
    at += n
    return part
  }
  const root = take(KEY_BYTES)
  const secret = take(KEY_BYTES)
  const inviter = take(KEY_BYTES)
  const count = take(1)[0]!
  if (count === 0 || count > MAX_INVITE_ADDRESSES) bad('wrong number of addresses')
  const addresses: Multiaddr[] = []
  for (let i = 0; i < count; i++) {
    const raw = take(take(1)[0]!)
    try { addresses.push(multiaddr(raw)) } catch { bad(`address ${i + 1} is not a multiaddr`) }
  }
  if (at !== payload.length) bad('trailing bytes')
  return { root, secret, inviter, addresses }
}

/** The addresses to dial, each ending with the inviter's PeerId so Noise authenticates it. */
export function dialAddresses (code: InviteCode): Multiaddr[] {
  const peer = ed25519PeerId(code.inviter)
  return code.addresses.map(a => a.encapsulate(`/p2p/${peer}`))
}

const UNITS_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 }

/** `causette invite --expires 24h`: minutes, hours or days (`30m`, `24h`, `7d`) in milliseconds. */
export function parseInviteExpiry (text: string): number {
  const match = /^([1-9][0-9]{0,4})([mhd])$/.exec(text.trim())
  if (match === null) throw new WorkspaceError('WORKSPACE_BAD_REQUEST', `invite expiry "${text}" must be a number then m, h or d (for example 24h)`)
  return Number(match[1]) * UNITS_MS[match[2]!]!
}
