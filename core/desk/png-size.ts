// The width and height of a PNG image, which the icon containers (.ico, .icns) state beside it.
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** The size in the PNG's IHDR chunk, which always comes first; throws on what is not a PNG. */
export function pngSize (png: Uint8Array): { width: number, height: number } {
  if (png.byteLength < 24 || PNG_SIGNATURE.some((byte, index) => png[index] !== byte)) throw new Error('the icon is not a PNG image')
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  return { width: view.getUint32(16), height: view.getUint32(20) }
}
