// The export-file verifier (docs/log-format.md §5) as a line-by-line state machine, so a file of a
// million entries verifies in memory bounded by one line and O(log n) hashes. Every failure names
// the line and, when there is one, the entry. verify-export.ts drives it over a file.
import { equals, fromUtf8, toBase64 } from '../encoding.js'
import { decodeBase64 } from '../base64.js'
import { hashLeaf, MerkleAccumulator, verifyConsistency, verifyInclusion } from '../merkle.js'
import { formatVerifierKey, openNote, parseCheckpoint, parseVerifierKey, SignedNoteError, type NoteKey } from '../signed-note.js'
import { checkEntry, EntryCheckError } from './verify-entry.js'
import { ChannelMembership } from './verify-log-entries.js'
import { SeqFindings, type SeqFinding } from './seq-findings.js'
import { ConversationFindings, type ConversationFinding } from './conversation-findings.js'
import type { PlacedCheck } from './signature-batches.js'
import { CARRIAGE_RETURN, line as formatLine, NO_FINAL_NEWLINE, parseHashes, parseIndex, SCOPES, splitLine, type Scope } from './export-format.js'
import type { LeafObject } from './canonical-json.js'
import { ed25519PeerId, journalOrigin } from './peer-id.js'
import { HASH_BYTES, type LogPrimitives, type SignatureCheck } from './primitives.js'

const MAX_CONSISTENCY_LINES = 1000
/** A body's salt: 32 random bytes (docs/log-format.md §1). */
const SALT_BYTES = 32

export interface VerifyOptions {
  /** A verifier key (name+keyid+base64) the checkpoint must be signed by. Without it the file's own key is used. */
  trustedKey?: string
  /** Also report the root of the first `rootAtSize` leaves (full exports only): used to check that one export extends another. */
  rootAtSize?: number
}

export interface ExportReport {
  key: string
  /** true when the key was given by the caller, false when it was taken from the file */
  keyPinned: boolean
  origin: string
  scope: Scope
  size: number
  root: Uint8Array
  entries: number
  kinds: Record<string, number>
  bodiesDisclosed: number
  bodiesWithheld: number
  /** the export's own journal entry: filter, size considered, count selected */
  exportEntry: LeafObject
  /** earlier checkpoints (size, root) this one provably extends */
  consistency: Array<{ size: number, root: Uint8Array }>
  rootAtSize?: Uint8Array
  /** gaps and reorderings of the authors' seq (warnings: the file still verifies); the first MAX_FINDINGS */
  seqFindings: SeqFinding[]
  seqFindingsTotal: number
  /** 1:1 messages filed in a conversation not their author's and recipient's (warnings); the first MAX_FINDINGS */
  conversationFindings: ConversationFinding[]
  conversationFindingsTotal: number
}

export class LogVerificationError extends Error {
  override name = 'LogVerificationError'
  readonly code = 'LOG_VERIFICATION_FAILED'
  constructor (readonly reason: string, readonly line: number, readonly entry?: number) {
    super(entry === undefined ? `line ${line}: ${reason}` : `entry ${entry} (line ${line}): ${reason}`)
  }
}

interface OpenEntry { index: number, leafHash: Uint8Array, bodyHash?: Uint8Array, body: boolean, proof: boolean, fields: LeafObject }

type Stage = 'header' | 'key' | 'scope' | 'checkpoint' | 'entries' | 'done'

export class ExportVerifier {
  readonly #p: LogPrimitives
  readonly #options: VerifyOptions
  #stage: Stage = 'header'
  #lineNo = 0
  #key?: NoteKey
  #scope: Scope = 'full'
  #size = 0
  #root: Uint8Array = new Uint8Array(0)
  #entry?: OpenEntry
  #lastIndex = -1
  #entries = 0
  #lastSelectedIndex = -1
  readonly #tree: MerkleAccumulator
  readonly #selection: MerkleAccumulator
  #selectionRoot?: Uint8Array
  #rootAtSize?: Uint8Array
  readonly #kinds: Record<string, number> = {}
  #bodiesDisclosed = 0
  #bodiesWithheld = 0
  #exportEntry?: LeafObject
  readonly #consistency: Array<{ size: number, root: Uint8Array }> = []
  readonly #channels = new ChannelMembership()
  readonly #seq = new SeqFindings()
  readonly #conversations: ConversationFindings

  readonly #defer?: (check: PlacedCheck) => void

  /** With `deferSignature`, signatures are handed over (to be checked in batches) instead of checked here. */
  constructor (primitives: LogPrimitives, options: VerifyOptions = {}, deferSignature?: (check: PlacedCheck) => void) {
    this.#p = primitives
    this.#options = options
    this.#defer = deferSignature
    this.#tree = new MerkleAccumulator(primitives.sha256)
    this.#selection = new MerkleAccumulator(primitives.sha256)
    this.#conversations = new ConversationFindings(primitives.sha256)
  }

  #fail (reason: string, entry = this.#entry?.index): never {
    throw new LogVerificationError(reason, this.#lineNo, entry)
  }

  /** Feeds one line (without its newline). Throws LogVerificationError at the first problem. */
  push (text: string): void {
    if (text === NO_FINAL_NEWLINE) this.#fail('the file does not end with a newline', undefined)
    this.#lineNo++
    if (text.endsWith(CARRIAGE_RETURN)) this.#fail('the line ends with CR LF: lines end with LF alone', undefined)
    if (this.#stage === 'done') this.#fail('text after the end line', undefined)
    if (this.#stage === 'header') {
      if (text !== formatLine.header()) this.#fail(`not a causette journal export (expected "${formatLine.header()}")`)
      this.#stage = 'key'
      return
    }
    const parsed = splitLine(text) ?? this.#fail('unknown line')
    const { tag, fields } = parsed
    if (this.#stage === 'key' || this.#stage === 'scope' || this.#stage === 'checkpoint') {
      if (tag !== this.#stage) this.#fail(`expected the ${this.#stage} line`)
      this.#header(tag, fields)
      return
    }
    switch (tag) {
      case 'consistency': return this.#consistencyLine(fields)
      case 'entry': return this.#entryLine(fields)
      case 'body': return this.#bodyLine(fields)
      case 'proof': return this.#proofLine(fields)
      case 'end': return this.#end(fields)
      default: this.#fail(`a ${tag} line is out of place`)
    }
  }

  #header (tag: 'key' | 'scope' | 'checkpoint', fields: string[]): void {
    if (fields.length !== 1) this.#fail(`a ${tag} line has one field`)
    const value = fields[0]!
    if (tag === 'key') {
      this.#key = this.#noteCall(() => parseVerifierKey(this.#p.sha256, value))
      const trusted = this.#options.trustedKey
      if (trusted !== undefined && formatVerifierKey(this.#noteCall(() => parseVerifierKey(this.#p.sha256, trusted))) !== value) {
        this.#fail('the file is signed by another key than the one given')
      }
      this.#stage = 'scope'
    } else if (tag === 'scope') {
      if (!(SCOPES as readonly string[]).includes(value)) this.#fail('scope must be full or subset')
      this.#scope = value as Scope
      this.#stage = 'checkpoint'
    } else {
      const note = decodeBase64(value) ?? this.#fail('the checkpoint is not base64')
      const checkpoint = this.#noteCall(() => parseCheckpoint(openNote(this.#p, fromUtf8(note), this.#key!)))
      if (checkpoint.origin !== this.#key!.name) this.#fail('the checkpoint origin differs from the key name')
      if (checkpoint.origin !== journalOrigin(ed25519PeerId(this.#key!.publicKey))) this.#fail('the journal is named after another PeerId than its key\'s')
      if (checkpoint.size === 0) this.#fail('the checkpoint is of an empty tree')
      this.#size = checkpoint.size
      this.#root = checkpoint.root
      this.#stage = 'entries'
    }
  }

  #noteCall<T> (fn: () => T): T {
    try { return fn() } catch (error) {
      if (error instanceof SignedNoteError) this.#fail(error.message)
      throw error
    }
  }

  #consistencyLine (fields: string[]): void {
    if (this.#lastIndex >= 0) this.#fail('consistency lines come before the entries')
    if (this.#consistency.length >= MAX_CONSISTENCY_LINES) this.#fail('too many consistency lines')
    const size = parseIndex(fields[0])
    const [root, ...proof] = parseHashes(fields.slice(1)) ?? []
    if (size === undefined || size === 0 || size >= this.#size || root === undefined) this.#fail('a consistency line is a smaller tree size, its root and base64 hashes')
    if (size <= (this.#consistency.at(-1)?.size ?? 0)) this.#fail('consistency lines come by increasing size, once each')
    if (!verifyConsistency(this.#p.sha256, size, this.#size, proof, root, this.#root)) this.#fail(`the consistency proof from size ${size} does not lead to the checkpoint root`)
    this.#consistency.push({ size, root })
  }

  #entryLine (fields: string[]): void {
    this.#closeEntry()
    this.#entry = undefined // a malformed entry line is named by its line alone
    const index = parseIndex(fields[0])
    if (index === undefined || fields.length !== 3) this.#fail('an entry line is an index, a leaf hash and a base64 leaf', undefined)
    this.#entry = { index, leafHash: new Uint8Array(0), body: false, proof: false, fields: {} }
    if (index <= this.#lastIndex) this.#fail(index === this.#lastIndex ? 'duplicate entry' : `out of order (after entry ${this.#lastIndex})`)
    if (this.#scope === 'full' && index !== this.#lastIndex + 1) this.#fail(`entries ${this.#lastIndex + 1}..${index - 1} are missing`, this.#lastIndex + 1)
    if (index >= this.#size) this.#fail(`beyond the checkpoint's tree size ${this.#size}`)
    const leaf = decodeBase64(fields[2]!) ?? this.#fail('the leaf is not base64')
    const leafHash = hashLeaf(this.#p.sha256, leaf)
    const written = decodeBase64(fields[1]!, HASH_BYTES)
    if (written === undefined || !equals(written, leafHash)) this.#fail('the leaf does not match its hash: this line was altered')
    const defer = this.#defer === undefined ? undefined : (check: SignatureCheck): void => { this.#defer!({ ...check, line: this.#lineNo, entry: index }) }
    const checked = this.#entryCall(() => checkEntry(this.#p, leaf, this.#key!.publicKey, defer, this.#channels))
    if (checked.statement !== undefined) {
      this.#seq.see(checked.statement, index, this.#lineNo)
      this.#conversations.see(checked.statement, index, this.#lineNo)
    }
    if (checked.kind === 'channel-entry') this.#conversations.channel(checked.fields.channel as string)
    this.#entry = { index, leafHash, bodyHash: checked.statement?.bodyHash, body: false, proof: false, fields: checked.fields }
    this.#lastIndex = index
    this.#kinds[checked.kind] = (this.#kinds[checked.kind] ?? 0) + 1
    if (index === this.#size - 1) {
      if (checked.kind !== 'export') this.#fail('the last entry of an export must be the export\'s own entry')
      // In a full export the selection is every entry before this one: the tree so far.
      this.#selectionRoot = (this.#scope === 'full' ? this.#tree : this.#selection).root()
      this.#exportEntry = checked.fields
    } else {
      if (this.#scope === 'subset') this.#selection.push(leafHash)
      this.#entries++
      this.#lastSelectedIndex = index
    }
    if (this.#scope === 'full') {
      this.#tree.push(leafHash)
      if (this.#tree.size === this.#options.rootAtSize) this.#rootAtSize = this.#tree.root()
    }
  }

  #entryCall<T> (fn: () => T): T {
    try { return fn() } catch (error) {
      if (error instanceof EntryCheckError) this.#fail(error.message)
      throw error
    }
  }

  #bodyLine (fields: string[]): void {
    const entry = this.#entry
    if (entry?.bodyHash === undefined || entry.body || entry.proof) this.#fail('a body line must follow a message entry')
    const salt = decodeBase64(fields[0] ?? '', SALT_BYTES)
    const body = decodeBase64(fields[1] ?? '')
    if (salt === undefined || body === undefined || fields.length !== 2) this.#fail(`a body line is a base64 salt of ${SALT_BYTES} bytes and a base64 body`)
    if (!equals(this.#p.sha256(salt, body), entry.bodyHash)) this.#fail('the disclosed body does not match its commitment')
    entry.body = true
    this.#bodiesDisclosed++
  }

  #proofLine (fields: string[]): void {
    const entry = this.#entry
    if (this.#scope !== 'subset') this.#fail('a full export carries no inclusion proofs')
    if (entry === undefined || entry.proof) this.#fail('a proof line must follow an entry')
    const proof = parseHashes(fields) ?? this.#fail('a proof line holds base64 hashes')
    if (!verifyInclusion(this.#p.sha256, entry.index, this.#size, entry.leafHash, proof, this.#root)) {
      this.#fail('the inclusion proof does not lead to the checkpoint root')
    }
    entry.proof = true
  }

  #closeEntry (): void {
    const entry = this.#entry
    if (entry === undefined) return
    if (this.#scope === 'subset' && !entry.proof) this.#fail('the entry has no inclusion proof', entry.index)
    if (entry.bodyHash !== undefined && !entry.body) this.#bodiesWithheld++
  }

  #end (fields: string[]): void {
    if (fields.length !== 0) this.#fail('the end line has no fields')
    this.#closeEntry()
    this.#entry = undefined
    const exported = this.#exportEntry ?? this.#fail(`the export's own entry ${this.#size - 1} is missing: the file was cut short`, this.#size - 1)
    if (this.#scope === 'full' && !equals(this.#tree.root(), this.#root)) this.#fail('the entries do not rebuild the checkpoint root')
    if (exported.count !== this.#entries) this.#fail(`the export lists ${String(exported.count)} entries, the file has ${this.#entries}`, this.#size - 1)
    if (toBase64(this.#selectionRoot!) !== exported.selection) this.#fail('the entries are not the ones the export selected', this.#size - 1)
    if (exported.redact !== 'yes' && exported.redact !== 'no') this.#fail('the export entry says neither redact yes nor no', this.#size - 1)
    if (exported.redact === 'yes' && this.#bodiesDisclosed > 0) this.#fail('a redacted export discloses a body', this.#size - 1)
    const considered = exported.size
    if (typeof considered !== 'number' || considered > this.#size - 1 || this.#lastSelectedIndex >= considered) this.#fail('an entry lies beyond the size the export covered', this.#size - 1)
    if (this.#scope === 'full' && considered !== this.#size - 1) this.#fail('a full export covers the whole tree', this.#size - 1)
    this.#stage = 'done'
  }

  /** Ends the verification; throws when the file stopped before its end line. */
  finish (): ExportReport {
    if (this.#stage !== 'done') {
      // Name the first entry that should have come next: in a full export the next index, in a
      // subset the export's own entry, which always comes last.
      const next = this.#stage !== 'entries' ? undefined : this.#scope === 'full' ? this.#lastIndex + 1 : this.#size - 1
      this.#fail(`the file ends before its end line (after entry ${this.#lastIndex}): it was cut short`, next)
    }
    const conversations = this.#conversations.result(this.#scope)
    return {
      key: formatVerifierKey(this.#key!),
      keyPinned: this.#options.trustedKey !== undefined,
      origin: this.#key!.name,
      scope: this.#scope,
      size: this.#size,
      root: this.#root,
      entries: this.#entries,
      kinds: this.#kinds,
      bodiesDisclosed: this.#bodiesDisclosed,
      bodiesWithheld: this.#bodiesWithheld,
      exportEntry: this.#exportEntry!,
      consistency: this.#consistency,
      rootAtSize: this.#rootAtSize,
      seqFindings: this.#seq.findings,
      seqFindingsTotal: this.#seq.total,
      conversationFindings: conversations.findings,
      conversationFindingsTotal: conversations.total
    }
  }
}
