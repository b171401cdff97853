// Which glyph a font draws for a character: its cmap table's format 12 subtable (every Unicode
// plane, as an emoji font needs), read once into a map.
import { viewOf } from './sfnt-tables.js'

const FULL_UNICODE_FORMAT = 12

/** Character code point → glyph id, from a cmap table's format 12 subtable. */
export function readCmap (cmap: Uint8Array): Map<number, number> {
  const view = viewOf(cmap)
  for (let index = 0; index < view.getUint16(2); index++) {
    const subtable = view.getUint32(4 + index * 8 + 4)
    if (view.getUint16(subtable) !== FULL_UNICODE_FORMAT) continue
    const glyphs = new Map<number, number>()
    for (let group = 0; group < view.getUint32(subtable + 12); group++) {
      const at = subtable + 16 + group * 12
      const [first, last, firstGlyph] = [view.getUint32(at), view.getUint32(at + 4), view.getUint32(at + 8)]
      for (let code = first; code <= last; code++) glyphs.set(code, firstGlyph + code - first)
    }
    return glyphs
  }
  throw new Error('this font has no format 12 cmap subtable')
}
