// The user's photo, kept in the profile (`photo`, mode 0600): a small square JPEG or WebP the app
// made in the browser. Its SHA-256 and type go in our signed presence; colleagues' nodes fetch the
// bytes (/causette/photo/1.0.0) and check them as we do (peer-photos.ts).
// The node checks what it stores: its size (PHOTO_MAX_BYTES) and that the bytes are the declared type.
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fromBase64, toBase64, toHex } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'
import { CausetteError } from '../errors.js'
import { writeSecretFile } from './files.js'

export const PHOTO_FILE = 'photo'
/** A 256×256 JPEG at quality 0.85 is 15–30 KB: 64 KiB leaves room and bounds what is stored. */
export const PHOTO_MAX_BYTES = 64 * 1024
export const PHOTO_TYPES = ['image/jpeg', 'image/webp'] as const
export type PhotoType = typeof PHOTO_TYPES[number]

export interface Photo {
  type: PhotoType
  bytes: Uint8Array
}

/** Which photo a person has, as their presence names it: its SHA-256 (64 hex digits) and its type. */
export interface PhotoRef { sha256: string, type: PhotoType }

export function photoRef (photo: Photo): PhotoRef {
  return { sha256: toHex(sha256(photo.bytes)), type: photo.type }
}

const startsWith = (bytes: Uint8Array, prefix: number[], at = 0): boolean => prefix.every((byte, i) => bytes[at + i] === byte)
const ASCII = (text: string): number[] => [...text].map(ch => ch.charCodeAt(0))

/** The image type the bytes announce (JPEG's SOI marker, WebP's RIFF header), undefined for anything else. */
export function photoType (bytes: Uint8Array): PhotoType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, ASCII('RIFF')) && startsWith(bytes, ASCII('WEBP'), 8)) return 'image/webp'
  return undefined
}

export function checkPhoto (bytes: Uint8Array, declared: PhotoType): Photo {
  if (bytes.length === 0) throw new CausetteError('BAD_REQUEST', 'the photo is empty')
  if (bytes.length > PHOTO_MAX_BYTES) throw new CausetteError('PAYLOAD_TOO_LARGE', `a photo is at most ${PHOTO_MAX_BYTES} bytes (this one has ${bytes.length}): make it smaller`)
  const actual = photoType(bytes)
  if (actual === undefined) throw new CausetteError('BAD_REQUEST', 'the photo is neither a JPEG nor a WebP image')
  if (actual !== declared) throw new CausetteError('BAD_REQUEST', `the photo is declared ${declared} but its bytes are ${actual}`)
  return { type: actual, bytes }
}

/** The stored photo; undefined if there is none, or if the file is not one (damaged, or put by hand). */
export async function readPhoto (home: string): Promise<Photo | undefined> {
  return await readPhotoFile(join(home, PHOTO_FILE))
}

/** A photo file read back and checked again (it may have been damaged or replaced by hand); undefined if absent or not a photo. */
export async function readPhotoFile (path: string): Promise<Photo | undefined> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const type = photoType(bytes)
  return type === undefined || bytes.length > PHOTO_MAX_BYTES ? undefined : { type, bytes }
}

/** The photo as the API carries it (base64), or null. */
export async function photoView (home: string): Promise<{ type: PhotoType, data: string } | null> {
  const photo = await readPhoto(home)
  return photo === undefined ? null : { type: photo.type, data: toBase64(photo.bytes) }
}

/** Stores the photo the API received (checked first), or removes it (null). */
export async function replacePhoto (home: string, photo: { type: PhotoType, data: string } | null): Promise<void> {
  if (photo === null) {
    await removePhoto(home)
    return
  }
  let bytes: Uint8Array
  try {
    bytes = fromBase64(photo.data)
  } catch {
    throw new CausetteError('BAD_REQUEST', 'the photo is not base64')
  }
  await savePhoto(home, checkPhoto(bytes, photo.type))
}

export async function savePhoto (home: string, photo: Photo): Promise<void> {
  await writeSecretFile(join(home, PHOTO_FILE), photo.bytes)
}

export async function removePhoto (home: string): Promise<void> {
  await rm(join(home, PHOTO_FILE), { force: true })
}
