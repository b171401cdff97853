// The app bundle's icon (macOS): the app's PNG icon inside an .icns file, what CFBundleIconFile names.
// An .icns is 'icns' and the file's length, then entries: a 4-character type, the entry's length
// (these 8 bytes included), its data; all lengths big-endian. The types from ic07 up hold a whole PNG
// of one size each (macOS 10.7 and later); the system scales the nearest one to the size it shows.
import { pngSize } from './png-size.js'

const HEADER_BYTES = 8
const ENTRY_HEADER_BYTES = 8
/** The PNG entry types by the image's side in pixels. */
const TYPE_BY_SIZE = new Map([[128, 'ic07'], [256, 'ic08'], [512, 'ic09'], [1024, 'ic10']])

export function icnsFromPng (png: Uint8Array): Uint8Array {
  const type = entryType(png)
  const icns = new Uint8Array(HEADER_BYTES + ENTRY_HEADER_BYTES + png.byteLength)
  const view = new DataView(icns.buffer)
  icns.set(new TextEncoder().encode('icns'), 0)
  view.setUint32(4, icns.byteLength)
  icns.set(new TextEncoder().encode(type), HEADER_BYTES)
  view.setUint32(HEADER_BYTES + 4, ENTRY_HEADER_BYTES + png.byteLength)
  icns.set(png, HEADER_BYTES + ENTRY_HEADER_BYTES)
  return icns
}

function entryType (png: Uint8Array): string {
  const { width, height } = pngSize(png)
  const type = width === height ? TYPE_BY_SIZE.get(width) : undefined
  if (type === undefined) throw new Error(`an .icns holds square PNG icons of 128, 256, 512 or 1024 pixels, not ${width}×${height}`)
  return type
}
