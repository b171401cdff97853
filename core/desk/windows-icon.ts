// The Start menu shortcut's icon (Windows): the app's PNG icon inside an .ico file, which a shortcut
// needs (a shortcut cannot show a PNG). An .ico may hold its images as PNG since Windows Vista: a
// 6-byte header, one 16-byte directory entry, then the PNG.
import { pngSize } from './png-size.js'

const HEADER_BYTES = 6
const ENTRY_BYTES = 16

export function icoFromPng (png: Uint8Array): Uint8Array {
  const { width, height } = pngSize(png)
  const ico = new Uint8Array(HEADER_BYTES + ENTRY_BYTES + png.byteLength)
  const view = new DataView(ico.buffer)
  view.setUint16(2, 1, true) // an icon, not a cursor
  view.setUint16(4, 1, true) // one image
  // A size byte of 0 means 256 (or more: the PNG says).
  view.setUint8(HEADER_BYTES, width >= 256 ? 0 : width)
  view.setUint8(HEADER_BYTES + 1, height >= 256 ? 0 : height)
  view.setUint16(HEADER_BYTES + 4, 1, true) // colour planes
  view.setUint16(HEADER_BYTES + 6, 32, true) // bits per pixel
  view.setUint32(HEADER_BYTES + 8, png.byteLength, true)
  view.setUint32(HEADER_BYTES + 12, HEADER_BYTES + ENTRY_BYTES, true)
  ico.set(png, HEADER_BYTES + ENTRY_BYTES)
  return ico
}
