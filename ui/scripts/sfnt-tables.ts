// An OpenType font file (sfnt) as its tables by tag, and a font file written back from them. The
// build mends one table of the emoji font (emoji-font-plugin.ts) and keeps every other byte for byte.

export interface Sfnt {
  /** The first four bytes: 0x00010000 for TrueType outlines, 'OTTO' for CFF. */
  version: number
  tables: Map<string, Uint8Array>
}

const RECORD_SIZE = 16
const HEADER_SIZE = 12
/** Where head keeps the number that makes the whole file's checksum 0xB1B0AFBA. */
const CHECKSUM_ADJUSTMENT_AT = 8
const CHECKSUM_TARGET = 0xB1B0AFBA

/** A big-endian reader and writer over exactly these bytes (a table is a view into the whole file). */
export const viewOf = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
const padded = (length: number): number => (length + 3) & ~3

export function readSfnt (file: Uint8Array): Sfnt {
  const view = viewOf(file)
  const tables = new Map<string, Uint8Array>()
  for (let index = 0; index < view.getUint16(4); index++) {
    const record = HEADER_SIZE + index * RECORD_SIZE
    const tag = String.fromCharCode(...file.subarray(record, record + 4))
    const offset = view.getUint32(record + 8)
    tables.set(tag, file.subarray(offset, offset + view.getUint32(record + 12)))
  }
  return { version: view.getUint32(0), tables }
}

/** The sum of the big-endian 32-bit words, the last one padded with zeros. */
function checksum (bytes: Uint8Array): number {
  const view = viewOf(bytes)
  let sum = 0
  for (let at = 0; at < bytes.length; at += 4) {
    const word = at + 4 <= bytes.length ? view.getUint32(at) : [0, 1, 2, 3].reduce((value, step) => (value << 8) | (bytes[at + step] ?? 0), 0)
    sum = (sum + word) >>> 0
  }
  return sum
}

export function writeSfnt ({ version, tables }: Sfnt): Uint8Array {
  const tags = [...tables.keys()].sort()
  const size = tags.reduce((total, tag) => total + padded(tables.get(tag)!.length), HEADER_SIZE + tags.length * RECORD_SIZE)
  const file = new Uint8Array(size)
  const view = viewOf(file)
  const power = 2 ** Math.floor(Math.log2(tags.length))
  view.setUint32(0, version)
  view.setUint16(4, tags.length)
  view.setUint16(6, power * RECORD_SIZE)
  view.setUint16(8, Math.log2(power))
  view.setUint16(10, (tags.length - power) * RECORD_SIZE)
  let offset = HEADER_SIZE + tags.length * RECORD_SIZE
  let headAt: number | undefined
  tags.forEach((tag, index) => {
    const table = tables.get(tag)!
    file.set(table, offset)
    if (tag === 'head') {
      headAt = offset
      view.setUint32(offset + CHECKSUM_ADJUSTMENT_AT, 0)
    }
    const record = HEADER_SIZE + index * RECORD_SIZE
    file.set([...tag].map(letter => letter.charCodeAt(0)), record)
    view.setUint32(record + 4, checksum(file.subarray(offset, offset + table.length)))
    view.setUint32(record + 8, offset)
    view.setUint32(record + 12, table.length)
    offset += padded(table.length)
  })
  if (headAt !== undefined) view.setUint32(headAt + CHECKSUM_ADJUSTMENT_AT, (CHECKSUM_TARGET - checksum(file)) >>> 0)
  return file
}
