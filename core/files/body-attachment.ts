// A file as a message body carries it (core/messaging/body.ts): the file's descriptor, an image's size
// in pixels, and its preview: the descriptor of a small image (JPEG, PNG or WebP, at most 64 KiB) that
// the app made before sending, a file of its own, fetched before the file. The author signs the body,
// so the signature covers every descriptor: key, name, size, type and SHA-256.
import { CausetteError } from '../errors.js'
import { parseDescriptor, type AttachmentDescriptor } from './descriptor.js'

/** Files one message may carry. */
export const MAX_ATTACHMENTS = 10
/** A preview is a small image: at most this many bytes, of PREVIEW_TYPES. */
export const MAX_PREVIEW_BYTES = 64 * 1024
export const PREVIEW_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
export type PreviewType = typeof PREVIEW_TYPES[number]

export function isPreviewType (type: string): type is PreviewType {
  return (PREVIEW_TYPES as readonly string[]).includes(type)
}
const MAX_PIXELS = 65_535

export interface BodyAttachment extends AttachmentDescriptor {
  width?: number
  height?: number
  preview?: AttachmentDescriptor
}

/** An attachment read from a body's JSON; FILE_BAD_DESCRIPTOR saying why for anything else. */
export function parseBodyAttachment (value: unknown): BodyAttachment {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CausetteError('FILE_BAD_DESCRIPTOR', 'an attachment is a JSON object')
  const { width, height, preview, ...descriptor } = value as Record<string, unknown>
  const file = parseDescriptor(descriptor)
  return {
    ...file,
    ...(width !== undefined ? { width: pixels(width, 'width') } : {}),
    ...(height !== undefined ? { height: pixels(height, 'height') } : {}),
    ...(preview !== undefined ? { preview: checkedPreview(parseDescriptor(preview)) } : {})
  }
}

function pixels (value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PIXELS) throw new CausetteError('FILE_BAD_DESCRIPTOR', `an image's ${what} is 1 to ${MAX_PIXELS} pixels`)
  return value
}

/** A preview is a small JPEG, PNG or WebP image. */
export function checkedPreview (preview: AttachmentDescriptor): AttachmentDescriptor {
  if (!isPreviewType(preview.type)) throw new CausetteError('FILE_BAD_DESCRIPTOR', `a preview is an image of ${PREVIEW_TYPES.join(', ')}`)
  if (preview.size > MAX_PREVIEW_BYTES) throw new CausetteError('FILE_BAD_DESCRIPTOR', `a preview is at most ${MAX_PREVIEW_BYTES} bytes`)
  return preview
}

/** Every file a message names, each preview before its file: the order a recipient fetches them in. */
export function filesOf (attachments: readonly BodyAttachment[]): Array<{ descriptor: AttachmentDescriptor, preview: boolean }> {
  return [
    ...attachments.flatMap(a => a.preview !== undefined ? [{ descriptor: a.preview, preview: true }] : []),
    ...attachments.map(({ width: _w, height: _h, preview: _p, ...descriptor }) => ({ descriptor, preview: false }))
  ]
}
