// The device record: what a device publishes about itself (keys, display name, colour), signed by
// its device key. Peers fetch it on first contact and pin its keys. Signed as exact text bytes.
import { ED25519_PUBLIC_KEY_BYTES, ed25519Verify } from './ed25519.js'
import { fromUtf8, parseBase64, toBase64, utf8 } from './encoding.js'
import { purposeLabel } from './signing-labels.js'
import type { Signer } from './signing.js'

const HEADER = purposeLabel('device-record')
const FIELDS = ['device', 'identity-key', 'prekey-id', 'prekey', 'name', 'color', 'updated'] as const
export const MAX_NAME_LENGTH = 64
const COLOR_PATTERN = /^#[0-9a-f]{6}$/
const INTEGER_PATTERN = /^(0|[1-9][0-9]{0,15})$/
/** Past 2^53 a number read back is another number: its text would not be the one signed. */
const isInteger = (text: string): boolean => INTEGER_PATTERN.test(text) && Number.isSafeInteger(Number(text))

export interface DeviceRecord {
  device: Uint8Array
  identityKey: Uint8Array
  prekeyId: number
  prekey: Uint8Array
  name: string
  color: string
  updated: number
}

export class DeviceRecordError extends Error {
  override name = 'DeviceRecordError'
  readonly code = 'BAD_DEVICE_RECORD'
}

function fail (why: string): never {
  throw new DeviceRecordError(`device record: ${why}`)
}

/** Display names are one line of printable text; control characters are refused, not stripped. */
export function isValidName (name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name.trim().length > 0 && [...name].length <= MAX_NAME_LENGTH && !/[\u0000-\u001f\u007f\u2028\u2029]/.test(name)
}

export function encodeDeviceRecord (r: DeviceRecord): Uint8Array {
  const bytes = utf8([
    HEADER,
    `device: ${toBase64(r.device)}`,
    `identity-key: ${toBase64(r.identityKey)}`,
    `prekey-id: ${r.prekeyId}`,
    `prekey: ${toBase64(r.prekey)}`,
    `name: ${r.name}`,
    `color: ${r.color}`,
    `updated: ${r.updated}`
  ].join('\n') + '\n')
  parseDeviceRecord(bytes)
  return bytes
}

export function parseDeviceRecord (bytes: Uint8Array): DeviceRecord {
  const text = fromUtf8(bytes)
  if (!text.endsWith('\n')) fail('must end with a newline')
  const lines = text.slice(0, -1).split('\n')
  if (lines[0] !== HEADER || lines.length !== FIELDS.length + 1) fail(`expected ${HEADER} and ${FIELDS.length} fields`)
  const v = FIELDS.map((field, i) => {
    const line = lines[i + 1]!
    if (!line.startsWith(`${field}: `)) fail(`line ${i + 2} must be "${field}"`)
    return line.slice(field.length + 2)
  }) as [string, string, string, string, string, string, string]
  const [device, identityKey, prekeyId, prekey, name, color, updated] = v
  if (!isInteger(prekeyId) || !isInteger(updated)) fail('prekey-id and updated must be integers below 2^53')
  if (!isValidName(name)) fail('name is empty, too long or has control characters')
  if (!COLOR_PATTERN.test(color)) fail('color must be #rrggbb')
  return {
    device: parseBase64(device, ED25519_PUBLIC_KEY_BYTES) ?? fail('device is not a 32-byte key'),
    identityKey: parseBase64(identityKey, 32) ?? fail('identity-key is not a 32-byte key'),
    prekeyId: Number(prekeyId),
    prekey: parseBase64(prekey, 32) ?? fail('prekey is not a 32-byte key'),
    name,
    color,
    updated: Number(updated)
  }
}

export function signDeviceRecord (sign: Signer, record: DeviceRecord): { bytes: Uint8Array, signature: Uint8Array } {
  const bytes = encodeDeviceRecord(record)
  return { bytes, signature: sign(bytes) }
}

export function verifyDeviceRecord (bytes: Uint8Array, signature: Uint8Array): DeviceRecord {
  const record = parseDeviceRecord(bytes)
  if (!ed25519Verify(record.device, bytes, signature)) fail('bad signature')
  return record
}

/** A stable colour for a device, so people keep theirs across machines without choosing. */
export function defaultColor (deviceKey: Uint8Array): string {
  const palette = ['#2f6fde', '#c2410c', '#15803d', '#7c3aed', '#be185d', '#0e7490', '#a16207', '#4d7c0f']
  return palette[deviceKey[0]! % palette.length]!
}
