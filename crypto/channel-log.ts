// The signed membership log of one channel (docs/channels.md). Members append concurrently, so the
// entries form a DAG by hash; every replica orders the entries it holds by (Lamport clock, hash) and
// folds them in that order, so two replicas holding the same entries hold the same state, whatever
// order the entries reached them in.
//
// An entry is refused outright (never held, so never journaled) unless its signer was made a member
// by the create, an invite or its own join among its ancestors; an `open` entry is the creator's
// alone, and a `join` needs an `open` entry among its ancestors (crypto/channel-membership-rule.ts,
// the journal verifier's rule too). The other rules are checked at each entry's place in the order (an
// entry that breaks one is kept, since others may name it as a parent, but has no effect):
// - any member may invite a device, set the topic, or leave; anyone not a member may join an open channel;
// - the owner, the member of longest standing (the creator first), removes members and archives;
// - nothing is accepted after the archive entry;
// - a device that left (or was removed) MAX_DEPARTURES times cannot come back: its join or invite has no effect;
// - an entry whose signer's accepted removal (or leave) is concurrent with it, neither before nor
//   after it in the DAG, is void: a removed member cannot slip entries in by naming old parents.
// Group messages are not in the log, but the log decides who may send them (postRefusal): a member at
// the heads a message names, and, once that membership ended with a departure naming the device's
// chains, only on those chains below the iterations named.
// Pure: sha256 and Ed25519 verification are passed in, as for the membership log.
import { equals, toBase64, toBase64Url } from './encoding.js'
import type { LogPrimitives } from './log/primitives.js'
import type { EntrySigner, SignedEntry } from './membership-log.js'
import { randomBytes } from './random.js'
import { deviceJoinedBy, mayHoldEntry } from './channel-membership-rule.js'
import {
  ChannelError, channelFail, encodeChannelEntry, MAX_DEPARTURES, MAX_PARENTS, parseChannelEntry,
  type ChannelEntry, type ChannelEntryBody, type ChannelErrorCode, type DepartureChain
} from './channel-entry.js'

export type ChannelPrimitives = Pick<LogPrimitives, 'sha256' | 'ed25519Verify'>

export interface ChannelMember {
  device: Uint8Array
  /** Hash of the entry that made it a member this time (the create or an invite): its history starts there. */
  joinedAt: Uint8Array
  invitedBy: Uint8Array
}

/**
 * An accepted removal or leave: the sender keys of every remaining member rotate after it. `chains`:
 * the device's chains it names, past which its group messages are refused (undefined: an entry
 * without the line, which bounds nothing).
 */
export interface Departure { device: Uint8Array, kind: 'remove' | 'leave', at: Uint8Array, by: Uint8Array, chains?: DepartureChain[] }

export interface Refusal { hash: Uint8Array, code: ChannelErrorCode }

/** Why the rules refused an entry of ours, in words (the CLI and the app show the message). */
const REFUSAL_REASONS: Partial<Record<ChannelErrorCode, string>> = {
  CHANNEL_ALREADY_MEMBER: 'already a member',
  CHANNEL_NOT_MEMBER: 'not a member of the channel',
  CHANNEL_NOT_OWNER: 'only the channel\'s owner may',
  CHANNEL_ARCHIVED: 'the channel is archived',
  CHANNEL_REMOVED_CONCURRENTLY: 'removed from the channel meanwhile',
  CHANNEL_TOO_MANY_RETURNS: `left or removed ${MAX_DEPARTURES} times: no way back`
}

/**
 * An accepted change of who is in the channel, in log order: the lines "Chloé joined", "Alice added
 * Bruno", "Chloé left", "Alice removed Chloé" (a create is its signer joining). `time` is the
 * signer's clock, as the entry says it.
 */
export interface MemberChange { kind: 'create' | 'invite' | 'join' | 'leave' | 'remove', device: Uint8Array, by: Uint8Array, time: number, at: Uint8Array }

export interface ChannelState {
  channelId: string
  workspace: string
  creator: Uint8Array
  name: string
  topic: string
  archived: boolean
  /** Whether any member of the workspace may join (the creator's open entry, at creation). */
  open: boolean
  /** Longest standing first; the first is the owner. */
  members: ChannelMember[]
  owner: Uint8Array | null
  /** In log order; their number is the channel's epoch. */
  departures: Departure[]
  /** Every accepted join, invite, leave and removal, in log order. */
  changes: MemberChange[]
  refused: Refusal[]
}

interface Node {
  signed: SignedEntry
  entry: ChannelEntry
  hash: Uint8Array
  key: string
  parents: string[]
  signer: string
  joins: string | undefined
  opens: boolean
  /** Its place in the order entries were added in: parents always come before. */
  index: number
  /** Its ancestors, one bit per `index`: "is a before b" is then one read, not a walk of the DAG. */
  ancestors: Uint32Array
}

function nodeOf (signed: SignedEntry, entry: ChannelEntry, hash: Uint8Array): Node {
  return { signed, entry, hash, key: keyOf(hash), parents: entry.parents.map(keyOf), signer: keyOf(entry.signer), joins: deviceJoinedBy(entry), opens: entry.kind === 'open', index: 0, ancestors: new Uint32Array(0) }
}

/** Is `a` a strict ancestor of `b`? */
function isAncestor (a: Node, b: Node): boolean {
  return a.index < b.index && (b.ancestors[a.index >>> 5]! & (1 << (a.index & 31))) !== 0
}

/** The ancestors of a node added at `index` after `parents`: theirs and themselves. */
function ancestorsOf (index: number, parents: Node[]): Uint32Array {
  const bits = new Uint32Array((index + 31) >>> 5)
  for (const parent of parents) {
    for (let word = 0; word < parent.ancestors.length; word++) bits[word]! |= parent.ancestors[word]!
    bits[parent.index >>> 5]! |= 1 << (parent.index & 31)
  }
  return bits
}

/** One membership of a device: from its joining entry to its departure (null while it lasts), and the chains that departure names. */
interface Stint { joined: string, left: string | null, chains?: DepartureChain[] }

/** May a message on `chainId` at `iteration` be sent in this stint? Always while it lasts, or when its departure bounds nothing. */
function withinStint (stint: Stint, chainId: Uint8Array, iteration: number): boolean {
  if (stint.left === null || stint.chains === undefined) return true
  return stint.chains.some(chain => equals(chain.chainId, chainId) && iteration < chain.next)
}

/** Why the membership rule refuses an entry of these kinds (any other: its signer is no member). */
const RULE_REFUSALS: Partial<Record<ChannelEntry['kind'], string>> = {
  open: 'an open entry by another device than the channel\'s creator',
  join: 'a join in a channel that is not open'
}

const keyOf = (bytes: Uint8Array): string => toBase64(bytes)
const byOrder = (a: Node, b: Node): number => a.entry.clock - b.entry.clock || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

export class ChannelLog {
  readonly channelId: string
  readonly #primitives: ChannelPrimitives
  readonly #nodes = new Map<string, Node>()
  /** Every entry in (clock, hash) order. */
  readonly #order: Node[] = []
  readonly #children = new Map<string, number>()
  readonly #heads = new Set<string>()
  /** How many entries each signer has in the log (held ones, with an effect or not). */
  readonly #bySigner = new Map<string, number>()
  #folded: { state: ChannelState, stints: Map<string, Stint[]> } | undefined

  private constructor (primitives: ChannelPrimitives, root: Node) {
    this.#primitives = primitives
    this.channelId = toBase64Url(root.hash)
    this.#insert(root)
  }

  /** A log from its create entry (the channel id is its hash). */
  static open (primitives: ChannelPrimitives, create: SignedEntry): ChannelLog {
    const entry = parseChannelEntry(create.bytes)
    if (entry.kind !== 'create') channelFail('CHANNEL_WRONG_CHANNEL', 'a channel log starts with its create entry')
    if (!primitives.ed25519Verify(entry.signer, create.bytes, create.signature)) channelFail('CHANNEL_BAD_SIGNATURE', 'the create entry is not signed by its signer')
    const hash = primitives.sha256(create.bytes)
    return new ChannelLog(primitives, nodeOf(create, entry, hash))
  }

  /** Verifies a whole log from its entries, in any order; throws the first refusal. */
  static verify (primitives: ChannelPrimitives, entries: SignedEntry[]): ChannelLog {
    const { log, refusal } = ChannelLog.restore(primitives, entries)
    if (refusal !== undefined) throw refusal
    return log
  }

  /**
   * A log from stored entries, in any order, holding every one that verifies, with the first refusal
   * if some did not (say, an entry an older version took: the node reports it and keeps the channel).
   * Throws only without a valid create entry.
   */
  static restore (primitives: ChannelPrimitives, entries: SignedEntry[]): { log: ChannelLog, refusal?: ChannelError } {
    const create = entries.find(e => { try { return parseChannelEntry(e.bytes).kind === 'create' } catch { return false } })
    if (create === undefined) return channelFail('CHANNEL_WRONG_CHANNEL', 'no create entry')
    const log = ChannelLog.open(primitives, create)
    try {
      log.addAll(entries)
      return { log }
    } catch (error) {
      if (!(error instanceof ChannelError)) throw error
      return { log, refusal: error }
    }
  }

  get size (): number { return this.#order.length }
  /** How many of the entries held `signer` signed. */
  signedBy (signer: Uint8Array): number { return this.#bySigner.get(keyOf(signer)) ?? 0 }
  has (hash: Uint8Array): boolean { return this.#nodes.has(keyOf(hash)) }
  /** The entries no other entry names as a parent: what a replica announces to its peers. */
  heads (): Uint8Array[] { return this.#order.filter(n => this.#heads.has(n.key)).map(n => n.hash) }
  /** Every entry, in log order (parents before children). */
  entries (): SignedEntry[] { return this.#order.map(n => n.signed) }

  /**
   * Adds one entry; false when it is held already. Throws ChannelError: CHANNEL_BAD_ENTRY,
   * CHANNEL_WRONG_CHANNEL, CHANNEL_BAD_SIGNATURE, CHANNEL_MISSING_PARENT (fetch it first), CHANNEL_BAD_CLOCK,
   * CHANNEL_NOT_INVITED (no create or invite among its ancestors made its signer a member).
   * An entry that breaks a membership rule is added and named in `state().refused`.
   */
  add (signed: SignedEntry): boolean {
    const entry = parseChannelEntry(signed.bytes)
    const hash = this.#primitives.sha256(signed.bytes)
    if (this.#nodes.has(keyOf(hash))) return false
    if (entry.channel !== this.channelId) channelFail('CHANNEL_WRONG_CHANNEL', entry.kind === 'create' ? 'a second create entry' : 'an entry of another channel')
    if (!this.#primitives.ed25519Verify(entry.signer, signed.bytes, signed.signature)) channelFail('CHANNEL_BAD_SIGNATURE', 'an entry not signed by its signer')
    const node = nodeOf(signed, entry, hash)
    const known = node.parents.map(p => this.#nodes.get(p))
    if (known.some(n => n === undefined)) channelFail('CHANNEL_MISSING_PARENT', 'an entry whose parents are not all held')
    if (entry.clock !== 1 + Math.max(...known.map(n => n!.entry.clock))) channelFail('CHANNEL_BAD_CLOCK', 'a clock that is not one above its parents\' highest')
    // The create entry, the only one at clock 0, is always first in the order.
    const creator = this.#order[0]!.joins!
    if (!mayHoldEntry({ kind: entry.kind, creator, signer: node.signer, parents: node.parents }, k => this.#nodes.get(k)!)) {
      channelFail('CHANNEL_NOT_INVITED', RULE_REFUSALS[entry.kind] ?? 'an entry whose signer no create or invite before it made a member')
    }
    this.#insert(node)
    return true
  }

  /**
   * Adds entries in any order (parents first or not); returns how many were new. Every entry that
   * can be added is, past any refusal; then the first refusal is thrown (CHANNEL_MISSING_PARENT last:
   * an entry that waits on a refused one waits for good).
   */
  addAll (entries: SignedEntry[]): number {
    // In clock order parents come first, so a whole log goes in one pass (unreadable entries first: they fail at once).
    const clockOf = (e: SignedEntry): number => { try { return parseChannelEntry(e.bytes).clock } catch { return -1 } }
    let pending = entries.map(e => ({ e, clock: clockOf(e) })).sort((a, b) => a.clock - b.clock).map(x => x.e)
    let added = 0
    let refusal: ChannelError | undefined
    let missing: ChannelError | undefined
    while (pending.length > 0) {
      const waiting: SignedEntry[] = []
      for (const signed of pending) {
        try {
          if (this.add(signed)) added++
        } catch (error) {
          if (!(error instanceof ChannelError)) throw error
          if (error.code !== 'CHANNEL_MISSING_PARENT') {
            refusal ??= error
            continue
          }
          waiting.push(signed)
          missing = error
        }
      }
      if (waiting.length === pending.length) break
      pending = waiting
    }
    if (refusal !== undefined) throw refusal
    if (pending.length > 0 && missing !== undefined) throw missing
    return added
  }

  /** Signs `body` after every head (the newest MAX_PARENTS), checks the rules accept it, adds it and returns it. */
  append (signer: EntrySigner, body: ChannelEntryBody, time: number): SignedEntry {
    if (body.kind === 'create') channelFail('CHANNEL_WRONG_CHANNEL', 'a channel has one create entry')
    const heads = this.#order.filter(n => this.#heads.has(n.key)).slice(-MAX_PARENTS)
    const parents = heads.map(n => n.hash).sort((a, b) => keyOf(a) < keyOf(b) ? -1 : 1)
    const clock = 1 + Math.max(...heads.map(n => n.entry.clock))
    const bytes = encodeChannelEntry({ channel: this.channelId, parents, clock, signer: signer.publicKey, time, ...body })
    const signed = { bytes, signature: signer.sign(bytes) }
    this.add(signed)
    const hash = this.#primitives.sha256(bytes)
    const refusal = this.state().refused.find(r => equals(r.hash, hash))
    if (refusal !== undefined) {
      this.#undoLast(keyOf(hash))
      channelFail(refusal.code, `${body.kind} refused: ${REFUSAL_REASONS[refusal.code] ?? refusal.code}`)
    }
    return signed
  }

  /** Our entries that a replica whose heads are `theirs` lacks, in log order (their unknown heads are ignored). */
  missingFor (theirs: Uint8Array[]): SignedEntry[] {
    const reached = this.#reachedFrom(theirs)
    return this.#order.filter(n => !reached(n)).map(n => n.signed)
  }

  state (): ChannelState { return this.#fold().state }

  /** The member's current joining entry, where its history starts; undefined for a non-member. */
  joinedAt (device: Uint8Array): Uint8Array | undefined {
    return this.state().members.find(m => equals(m.device, device))?.joinedAt
  }

  /**
   * Was `device` a member at the point of the log that `heads` name (say, the heads a channel message
   * was sent under)? True when one of its memberships began at or before those heads and had not ended there.
   */
  wasMemberAt (device: Uint8Array, heads: Uint8Array[]): boolean {
    return this.#stintsAt(device, heads).length > 0
  }

  /**
   * Why a group message by `device` on its chain `chainId` at `iteration`, sent under `heads`, is
   * refused; null when it is not. CHANNEL_NOT_MEMBER: the device was no member at those heads.
   * CHANNEL_SENT_AFTER_DEPARTURE: every membership of it those heads name has ended with a departure
   * naming its chains, and none of them lets this message in (another chain, or an iteration at or past
   * the one named): heads from before a removal no longer let a removed member post.
   */
  postRefusal (device: Uint8Array, heads: Uint8Array[], chainId: Uint8Array, iteration: number): 'CHANNEL_NOT_MEMBER' | 'CHANNEL_SENT_AFTER_DEPARTURE' | null {
    const stints = this.#stintsAt(device, heads)
    if (stints.length === 0) return 'CHANNEL_NOT_MEMBER'
    return stints.some(stint => withinStint(stint, chainId, iteration)) ? null : 'CHANNEL_SENT_AFTER_DEPARTURE'
  }

  /** The memberships of `device` that began at or before `heads` and had not ended there. */
  #stintsAt (device: Uint8Array, heads: Uint8Array[]): Stint[] {
    const reached = this.#reachedFrom(heads)
    const at = (key: string): boolean => reached(this.#nodes.get(key)!)
    const stints = this.#fold().stints.get(keyOf(device)) ?? []
    return stints.filter(s => at(s.joined) && (s.left === null || !at(s.left)))
  }

  #insert (node: Node): void {
    node.index = this.#nodes.size
    node.ancestors = ancestorsOf(node.index, node.parents.map(p => this.#nodes.get(p)!))
    this.#bySigner.set(node.signer, this.signedBy(node.entry.signer) + 1)
    this.#nodes.set(node.key, node)
    let at = this.#order.length
    while (at > 0 && byOrder(this.#order[at - 1]!, node) > 0) at--
    this.#order.splice(at, 0, node)
    for (const p of node.parents) {
      this.#children.set(p, (this.#children.get(p) ?? 0) + 1)
      this.#heads.delete(p)
    }
    this.#heads.add(node.key)
    this.#folded = undefined
  }

  /** Takes back the entry just appended (a head, with no children). */
  #undoLast (key: string): void {
    const node = this.#nodes.get(key)!
    this.#nodes.delete(key)
    this.#bySigner.set(node.signer, this.signedBy(node.entry.signer) - 1)
    this.#order.splice(this.#order.indexOf(node), 1)
    this.#heads.delete(key)
    for (const p of node.parents) {
      const left = this.#children.get(p)! - 1
      this.#children.set(p, left)
      if (left === 0) this.#heads.add(p)
    }
    this.#folded = undefined
  }

  /** Whether an entry is one of `heads` (those held) or an ancestor of one. */
  #reachedFrom (heads: Uint8Array[]): (node: Node) => boolean {
    const held = heads.map(h => this.#nodes.get(keyOf(h))).filter(n => n !== undefined)
    return node => held.some(head => head === node || isAncestor(node, head))
  }

  /** Folds until no accepted departure finds an earlier, concurrent entry of its member to void. */
  #fold (): { state: ChannelState, stints: Map<string, Stint[]> } {
    if (this.#folded !== undefined) return this.#folded
    const voided = new Set<string>()
    for (;;) {
      const result = this.#foldOnce(voided)
      if ('state' in result) {
        this.#folded = result
        return result
      }
      for (const key of result.toVoid) voided.add(key)
    }
  }

  #foldOnce (voided: Set<string>): { state: ChannelState, stints: Map<string, Stint[]> } | { toVoid: string[] } {
    const root = this.#order[0]!.entry as Extract<ChannelEntry, { kind: 'create' }>
    const state: ChannelState = {
      channelId: this.channelId, workspace: root.workspace, creator: root.signer, name: root.name, topic: root.topic, archived: false,
      open: false, members: [], owner: null, departures: [], changes: [], refused: []
    }
    const members = new Map<string, ChannelMember>()
    const stints = new Map<string, Stint[]>()
    /** Accepted entries by signer, and accepted departures by member. */
    const acted = new Map<string, Node[]>()
    const departed = new Map<string, Node[]>()
    const push = <T>(map: Map<string, T[]>, k: string, v: T): void => {
      const list = map.get(k)
      if (list === undefined) map.set(k, [v])
      else list.push(v)
    }
    const owner = (): ChannelMember | undefined => members.values().next().value

    const refusal = (node: Node): ChannelErrorCode | null => {
      const e = node.entry
      const signer = keyOf(e.signer)
      if (e.kind === 'create') return null
      if (voided.has(node.key)) return 'CHANNEL_REMOVED_CONCURRENTLY'
      if (state.archived) return 'CHANNEL_ARCHIVED'
      if ((departed.get(signer) ?? []).some(d => !isAncestor(d, node))) return 'CHANNEL_REMOVED_CONCURRENTLY'
      const returns = e.kind === 'join' ? signer : e.kind === 'invite' ? keyOf(e.device) : undefined
      if (returns !== undefined && (departed.get(returns)?.length ?? 0) >= MAX_DEPARTURES) return 'CHANNEL_TOO_MANY_RETURNS'
      if (e.kind === 'join') return members.has(signer) ? 'CHANNEL_ALREADY_MEMBER' : state.open ? null : 'CHANNEL_NOT_MEMBER'
      if (!members.has(signer)) return 'CHANNEL_NOT_MEMBER'
      const ownerOnly = e.kind === 'remove' || e.kind === 'archive' || e.kind === 'open'
      if (ownerOnly && owner() !== members.get(signer)) return 'CHANNEL_NOT_OWNER'
      if (e.kind === 'invite' && members.has(keyOf(e.device))) return 'CHANNEL_ALREADY_MEMBER'
      if (e.kind === 'remove' && !members.has(keyOf(e.device))) return 'CHANNEL_NOT_MEMBER'
      return null
    }

    for (const node of this.#order) {
      const e = node.entry
      const code = refusal(node)
      if (code !== null) {
        state.refused.push({ hash: node.hash, code })
        continue
      }
      push(acted, keyOf(e.signer), node)
      switch (e.kind) {
        case 'create':
        case 'join':
        case 'invite': {
          const device = e.kind === 'invite' ? e.device : e.signer
          members.set(keyOf(device), { device, joinedAt: node.hash, invitedBy: e.signer })
          push(stints, keyOf(device), { joined: node.key, left: null })
          state.changes.push({ kind: e.kind, device, by: e.signer, time: e.time, at: node.hash })
          break
        }
        case 'open':
          state.open = true
          break
        case 'remove':
        case 'leave': {
          const device = e.kind === 'remove' ? e.device : e.signer
          const k = keyOf(device)
          // Its entries before this one in the order, but not before it in the DAG, are void.
          const toVoid = (acted.get(k) ?? []).filter(a => a !== node && !isAncestor(a, node)).map(a => a.key)
          if (toVoid.length > 0) return { toVoid }
          members.delete(k)
          const stint = stints.get(k)!.at(-1)!
          stint.left = node.key
          if (e.chains !== undefined) stint.chains = e.chains
          push(departed, k, node)
          state.departures.push({ device, kind: e.kind, at: node.hash, by: e.signer, ...e.chains !== undefined ? { chains: e.chains } : {} })
          state.changes.push({ kind: e.kind, device, by: e.signer, time: e.time, at: node.hash })
          break
        }
        case 'topic':
          state.topic = e.topic
          break
        case 'archive':
          state.archived = true
          break
      }
    }
    state.members = [...members.values()]
    state.owner = owner()?.device ?? null
    return { state, stints }
  }
}

/** Creates a channel: its log, holding the signed create entry (which is also to be sent to the first invitees). */
export function createChannel (primitives: ChannelPrimitives, signer: EntrySigner, channel: { workspace: string, name: string, topic: string, open?: boolean }, time: number): ChannelLog {
  const { open = false, ...fields } = channel
  const entry: ChannelEntry = { kind: 'create', channel: null, parents: [], clock: 0, signer: signer.publicKey, time, ...fields, nonce: randomBytes(16) }
  const bytes = encodeChannelEntry(entry)
  const log = ChannelLog.open(primitives, { bytes, signature: signer.sign(bytes) })
  if (open) log.append(signer, { kind: 'open' }, time)
  return log
}

/** The devices of `before` (say, those our sender key was distributed to) that are no longer members: if any, rotate. */
export function lostMembers (before: Uint8Array[], state: ChannelState): Uint8Array[] {
  return before.filter(d => !state.members.some(m => equals(m.device, d)))
}

/** The conversation id a channel's statements name (the computation is shared with the journal's verifier). */
export { channelConversationId } from './log/conversation-ids.js'
