// The headers a received file leaves the API with. Its name, type and bytes are a colleague's
// choice, so a browser must never render it as a page: it is a download (`attachment`, an opaque
// type, no sniffing, a sandbox with nothing allowed) unless it is one of the raster image types a
// browser only ever decodes as a picture. SVG and HTML can run script: they are never inline.
import type { AttachmentView } from './schema.js'

/** The only types served inline (`?inline=true`), as the images the app shows. */
export const INLINE_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const
export type InlineImageType = typeof INLINE_IMAGE_TYPES[number]

/** Blocks scripts, plugins, forms and every load, even if a browser were led to render the body. */
export const DOWNLOAD_CSP = "sandbox; default-src 'none'"

/** RFC 6266 with RFC 8187's `filename*`: a plain ASCII name for old clients, the exact UTF-8 name for the rest. */
export function contentDisposition (disposition: 'attachment' | 'inline', name: string): string {
  return `${disposition}; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeExtValue(name)}`
}

/** Printable ASCII only, without the quote, backslash and percent a client might read as escapes. */
function asciiFallback (name: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|["\\%]/g, '_')
  return ascii.trim() === '' ? 'file' : ascii
}

/** RFC 8187 attr-chars stay; every other UTF-8 byte is %XX (encodeURIComponent leaves ' ( ) * too). */
function encodeExtValue (name: string): string {
  // A lone surrogate (not text) has no UTF-8: it becomes U+FFFD instead of throwing.
  const wellFormed = name.replace(/\p{Cs}/gu, '\uFFFD')
  return encodeURIComponent(wellFormed).replace(/['()*]/g, char => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** The file as a download, whatever its type. */
export function downloadHeaders (attachment: Pick<AttachmentView, 'name' | 'size'>): Record<string, string> {
  return {
    'content-type': 'application/octet-stream',
    'content-disposition': contentDisposition('attachment', attachment.name),
    ...commonHeaders(attachment.size)
  }
}

/** A colleague's photo (JPEG or WebP, its first bytes checked by the node): an image, never a page, never cached. */
export function photoHeaders (type: InlineImageType, size: number): Record<string, string> {
  return { 'content-type': type, 'content-disposition': 'inline', ...commonHeaders(size) }
}

/** An image shown as itself; the caller has checked `inlineImageType` and the image's first bytes. */
export function inlineHeaders (attachment: Pick<AttachmentView, 'name' | 'size'>, type: InlineImageType): Record<string, string> {
  return {
    'content-type': type,
    'content-disposition': contentDisposition('inline', attachment.name),
    ...commonHeaders(attachment.size)
  }
}

function commonHeaders (size: number): Record<string, string> {
  return {
    'content-length': String(size),
    'x-content-type-options': 'nosniff',
    'content-security-policy': DOWNLOAD_CSP,
    // A colleague's file is confidential: no copy in a browser's or a proxy's cache.
    'cache-control': 'no-store'
  }
}

/** The inline type a stated media type names (case and parameters aside), or undefined: SVG, HTML and the rest are downloads. */
export function inlineImageType (type: string): InlineImageType | undefined {
  const bare = type.split(';')[0]!.trim().toLowerCase()
  return (INLINE_IMAGE_TYPES as readonly string[]).includes(bare) ? bare as InlineImageType : undefined
}

const ascii = (text: string): number[] => [...text].map(char => char.charCodeAt(0))
/** Each type's signature: [offset, bytes]; a WebP is a RIFF container whose form is "WEBP". */
const SIGNATURES: Record<InlineImageType, Array<Array<[number, number[]]>>> = {
  'image/jpeg': [[[0, [0xff, 0xd8, 0xff]]]],
  'image/png': [[[0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]]]],
  'image/gif': [[[0, ascii('GIF87a')]], [[0, ascii('GIF89a')]]],
  'image/webp': [[[0, ascii('RIFF')], [8, ascii('WEBP')]]]
}

/**
 * The inline type whose signature the bytes begin with, or undefined: a file named image/png that is
 * HTML is not served inline, and a JPEG named .png (a common mislabel) is served as the JPEG it is.
 */
export function imageTypeOf (head: Uint8Array): InlineImageType | undefined {
  const starts = (type: InlineImageType): boolean => SIGNATURES[type].some(parts => parts.every(([offset, bytes]) => bytes.every((byte, i) => head[offset + i] === byte)))
  return INLINE_IMAGE_TYPES.find(starts)
}
