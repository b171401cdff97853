// Strict readers of a stored form's JSON: each value is exactly what the field must hold, or the
// whole form is refused with E2E_BAD_STATE naming the field (never a state half-used).
import { parseBase64 } from '../encoding.js'
import { isU32 } from './bytes.js'
import { e2eFail } from './errors.js'

export interface JsonReader {
  fail: (why: string) => never
  list: (value: unknown, field: string) => unknown[]
  record: (value: unknown, field: string) => Record<string, unknown>
  /** `length` bytes in base64. */
  bytes: (value: unknown, length: number, field: string) => Uint8Array
  u32: (value: unknown, field: string) => number
  /** Milliseconds since the epoch. */
  time: (value: unknown, field: string) => number
}

/** Readers whose refusals begin with `what` (the form being read). */
export function jsonReader (what: string): JsonReader {
  const fail = (why: string): never => e2eFail('E2E_BAD_STATE', `${what}: ${why}`)
  return {
    fail,
    list: (value, field) => Array.isArray(value) ? value : fail(`${field} is not a list`),
    record: (value, field) => typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : fail(`${field} is not an object`),
    bytes: (value, length, field) => (typeof value === 'string' ? parseBase64(value, length) : undefined) ?? fail(`${field} is not ${length} bytes of base64`),
    u32: (value, field) => typeof value === 'number' && isU32(value) ? value : fail(`${field} is not a u32`),
    time: (value, field) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fail(`${field} is not a time`)
  }
}
