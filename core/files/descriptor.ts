// The attachment descriptor (docs/files.md): what travels inside the signed, sealed message about a
// file, so that the author's statement commits to it. It holds the file's key, which never goes
// beside the chunks; the chunks themselves are named by `chunksSha256`, the attachment's id, so a
// carrier holding them knows the id and nothing else.
//
//   { name, size, type, sha256, key, nonce, chunkSize, chunkCount, chunksSha256 }
//
// name: as the sender named it, made safe by safeFileName when parsed; size: plaintext bytes; type: a
// lower-case media type; sha256: hex of the plaintext; key, nonce: base64url of the 32-byte file key
// and 16-byte nonce prefix (crypto/file-cipher.ts); chunkSize: plaintext bytes per chunk;
// chunkCount: max(1, ceil(size / chunkSize)); chunksSha256: hex of the chunk list's SHA-256 (each
// ciphertext chunk's length and SHA-256, in order: chunkListSha256 in core/protocol/file-ports.ts).
import { z } from 'zod'
import { chunkCountOf, DEFAULT_CHUNK_SIZE, FILE_KEY_BYTES, FILE_NONCE_BYTES, MAX_CHUNK_COUNT, MAX_CHUNK_SIZE, MIN_CHUNK_SIZE, type FileSecret } from '../../crypto/file-cipher.js'
import { fromBase64Url, toBase64Url } from '../../crypto/encoding.js'
import { CausetteError } from '../errors.js'
import { safeFileName } from './file-name.js'

export interface AttachmentDescriptor {
  name: string
  size: number
  type: string
  sha256: string
  key: string
  nonce: string
  chunkSize: number
  chunkCount: number
  chunksSha256: string
}

/** A sender's name longer than this is refused rather than shortened (safeFileName shortens the rest). */
const MAX_NAME_CHARS = 1024
export const FALLBACK_MEDIA_TYPE = 'application/octet-stream'

const HEX_SHA256 = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex of 32 bytes')
// RFC 6838 restricted names, lower case so that one type has one spelling; no parameters.
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/

function base64url (bytes: number): z.ZodType<string> {
  return z.string().refine(text => isCanonicalBase64Url(text, bytes), `base64url of ${bytes} bytes`)
}

function isCanonicalBase64Url (text: string, bytes: number): boolean {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length !== Math.ceil(bytes * 4 / 3)) return false
  try {
    return toBase64Url(fromBase64Url(text)) === text
  } catch {
    return false // a last character whose unused bits are set: the decoder throws
  }
}

const isChunkSize = (n: number): boolean => n >= MIN_CHUNK_SIZE && n <= MAX_CHUNK_SIZE && (n & (n - 1)) === 0

const DescriptorSchema = z.object({
  name: z.string().min(1).max(MAX_NAME_CHARS),
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  type: z.string().regex(MEDIA_TYPE, 'a lower-case media type without parameters'),
  sha256: HEX_SHA256,
  key: base64url(FILE_KEY_BYTES),
  nonce: base64url(FILE_NONCE_BYTES),
  chunkSize: z.number().int().refine(isChunkSize, 'a power of two from 64 KiB to 4 MiB'),
  chunkCount: z.number().int().min(1).max(MAX_CHUNK_COUNT),
  chunksSha256: HEX_SHA256
}).strict().refine(d => d.chunkCount === chunkCountOf(d.size, d.chunkSize), { message: 'chunkCount is not max(1, ceil(size / chunkSize))', path: ['chunkCount'] })

/** Reads a descriptor from the JSON of a message; refuses anything malformed with FILE_BAD_DESCRIPTOR. */
export function parseDescriptor (value: unknown): AttachmentDescriptor {
  const parsed = DescriptorSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new CausetteError('FILE_BAD_DESCRIPTOR', `attachment descriptor: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'malformed'}`.trim())
  }
  return { ...parsed.data, name: safeFileName(parsed.data.name) }
}

/** The content id of an attachment: its chunk list's SHA-256, so the same ciphertext is stored once; what a desk shows is file-id.ts's, bound to the author. */
export function attachmentId (descriptor: AttachmentDescriptor): string {
  return descriptor.chunksSha256
}

export function isAttachmentId (text: string): boolean {
  return /^[0-9a-f]{64}$/.test(text)
}

export function fileSecretOf (descriptor: AttachmentDescriptor): FileSecret {
  return { key: fromBase64Url(descriptor.key), nonce: fromBase64Url(descriptor.nonce) }
}

/** The chunk size a new file of `size` bytes is cut into: 256 KiB, more when it would need over MAX_CHUNK_COUNT chunks. */
export function chunkSizeFor (size: number): number {
  let chunkSize = DEFAULT_CHUNK_SIZE
  while (chunkSize < MAX_CHUNK_SIZE && chunkCountOf(size, chunkSize) > MAX_CHUNK_COUNT) chunkSize *= 2
  return chunkSize
}

/** A media type as a descriptor states it: lower case, parameters dropped, octet-stream when unusable. */
export function normalMediaType (type: string | undefined): string {
  const bare = (type ?? '').split(';')[0]!.trim().toLowerCase()
  return MEDIA_TYPE.test(bare) ? bare : FALLBACK_MEDIA_TYPE
}
