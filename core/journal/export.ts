// Streams the export file (docs/log-format.md). A subset export first selects its entries, then
// journals the export itself (filter, size covered, count and Merkle root of the selection) and
// signs a checkpoint that ends with that entry; every line after that is proven against it. A
// full export needs no selection pass. Memory stays bounded: entries are read and written one by one.
import { fromUtf8, toBase64, utf8 } from '../../crypto/encoding.js'
import type { LeafObject } from '../../crypto/log/canonical-json.js'
import { isMessageKind, type EntryKind } from '../../crypto/log/entry-kinds.js'
import { line } from '../../crypto/log/export-format.js'
import { hashLeaf, MerkleAccumulator } from '../../crypto/merkle.js'
import { encodeEntry, type JournalEntry } from './entry.js'
import { CausetteError } from '../errors.js'
import { nodeLogPrimitives } from './primitives.js'

const { sha256 } = nodeLogPrimitives

export interface ExportFilter {
  /** PeerId of the other side */
  with?: string
  conversation?: string
  /** Unix ms, inclusive */
  since?: number
  /** Unix ms, exclusive */
  until?: number
  /** withhold message bodies (their commitments still verify) */
  redact?: boolean
}

/** What an export reads of the journal (journal.ts's Journal; named here so that export.ts does not import it back). */
export interface ExportedJournal {
  readonly size: number
  readonly verifierKey: string
  leaves: (start: number, end: number) => AsyncIterable<[number, Uint8Array]>
  inclusionProof: (index: number, size: number) => Promise<Uint8Array[]>
  consistencyProof: (oldSize: number, newSize: number) => Promise<Uint8Array[]>
  rootAt: (size: number) => Promise<Uint8Array>
  appendAndCheckpoint: (build: (size: number, root: Uint8Array) => JournalEntry) => Promise<{ index: number, note: string, previousExports: number[] }>
}

export type BodyLookup = (messageId: string) => Promise<{ salt: Uint8Array, body: Uint8Array } | undefined>

const TEXT_PATTERN = /^[\x21\x23-\x5b\x5d-\x7e]{1,200}$/

function checkFilter (filter: ExportFilter): void {
  for (const field of ['with', 'conversation'] as const) {
    const value = filter[field]
    if (value !== undefined && !TEXT_PATTERN.test(value)) throw new CausetteError('BAD_REQUEST', `journal export: ${field} is not a PeerId or id`)
  }
  for (const field of ['since', 'until'] as const) {
    const value = filter[field]
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) throw new CausetteError('BAD_REQUEST', `journal export: ${field} must be a time in Unix ms`)
  }
}

function isSubset (filter: ExportFilter): boolean {
  return filter.with !== undefined || filter.conversation !== undefined || filter.since !== undefined || filter.until !== undefined
}

function matchesFilter (filter: ExportFilter, fields: LeafObject): boolean {
  return (filter.with === undefined || fields.peer === filter.with) &&
    (filter.conversation === undefined || fields.conversation === filter.conversation) &&
    (filter.since === undefined || (fields.time as number) >= filter.since) &&
    (filter.until === undefined || (fields.time as number) < filter.until)
}

/**
 * What a subset selects: the entries that match the filter and, for each channel with a matching
 * channel entry, every entry of that channel from its create on, so that a verifier can tell that
 * each entry's signer was a member (docs/log-format.md §4).
 */
async function selector (journal: ExportedJournal, filter: ExportFilter, size: number): Promise<(fields: LeafObject) => boolean> {
  const channels = new Set<string>()
  for await (const [, leaf] of journal.leaves(0, size)) {
    const fields = readLeaf(leaf)
    if (fields.kind === 'channel-entry' && matchesFilter(filter, fields)) channels.add(fields.channel as string)
  }
  return fields => matchesFilter(filter, fields) || (fields.kind === 'channel-entry' && channels.has(fields.channel as string))
}

const readLeaf = (leaf: Uint8Array): LeafObject => JSON.parse(fromUtf8(leaf)) as LeafObject

function exportEntry (filter: ExportFilter, size: number, count: number, selection: Uint8Array): JournalEntry {
  const entry: Record<string, string | number> = { kind: 'export', time: Date.now(), size, count, selection: toBase64(selection), redact: filter.redact === true ? 'yes' : 'no' }
  if (filter.with !== undefined) entry['filter-with'] = filter.with
  if (filter.conversation !== undefined) entry['filter-conversation'] = filter.conversation
  if (filter.since !== undefined) entry['filter-since'] = filter.since
  if (filter.until !== undefined) entry['filter-until'] = filter.until
  return entry as JournalEntry
}

/** The selection pass of a subset export: how many entries of [0, size) match, and their root. */
async function select (journal: ExportedJournal, matches: (fields: LeafObject) => boolean, size: number): Promise<{ count: number, root: Uint8Array }> {
  const acc = new MerkleAccumulator(sha256)
  for await (const [, leaf] of journal.leaves(0, size)) {
    if (matches(readLeaf(leaf))) acc.push(hashLeaf(sha256, leaf))
  }
  return { count: acc.size, root: acc.root() }
}

async function * entryLines (journal: ExportedJournal, index: number, leaf: Uint8Array, treeSize: number, subset: boolean, body: BodyLookup | undefined): AsyncGenerator<string> {
  yield line.entry(index, hashLeaf(sha256, leaf), leaf)
  const fields = body === undefined ? undefined : readLeaf(leaf)
  if (fields !== undefined && isMessageKind(fields.kind as EntryKind)) {
    const disclosed = await body!(fields.id as string)
    if (disclosed !== undefined) yield line.body(disclosed.salt, disclosed.body)
  }
  if (subset) yield line.proof(await journal.inclusionProof(index, treeSize))
}

export async function * exportJournal (journal: ExportedJournal, filter: ExportFilter, lookupBody: BodyLookup): AsyncGenerator<string> {
  checkFilter(filter)
  const subset = isSubset(filter)
  const covered = journal.size
  const matches = subset ? await selector(journal, filter, covered) : undefined
  const selection = matches === undefined ? undefined : await select(journal, matches, covered)
  let entry: JournalEntry | undefined
  const sealed = await journal.appendAndCheckpoint((size, root) => {
    entry = selection === undefined ? exportEntry(filter, size, size, root) : exportEntry(filter, covered, selection.count, selection.root)
    return entry
  })
  const treeSize = sealed.index + 1
  yield line.header()
  yield line.key(journal.verifierKey)
  yield line.scope(subset ? 'subset' : 'full')
  yield line.checkpoint(utf8(sealed.note))
  for (const size of sealed.previousExports) {
    if (size > 0 && size < treeSize) yield line.consistency(size, await journal.rootAt(size), await journal.consistencyProof(size, treeSize))
  }
  const body = filter.redact === true ? undefined : lookupBody
  for await (const [index, leaf] of journal.leaves(0, subset ? covered : sealed.index)) {
    if (matches !== undefined && !matches(readLeaf(leaf))) continue
    yield * entryLines(journal, index, leaf, treeSize, subset, body)
  }
  yield * entryLines(journal, sealed.index, encodeEntry(entry!), treeSize, subset, undefined)
  yield line.end()
}
