// Byte/text conversions shared by every signed or hashed format. Standard base64 with padding is
// what auditors' tools (openssl base64, Python's base64) read; base64url is for ids in URLs.
import { fromString, toString } from 'uint8arrays'

export const utf8 = (text: string): Uint8Array => fromString(text, 'utf8')
export const fromUtf8 = (bytes: Uint8Array): string => toString(bytes, 'utf8')
export const toBase64 = (bytes: Uint8Array): string => toString(bytes, 'base64pad')
export const fromBase64 = (text: string): Uint8Array => fromString(text, 'base64pad')
export const toBase64Url = (bytes: Uint8Array): string => toString(bytes, 'base64url')
export const fromBase64Url = (text: string): Uint8Array => fromString(text, 'base64url')
export const toHex = (bytes: Uint8Array): string => toString(bytes, 'base16')
export const fromHex = (text: string): Uint8Array => fromString(text, 'base16')

export { concat, equals } from 'uint8arrays'

/** Strict base64: decodes and re-encodes, so non-canonical spellings of the same bytes are refused. */
export function parseBase64 (text: string, expectedLength?: number): Uint8Array | undefined {
  let bytes: Uint8Array
  try { bytes = fromBase64(text) } catch { return undefined }
  if (toBase64(bytes) !== text) return undefined
  if (expectedLength !== undefined && bytes.length !== expectedLength) return undefined
  return bytes
}
