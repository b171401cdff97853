// The journal's leaves are canonical JSON: one object, keys sorted, no spaces, values that are
// integers, printable-ASCII strings without quotes or backslashes, or arrays of such strings. With
// nothing to escape, the canonical form is trivial to produce and to check in any language.
export type LeafValue = string | number | string[]
export type LeafObject = Readonly<Record<string, LeafValue>>

const KEY_PATTERN = /^[a-z][a-z0-9-]{0,31}$/
// Printable ASCII except '"' and '\': nothing JSON would escape.
const STRING_PATTERN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/

export class CanonicalJsonError extends Error {
  override name = 'CanonicalJsonError'
  readonly code = 'BAD_JOURNAL_ENTRY'
}

function fail (why: string): never {
  throw new CanonicalJsonError(`journal entry: ${why}`)
}

function encodeString (value: string, key: string): string {
  if (!STRING_PATTERN.test(value)) fail(`${key} must be printable ASCII without quotes or backslashes`)
  return `"${value}"`
}

function encodeValue (value: LeafValue, key: string): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) fail(`${key} must be an integer`)
    return String(value)
  }
  if (typeof value === 'string') return encodeString(value, key)
  if (Array.isArray(value)) return `[${value.map(v => typeof v === 'string' ? encodeString(v, key) : fail(`${key} must hold strings`)).join(',')}]`
  return fail(`${key} has an unsupported type`)
}

/** The canonical JSON text of `object`; throws CanonicalJsonError on anything outside the subset. */
export function canonicalJson (object: LeafObject): string {
  const keys = Object.keys(object).sort()
  return `{${keys.map(key => {
    if (!KEY_PATTERN.test(key)) fail(`key "${key}" must be lowercase ASCII`)
    const value = object[key]
    if (value === undefined) fail(`${key} is undefined`)
    return `"${key}":${encodeValue(value, key)}`
  }).join(',')}}`
}

/** Parses a leaf's text and checks it is in canonical form (so one entry has one spelling). */
export function parseCanonicalJson (text: string): LeafObject {
  let value: unknown
  try { value = JSON.parse(text) } catch { fail('not JSON') }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('not a JSON object')
  if (canonicalJson(value as LeafObject) !== text) fail('not in canonical form (sorted keys, no spaces)')
  return value as LeafObject
}
