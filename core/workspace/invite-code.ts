// The invite code (docs/SECURITY.md, "Short invite codes"): 40 characters to read over the phone or
// type, in 8 groups of 5, carried in a link to the joiner's own app. It holds what the joiner cannot
// learn otherwise: a 128-bit random token (the invite key's seed is derived from it) and the inviting
// node's IPv4 address and TCP port. The workspace's root key and the inviter's key are not in it: the
// joiner learns them over the connection and checks them (join.ts), because only the inviter, who
// knows the token, can show the proof bound to them (invite-proof.ts).
// Crockford base32 (no I, L, O, U; those typed are read as 1, 1, 0; case and dashes ignored) of
// 22 bytes and a CRC-24 over them: every single mistyped character and every swap of two neighbours
// is a clear error, not a failed dial (a CRC of degree 24 catches every burst of up to 24 bits).
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { concat, utf8 } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'
import { WorkspaceError } from '../errors.js'

export const INVITE_TOKEN_BYTES = 16
const PAYLOAD_BYTES = INVITE_TOKEN_BYTES + 4 + 2
const CRC_BYTES = 3
/** Characters of a code without its dashes: 25 bytes are exactly 40 base32 characters. */
export const INVITE_CODE_LENGTH = (PAYLOAD_BYTES + CRC_BYTES) * 8 / 5
const GROUP = 5
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const SEED_LABEL = utf8('causette/invite-seed/v2')
/** The app's join screen, on the joiner's own node (its default API port). */
export const DEFAULT_JOIN_LINK_BASE = 'http://127.0.0.1:7421/#/join/'

export interface InviteCode {
  /** The 16 random bytes the code carries. */
  token: Uint8Array
  /** The invite secret: the 32-byte seed of the invite's Ed25519 key, derived from the token. */
  secret: Uint8Array
  /** The inviting node's IPv4 TCP address, without /p2p/ (the joiner learns its PeerId on connecting). */
  address: Multiaddr
}

function bad (why: string): never {
  throw new WorkspaceError('INVITE_BAD_CODE', `invite code: ${why}`)
}

/** The invite key's seed: a hash of the token under its own label, so the token is never used as a key itself. */
export const inviteSeed = (token: Uint8Array): Uint8Array => sha256(SEED_LABEL, token)

/** CRC-24 of OpenPGP (RFC 4880 §6.1), most significant bit first. */
function crc24 (bytes: Uint8Array): Uint8Array {
  let crc = 0xB704CE
  for (const byte of bytes) {
    crc ^= byte << 16
    for (let bit = 0; bit < 8; bit++) {
      crc <<= 1
      if ((crc & 0x1000000) !== 0) crc ^= 0x1864CFB
    }
  }
  return Uint8Array.of((crc >> 16) & 0xff, (crc >> 8) & 0xff, crc & 0xff)
}

function toBase32 (bytes: Uint8Array): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += ALPHABET[(buffer >> bits) & 31]
    }
    buffer &= (1 << bits) - 1
  }
  return out
}

function fromBase32 (text: string): Uint8Array {
  const bytes: number[] = []
  let buffer = 0
  let bits = 0
  for (const char of text) {
    const value = ALPHABET.indexOf(char)
    if (value === -1) bad(`"${char}" is not one of its characters (digits and letters except U)`)
    buffer = (buffer << 5) | value
    bits += 5
    if (bits >= 8) {
      bits -= 8
      bytes.push((buffer >> bits) & 0xff)
      buffer &= (1 << bits) - 1
    }
  }
  return Uint8Array.from(bytes)
}

/** Upper case, without spaces and dashes, with the letters people confuse read as the digits they look like. */
function normalise (text: string): string {
  return text.toUpperCase().replace(/[\s-]+/g, '').replace(/[IL]/g, '1').replace(/O/g, '0')
}

/** The first IPv4 TCP address that is not loopback, else a loopback one (the same machine). */
export function inviteAddress (addresses: Multiaddr[]): Multiaddr {
  const ipv4 = addresses.map(a => a.decapsulateCode(421)).filter(a => /^\/ip4\/[0-9.]+\/tcp\/[0-9]+$/.test(a.toString()))
  const chosen = ipv4.find(a => !a.toString().startsWith('/ip4/127.')) ?? ipv4[0]
  if (chosen === undefined) bad('the inviting node listens on no IPv4 TCP address to give')
  return chosen
}

/**
 * An address the admin chose for the code (`--address`): an IPv4 literal, with a port or this node's
 * (an address of this computer on the network the joiner can reach, or a router's that forwards).
 */
export function chosenInviteAddress (text: string, own: Multiaddr): Multiaddr {
  const match = /^((?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]))(?::([1-9][0-9]{0,4}))?$/.exec(text.trim())
  const port = match?.[2] === undefined ? own.toString().split('/')[4] : match[2]
  if (match === null || Number(port) > 65535) throw new WorkspaceError('WORKSPACE_BAD_REQUEST', `invite address "${text}" must be an IPv4 address, with a port if need be (for example 10.1.2.3 or 10.1.2.3:7420)`)
  return multiaddr(`/ip4/${match[1]!}/tcp/${port!}`)
}

export function encodeInviteCode (code: { token: Uint8Array, address: Multiaddr }): string {
  if (code.token.length !== INVITE_TOKEN_BYTES) bad(`the token must be ${INVITE_TOKEN_BYTES} bytes`)
  const [, , ip, , port] = inviteAddress([code.address]).toString().split('/')
  const payload = concat([code.token, Uint8Array.from(ip!.split('.').map(Number)), Uint8Array.of(Number(port) >> 8, Number(port) & 0xff)])
  const text = toBase32(concat([payload, crc24(payload)]))
  return text.match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-')
}

/** Reads a code, or the link that carries one. */
export function decodeInviteCode (text: string): InviteCode {
  const normal = normalise(inviteCodeFromLink(text))
  if (normal.startsWith('CAUSETTE')) bad('this is an old long code: ask for a new invite (40 characters)')
  if (normal.length !== INVITE_CODE_LENGTH) bad(`it has ${normal.length} characters instead of ${INVITE_CODE_LENGTH}: is it complete?`)
  const bytes = fromBase32(normal)
  const payload = bytes.subarray(0, PAYLOAD_BYTES)
  const crc = crc24(payload)
  if (crc.some((byte, i) => byte !== bytes[PAYLOAD_BYTES + i])) bad('mistyped: a character is wrong or two are swapped (the check does not match)')
  const token = payload.slice(0, INVITE_TOKEN_BYTES)
  const ip = [...payload.subarray(INVITE_TOKEN_BYTES, INVITE_TOKEN_BYTES + 4)].join('.')
  const port = (payload[PAYLOAD_BYTES - 2]! << 8) | payload[PAYLOAD_BYTES - 1]!
  if (port === 0) bad('port 0 is not an address')
  return { token, secret: inviteSeed(token), address: multiaddr(`/ip4/${ip}/tcp/${port}`) }
}

/** A code's address as people write it: `10.1.2.3:7420`. */
export function inviteHostPort (address: Multiaddr): string {
  const [, , ip, , port] = address.toString().split('/')
  return `${ip!}:${port!}`
}

/** The link that opens the joiner's app on its join screen with this code. */
export const inviteLink = (code: string, base = DEFAULT_JOIN_LINK_BASE): string => base + code

/** The code in a link to the join screen, or the text itself when it is no link. */
function inviteCodeFromLink (text: string): string {
  const match = /#\/join\/([^/?#\s]+)/.exec(text)
  return match === null ? text : match[1]!
}

const UNITS_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 }

/** `causette invite --expires 24h`: minutes, hours or days (`30m`, `24h`, `7d`) in milliseconds. */
export function parseInviteExpiry (text: string): number {
  const match = /^([1-9][0-9]{0,4})([mhd])$/.exec(text.trim())
  if (match === null) throw new WorkspaceError('WORKSPACE_BAD_REQUEST', `invite expiry "${text}" must be a number then m, h or d (for example 24h)`)
  return Number(match[1]) * UNITS_MS[match[2]!]!
}
