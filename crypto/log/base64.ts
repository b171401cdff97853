// Strict standard base64 (RFC 4648 §4, padded) decoding for the verifier's hot path: the generic
// decoder we use elsewhere (uint8arrays) took 8 µs for a 500-byte leaf, most of a verification's
// time. Strict means one spelling per byte string: padding only at the end, unused bits zero.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const DECODER = new TextDecoder('latin1')
const VALUES = new Int16Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i

const value = (text: string, i: number): number => {
  const code = text.charCodeAt(i)
  return code < 128 ? VALUES[code]! : -1
}

/** Decodes canonical padded base64, or returns undefined (with `length`: of exactly that many bytes). */
export function decodeBase64 (text: string, length?: number): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  const bytes = new Uint8Array(text.length / 4 * 3 - padding)
  if (length !== undefined && bytes.length !== length) return undefined
  let out = 0
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length
    const a = value(text, i)
    const b = value(text, i + 1)
    const c = last && padding === 2 ? 0 : value(text, i + 2)
    const d = last && padding >= 1 ? 0 : value(text, i + 3)
    if ((a | b | c | d) < 0) return undefined
    const n = (a << 18) | (b << 12) | (c << 6) | d
    bytes[out++] = n >> 16
    if (out < bytes.length) bytes[out++] = (n >> 8) & 0xff
    if (out < bytes.length) bytes[out++] = n & 0xff
    // Unused bits of the last group must be zero, or two spellings would decode to the same bytes.
    if (last && ((padding === 2 && (b & 0x0f) !== 0) || (padding === 1 && (c & 0x03) !== 0))) return undefined
  }
  return bytes
}

/** Standard padded base64, for the export's hot path (same reason as decodeBase64). */
export function encodeBase64 (bytes: Uint8Array): string {
  const codes = new Uint8Array(Math.ceil(bytes.length / 3) * 4)
  let out = 0
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    codes[out++] = ALPHABET.charCodeAt(n >> 18)
    codes[out++] = ALPHABET.charCodeAt((n >> 12) & 63)
    codes[out++] = i + 1 < bytes.length ? ALPHABET.charCodeAt((n >> 6) & 63) : 61
    codes[out++] = i + 2 < bytes.length ? ALPHABET.charCodeAt(n & 63) : 61
  }
  return DECODER.decode(codes)
}
