// The small preview of an image, made in the browser before sending (docs/files.md): the longest
// side at most 320 px, WebP (JPEG where the browser cannot), lowering the quality until it fits the
// node's 64 KiB. Recipients see it at once while the full image is fetched.
import { encodeCanvas } from '../lib/canvas-image.js'

export const PREVIEW_SIDE = 320
export const PREVIEW_MAX_BYTES = 64 * 1024
const QUALITIES = [0.8, 0.65, 0.5, 0.35, 0.2]

/** The images a browser shows inline: the only ones the app previews or draws (never SVG). */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif'])

export interface ImagePreview {
  blob: Blob
  /** The full image's pixels, sent with it so that the recipient reserves its place. */
  width: number
  height: number
}

/** A preview of `file`, or undefined if it is not an image this browser can read (it is sent as a plain file then). */
export async function imagePreview (file: Blob): Promise<ImagePreview | undefined> {
  if (!INLINE_IMAGE_TYPES.has(file.type)) return undefined
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    return undefined
  }
  try {
    const canvas = scaledCopy(bitmap)
    for (const quality of QUALITIES) {
      const blob = await encodeCanvas(canvas, quality)
      if (blob.size <= PREVIEW_MAX_BYTES) return { blob, width: bitmap.width, height: bitmap.height }
    }
    return undefined
  } finally {
    bitmap.close()
  }
}

function scaledCopy (bitmap: ImageBitmap): HTMLCanvasElement {
  const scale = Math.min(1, PREVIEW_SIDE / Math.max(bitmap.width, bitmap.height))
  const canvas = document.createElement('canvas')
  canvas.width = Math.max(1, Math.round(bitmap.width * scale))
  canvas.height = Math.max(1, Math.round(bitmap.height * scale))
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
  return canvas
}
