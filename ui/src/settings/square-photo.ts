// Makes the picture a user picks into a small square photo: the centre square, scaled to 256×256
// and encoded as WebP (JPEG where the browser cannot), lowering the quality until it fits the
// node's bound. Nothing of the original file (its size, metadata, location) leaves the browser.
import type { ProfilePhoto } from '../../../core/api/schema.js'
import { encodeCanvas } from '../lib/canvas-image.js'

export const PHOTO_SIDE = 256
/** Under the node's 64 KiB (core/profile/photo.ts), with room to spare. */
const MAX_BYTES = 60 * 1024
const QUALITIES = [0.85, 0.7, 0.5, 0.3]

export async function squarePhoto (file: Blob): Promise<ProfilePhoto> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    throw new Error('This file is not a picture this browser can read: choose a JPEG, PNG or WebP image.')
  }
  const canvas = document.createElement('canvas')
  canvas.width = PHOTO_SIDE
  canvas.height = PHOTO_SIDE
  const side = Math.min(bitmap.width, bitmap.height)
  canvas.getContext('2d')!.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, PHOTO_SIDE, PHOTO_SIDE)
  bitmap.close()
  for (const quality of QUALITIES) {
    const blob = await encodeCanvas(canvas, quality)
    if (blob.size <= MAX_BYTES) return { type: blob.type === 'image/webp' ? 'image/webp' : 'image/jpeg', data: await base64(blob) }
  }
  throw new Error('This picture stays too large even when compressed: choose a simpler one.')
}

async function base64 (blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer())
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}
