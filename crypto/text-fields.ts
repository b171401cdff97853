// The line-oriented signed texts (statements, receipts): a purpose label line, then `name: value`
// lines in a fixed order, each ending with a newline. Reading them is shared here; each format
// checks its own values. Pure (no Node imports): the browser's verifier reads these texts too.
import { decodeBase64Url } from './base64.js'
import { fromUtf8 } from './encoding.js'

export type Fail = (why: string) => never

/**
 * The values of `fields`, in order, and the lines after them (optional ones, for the format to
 * check). Refuses a text without the header, a final newline, or any of the fields in its place.
 */
export function readFields (bytes: Uint8Array, header: string, fields: readonly string[], fail: Fail): { values: string[], rest: string[] } {
  const text = fromUtf8(bytes)
  if (!text.endsWith('\n')) fail('must end with a newline')
  const lines = text.slice(0, -1).split('\n')
  if (lines[0] !== header) fail(`first line must be ${header}`)
  if (lines.length < fields.length + 1) fail(`expected ${fields.length} fields`)
  const values = fields.map((field, i) => {
    const line = lines[i + 1]!
    if (!line.startsWith(`${field}: `)) fail(`line ${i + 2} must be "${field}"`)
    return line.slice(field.length + 2)
  })
  return { values, rest: lines.slice(fields.length + 1) }
}

/** A random id written as base64url of exactly `length` bytes, in its one canonical spelling. */
export function base64UrlId (text: string, length: number, field: string, fail: Fail): string {
  // Strict: the one spelling decodes, any other is refused (every statement and receipt has several ids).
  const bytes = decodeBase64Url(text)
  if (bytes === undefined) fail(`${field} is not base64url`)
  if (bytes.length !== length) fail(`${field} must be ${length} bytes in base64url`)
  return text
}

const INTEGER = /^(0|[1-9][0-9]{0,15})$/

/** A decimal integer without leading zeros, at least `min`. */
export function integerField (text: string, field: string, min: number, fail: Fail): number {
  if (!INTEGER.test(text) || !Number.isSafeInteger(Number(text)) || Number(text) < min) fail(`${field} is not an integer of at least ${min}`)
  return Number(text)
}
