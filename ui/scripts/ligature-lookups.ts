// A GSUB table's ligature lookups (OpenType LookupType 4, also behind extension lookups), read into
// lists and written back. Writing keeps the old table's bytes (its script and feature lists name
// lookups by index) and appends a new lookup list, each lookup one extension subtable, so that no
// 16-bit offset overflows however many ligatures are added.
import { viewOf } from './sfnt-tables.js'

/** One ligature: the glyphs it replaces, the first included, and the glyph drawn instead. */
export interface Ligature { components: number[], glyph: number }

export interface LigatureLookup {
  flag: number
  /** Present when the flag's UseMarkFilteringSet bit is. */
  markFilteringSet?: number
  ligatures: Ligature[]
}

const LIGATURE_TYPE = 4
const EXTENSION_TYPE = 7
const USE_MARK_FILTERING_SET = 0x10
const LOOKUP_LIST_OFFSET_AT = 8
const MAX_OFFSET16 = 0xFFFF


/** The glyphs a coverage table lists, in coverage order. */
function coverage (view: DataView, at: number): number[] {
  const glyphs: number[] = []
  const count = view.getUint16(at + 2)
  if (view.getUint16(at) === 1) {
    for (let index = 0; index < count; index++) glyphs.push(view.getUint16(at + 4 + index * 2))
    return glyphs
  }
  for (let index = 0; index < count; index++) {
    const range = at + 4 + index * 6
    for (let glyph = view.getUint16(range); glyph <= view.getUint16(range + 2); glyph++) glyphs.push(glyph)
  }
  return glyphs
}

function ligatureSubtable (view: DataView, at: number): Ligature[] {
  const firsts = coverage(view, at + view.getUint16(at + 2))
  return firsts.flatMap((first, index) => {
    const set = at + view.getUint16(at + 6 + index * 2)
    return Array.from({ length: view.getUint16(set) }, (_, entry) => {
      const ligature = set + view.getUint16(set + 2 + entry * 2)
      const rest = Array.from({ length: view.getUint16(ligature + 2) - 1 }, (_, component) => view.getUint16(ligature + 4 + component * 2))
      return { components: [first, ...rest], glyph: view.getUint16(ligature) }
    })
  })
}

/** Every lookup of the table, or an error naming the first that is not a ligature lookup. */
export function readLigatureLookups (gsub: Uint8Array): LigatureLookup[] {
  const view = viewOf(gsub)
  const list = view.getUint16(LOOKUP_LIST_OFFSET_AT)
  return Array.from({ length: view.getUint16(list) }, (_, index) => {
    const lookup = list + view.getUint16(list + 2 + index * 2)
    const [type, flag, count] = [view.getUint16(lookup), view.getUint16(lookup + 2), view.getUint16(lookup + 4)]
    const subtables = Array.from({ length: count }, (_, subtable) => lookup + view.getUint16(lookup + 6 + subtable * 2))
    const ligatures = subtables.flatMap(subtable => {
      const [realType, at] = type === EXTENSION_TYPE ? [view.getUint16(subtable + 2), subtable + view.getUint32(subtable + 4)] : [type, subtable]
      if (realType !== LIGATURE_TYPE) throw new Error(`GSUB lookup ${index} is of type ${realType}; only ligature lookups can be rewritten`)
      return ligatureSubtable(view, at)
    })
    const markFilteringSet = (flag & USE_MARK_FILTERING_SET) !== 0 ? view.getUint16(lookup + 6 + count * 2) : undefined
    return { flag, ligatures, ...markFilteringSet === undefined ? {} : { markFilteringSet } }
  })
}

/** A LigatureSubst format 1 subtable as 16-bit words: a shaper takes the first ligature that matches, so the longest come first. */
function ligatureSubstWords (ligatures: Ligature[]): number[] {
  const byFirst = new Map<number, Ligature[]>()
  for (const ligature of ligatures) byFirst.set(ligature.components[0]!, [...byFirst.get(ligature.components[0]!) ?? [], ligature])
  const firsts = [...byFirst.keys()].sort((a, b) => a - b)
  const headerWords = 3 + firsts.length
  const coverageWords = [1, firsts.length, ...firsts]
  const sets = firsts.map(first => {
    const entries = byFirst.get(first)!.toSorted((a, b) => b.components.length - a.components.length)
    const bodies = entries.map(entry => [entry.glyph, entry.components.length, ...entry.components.slice(1)])
    const offsets = bodies.reduce<number[]>((all, _, index) => [...all, index === 0 ? 1 + entries.length : all[index - 1]! + bodies[index - 1]!.length], [])
    return [entries.length, ...offsets.map(words => words * 2), ...bodies.flat()]
  })
  const setOffsets = sets.reduce<number[]>((all, _, index) => [...all, index === 0 ? headerWords + coverageWords.length : all[index - 1]! + sets[index - 1]!.length], [])
  const words = [1, headerWords * 2, firsts.length, ...setOffsets.map(offset => offset * 2), ...coverageWords, ...sets.flat()]
  if (words.length * 2 > MAX_OFFSET16) throw new Error('a ligature subtable over 64 KiB: split it')
  return words
}

const bytesOf = (words: number[]): Uint8Array => {
  const bytes = new Uint8Array(words.length * 2)
  words.forEach((word, index) => viewOf(bytes).setUint16(index * 2, word))
  return bytes
}

/** The GSUB table with its lookups replaced by these, in the same order (the features name them by index). */
export function withLigatureLookups (gsub: Uint8Array, lookups: LigatureLookup[]): Uint8Array {
  const listAt = (gsub.length + 3) & ~3
  if (listAt > MAX_OFFSET16) throw new Error('the GSUB table is too large to take a new lookup list after it')
  // The list, then each lookup with its one extension subtable (8 bytes) right after it.
  const lookupWords = lookups.map(lookup => {
    const filter = lookup.markFilteringSet === undefined ? [] : [lookup.markFilteringSet]
    return [EXTENSION_TYPE, lookup.flag, 1, (4 + filter.length) * 2, ...filter]
  })
  const listWords = 1 + lookups.length
  const lookupAt = lookupWords.reduce<number[]>((all, _, index) => [...all, index === 0 ? listWords : all[index - 1]! + lookupWords[index - 1]!.length + 4], [])
  const subtables = lookups.map(lookup => ligatureSubstWords(lookup.ligatures))
  let subtableAt = lookupAt.at(-1) === undefined ? listWords : lookupAt.at(-1)! + lookupWords.at(-1)!.length + 4
  const words = [lookups.length, ...lookupAt.map(at => at * 2)]
  lookupWords.forEach((lookup, index) => {
    const extensionAt = lookupAt[index]! + lookup.length
    const offset32 = (subtableAt - extensionAt) * 2
    words.push(...lookup, 1, LIGATURE_TYPE, offset32 >>> 16, offset32 & 0xFFFF)
    subtableAt += subtables[index]!.length
  })
  words.push(...subtables.flat())
  const table = new Uint8Array(listAt + words.length * 2)
  table.set(gsub)
  table.set(bytesOf(words), listAt)
  viewOf(table).setUint16(LOOKUP_LIST_OFFSET_AT, listAt)
  return table
}
