// The journal (DESIGN.md §6): an append-only RFC 9162 Merkle log in a LevelDB sublevel. Each append
// writes the leaves, the subtree hashes they complete and the caller's own operations in ONE batch,
// so an event and its journal entry are durable together or not at all. Appends are serialised and
// cost O(log n); checkpoints are C2SP signed notes that never contradict an earlier one.
import type { AbstractBatchOperation, AbstractSublevel } from 'abstract-level'
import { equals, fromBase64, toBase64 } from '../../crypto/encoding.js'
import { consistencyProofRanges, hashLeaf, inclusionProofRanges, verifyConsistency } from '../../crypto/merkle.js'
import { formatCheckpoint, formatVerifierKey, noteKey, signNote, type NoteKey } from '../../crypto/signed-note.js'
import { ed25519PeerId, journalOrigin } from '../../crypto/log/peer-id.js'
import { encodeEntry, type JournalEntry } from './entry.js'
import { JournalError } from './errors.js'
import { nodeLogPrimitives } from './primitives.js'
import { exportJournal, type BodyLookup, type ExportFilter } from './export.js'
import { bytesSublevel, Frontier, leafKey, rangeHashes, type BytesSublevel } from './tree-store.js'

/** Batch operations on other sublevels of the same root database, committed with the entries. */
export type JournalBatchOp = AbstractBatchOperation<any, any, any>

export interface JournalOptions {
  /** A sublevel of the profile's root database, for the journal alone (any encodings). */
  db: AbstractSublevel<any, any, any, any>
  /** Signs with the device key (Ed25519). */
  sign: (message: Uint8Array) => Uint8Array
  publicKey: Uint8Array
  /** The log's name in its checkpoints and key: journalOrigin(the PeerId of `publicKey`). */
  origin: string
}

interface StoredCheckpoint { size: number, root: string, note: string }

const META_CHECKPOINT = 'checkpoint'
const META_EXPORTS = 'exports'
const MAX_REMEMBERED_EXPORTS = 64
const { sha256 } = nodeLogPrimitives

export { journalOrigin }

export class Journal {
  readonly key: NoteKey
  readonly #db: JournalOptions['db']
  readonly #sign: JournalOptions['sign']
  readonly #leaves: BytesSublevel
  readonly #nodes: BytesSublevel
  readonly #meta: AbstractSublevel<any, any, string, any>
  #frontier: Frontier
  #tail: Promise<unknown> = Promise.resolve()

  private constructor (opts: JournalOptions, key: NoteKey, leaves: BytesSublevel, nodes: BytesSublevel, frontier: Frontier) {
    this.key = key
    this.#db = opts.db
    this.#sign = opts.sign
    this.#leaves = leaves
    this.#nodes = nodes
    this.#meta = opts.db.sublevel('meta', { keyEncoding: 'utf8', valueEncoding: 'json' })
    this.#frontier = frontier
  }

  static async open (opts: JournalOptions): Promise<Journal> {
    const key = noteKey(sha256, opts.origin, opts.publicKey) // refuses a bad origin or key before anything else
    if (opts.origin !== journalOrigin(ed25519PeerId(opts.publicKey))) throw new JournalError('JOURNAL_BAD_ORIGIN', 'journal: the origin must be journalOrigin(PeerId of the device key)')
    const leaves = bytesSublevel(opts.db, 'leaf')
    const nodes = bytesSublevel(opts.db, 'node')
    const frontier = await Frontier.load(nodes, sha256, await Journal.#storedSize(leaves))
    return new Journal(opts, key, leaves, nodes, frontier)
  }

  static async #storedSize (leaves: BytesSublevel): Promise<number> {
    const last = await leaves.keys({ reverse: true, limit: 1 }).all()
    return last.length === 0 ? 0 : parseInt(last[0]!, 16) + 1
  }

  get size (): number { return this.#frontier.size }

  /** The verifier key (name+keyid+base64) an auditor pins: `causette log verify --key`. */
  get verifierKey (): string { return formatVerifierKey(this.key) }

  root (): Uint8Array { return this.#frontier.root(sha256) }

  /** Runs `task` after every earlier append, checkpoint or export step. */
  async #exclusive<T> (task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task)
    this.#tail = run.catch(() => undefined)
    return await run
  }

  /**
   * Appends `entries` as leaves and commits `ops` (operations on OTHER sublevels of the same root
   * database, each with its `sublevel` set) in the same batch. Resolves to the leaf indexes.
   */
  async append (entries: JournalEntry[], ops: JournalBatchOp[] = []): Promise<number[]> {
    const leaves = entries.map(encodeEntry) // a bad entry throws before anything is written
    for (const op of ops) {
      if (op.sublevel === undefined) throw new JournalError('JOURNAL_BAD_OP', 'journal: every extra batch operation must name its sublevel')
    }
    return await this.#exclusive(async () => await this.#write(leaves, ops))
  }

  async #write (leaves: Uint8Array[], ops: JournalBatchOp[]): Promise<number[]> {
    let frontier = this.#frontier
    const mine: JournalBatchOp[] = []
    const indexes: number[] = []
    for (const leaf of leaves) {
      indexes.push(frontier.size)
      mine.push({ type: 'put', sublevel: this.#leaves, key: leafKey(frontier.size), value: leaf })
      const next = frontier.append(sha256, hashLeaf(sha256, leaf))
      for (const node of next.nodes) mine.push({ type: 'put', sublevel: this.#nodes, key: node.key, value: node.value })
      frontier = next.frontier
    }
    await this.#db.batch([...ops, ...mine])
    this.#frontier = frontier
    return indexes
  }

  /** A signed checkpoint for the current size (the same one again if nothing was appended). */
  async checkpoint (): Promise<string> {
    return await this.#exclusive(async () => (await this.#checkpointNow()).note)
  }

  async #checkpointNow (): Promise<StoredCheckpoint> {
    const last = await this.#meta.get(META_CHECKPOINT) as StoredCheckpoint | undefined
    const size = this.size
    const root = this.root()
    if (last?.size === size && last.root === toBase64(root)) return last
    // Never sign a head that does not extend the last one, whatever happened to the store.
    if (last !== undefined) {
      if (last.size > size) throw new JournalError('JOURNAL_CORRUPT', `journal: ${size} entries, fewer than the ${last.size} of the last checkpoint; refusing to sign`)
      const proof = await this.consistencyProof(last.size, size)
      if (!verifyConsistency(sha256, last.size, size, proof, fromBase64(last.root), root)) {
        throw new JournalError('JOURNAL_CORRUPT', `journal: the tree of ${size} does not extend the checkpoint of ${last.size}; refusing to sign`)
      }
    }
    const note = signNote(this.key, this.#sign, formatCheckpoint({ origin: this.key.name, size, root }))
    const stored = { size, root: toBase64(root), note }
    await this.#meta.put(META_CHECKPOINT, stored)
    return stored
  }

  /**
   * Appends the entry `build` makes from the current size and root, and signs a checkpoint that
   * ends with it, with nothing in between. Returns the sizes of earlier export checkpoints too.
   */
  async appendAndCheckpoint (build: (size: number, root: Uint8Array) => JournalEntry): Promise<{ index: number, note: string, previousExports: number[] }> {
    return await this.#exclusive(async () => {
      const [index] = await this.#write([encodeEntry(build(this.size, this.root()))], [])
      const { note } = await this.#checkpointNow()
      const previousExports = (await this.#meta.get(META_EXPORTS) as number[] | undefined) ?? []
      await this.#meta.put(META_EXPORTS, [...previousExports, index! + 1].slice(-MAX_REMEMBERED_EXPORTS))
      return { index: index!, note, previousExports }
    })
  }

  async inclusionProof (index: number, size: number): Promise<Uint8Array[]> {
    return await rangeHashes(this.#nodes, sha256, inclusionProofRanges(index, size))
  }

  async consistencyProof (oldSize: number, newSize: number): Promise<Uint8Array[]> {
    return await rangeHashes(this.#nodes, sha256, consistencyProofRanges(oldSize, newSize))
  }

  /** The root of the first `size` leaves (a past tree head). */
  async rootAt (size: number): Promise<Uint8Array> {
    if (size === this.size) return this.root()
    const [root] = await rangeHashes(this.#nodes, sha256, [[0, size]])
    return root!
  }

  /** Leaves [start, end) in order, as stored. */
  async * leaves (start: number, end: number): AsyncGenerator<[number, Uint8Array]> {
    if (start >= end) return
    for await (const [key, value] of this.#leaves.iterator({ gte: leafKey(start), lt: leafKey(end) })) {
      yield [parseInt(key, 16), value]
    }
  }

  /** Streams an export file (docs/log-format.md); journals the export and signs its checkpoint. */
  export (filter: ExportFilter, lookupBody: BodyLookup): AsyncIterable<string> {
    return exportJournal(this, filter, lookupBody)
  }

  /** True when the stored tree still rebuilds the last signed checkpoint (a self-check). */
  async matchesLastCheckpoint (): Promise<boolean> {
    const last = await this.#meta.get(META_CHECKPOINT) as StoredCheckpoint | undefined
    return last === undefined || equals(await this.rootAt(last.size), fromBase64(last.root))
  }
}
