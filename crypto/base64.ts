// Strict standard base64 (RFC 4648 §4, padded) for the verifier's and exporter's hot paths: the
// generic codec we use elsewhere (uint8arrays) took 8 µs to decode a 500-byte leaf, most of a
// verification's time. Strict means one spelling per byte string: padding only at the end, unused
// bits zero.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const INVALID = 0xff
// Indexed by UTF-16 code unit, so that no character outside the alphabet can alias a valid one.
const VALUES = new Uint8Array(65536).fill(INVALID)
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i
const LATIN1 = new TextDecoder('latin1')

/** Decodes canonical padded base64, or returns undefined (with `length`: of exactly that many bytes). */
export function decodeBase64 (text: string, length?: number): Uint8Array | undefined {
  const n = text.length
  if (n % 4 !== 0) return undefined
  const padding = n === 0 ? 0 : text.charCodeAt(n - 1) !== 61 ? 0 : text.charCodeAt(n - 2) === 61 ? 2 : 1
  const bytes = new Uint8Array(n / 4 * 3 - padding)
  if (length !== undefined && bytes.length !== length) return undefined
  const whole = padding === 0 ? n : n - 4
  let out = 0
  for (let i = 0; i < whole; i += 4) {
    const a = VALUES[text.charCodeAt(i)]!
    const b = VALUES[text.charCodeAt(i + 1)]!
    const c = VALUES[text.charCodeAt(i + 2)]!
    const d = VALUES[text.charCodeAt(i + 3)]!
    if (((a | b | c | d) & 0x80) !== 0) return undefined
    bytes[out++] = (a << 2) | (b >> 4)
    bytes[out++] = ((b & 0x0f) << 4) | (c >> 2)
    bytes[out++] = ((c & 0x03) << 6) | d
  }
  if (padding === 0) return bytes
  const a = VALUES[text.charCodeAt(whole)]!
  const b = VALUES[text.charCodeAt(whole + 1)]!
  const c = padding === 2 ? 0 : VALUES[text.charCodeAt(whole + 2)]!
  if (((a | b | c) & 0x80) !== 0) return undefined
  // The bits past the last byte must be zero, or two spellings would decode to the same bytes.
  if (padding === 2 ? (b & 0x0f) !== 0 : (c & 0x03) !== 0) return undefined
  bytes[out++] = (a << 2) | (b >> 4)
  if (padding === 1) bytes[out] = ((b & 0x0f) << 4) | (c >> 2)
  return bytes
}

/** The engine's own encoder (Uint8Array.prototype.toBase64: Node 25+, Chromium 140+), when it has one. */
const nativeEncode = (Uint8Array.prototype as { toBase64?: () => string }).toBase64

/**
 * Standard padded base64: the engine's encoder where there is one (the same text, 7x faster: it was
 * ~1.5% of a node's CPU per message, bench, issue 15), else ours. Decoding stays ours: the engine's
 * skips whitespace, and a strict decoder must refuse every spelling but one.
 */
export function encodeBase64 (bytes: Uint8Array): string {
  return nativeEncode !== undefined ? nativeEncode.call(bytes) : encodeBase64InJs(bytes)
}

const URL_SPELLING = { alphabet: 'base64url', omitPadding: true }

/** Unpadded base64url by the engine's encoder, or undefined where it has none (the caller's generic codec then). */
export function encodeBase64UrlNatively (bytes: Uint8Array): string | undefined {
  return nativeEncode !== undefined ? (nativeEncode as (options: object) => string).call(bytes, URL_SPELLING) : undefined
}

const BASE64URL_CHARACTERS = /^[A-Za-z0-9_-]*$/
const PADDING = ['', '', '==', '=']

/**
 * Decodes canonical unpadded base64url (no other character, unused bits zero), or returns undefined:
 * as base64 with its two letters swapped back and its padding put back, through the strict decoder.
 */
export function decodeBase64Url (text: string): Uint8Array | undefined {
  if (!BASE64URL_CHARACTERS.test(text) || text.length % 4 === 1) return undefined
  return decodeBase64(text.replaceAll('-', '+').replaceAll('_', '/') + PADDING[text.length % 4]!)
}

/** Ours, for engines without toBase64 (exported for the test that compares the two). */
export function encodeBase64InJs (bytes: Uint8Array): string {
  const codes = new Uint8Array(Math.ceil(bytes.length / 3) * 4)
  let out = 0
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    codes[out++] = ALPHABET.charCodeAt(n >> 18)
    codes[out++] = ALPHABET.charCodeAt((n >> 12) & 63)
    codes[out++] = i + 1 < bytes.length ? ALPHABET.charCodeAt((n >> 6) & 63) : 61
    codes[out++] = i + 2 < bytes.length ? ALPHABET.charCodeAt(n & 63) : 61
  }
  return LATIN1.decode(codes)
}
