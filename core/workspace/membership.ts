// The membership log of this node's workspace, kept in a LevelDB sublevel (one key per entry), and
// the member table derived from it. Entries from peers are verified one by one before they are
// stored; `isMember` and `isInvitee` answer from memory, because the connection gater asks on every
// connection. Listeners hear each change once it is durable (a removal: disconnect that device).
// A fork (another valid branch after an entry we hold) is decided by the rule every node applies
// (crypto/membership-fork.ts): we keep our branch or switch to theirs, record the fork, and keep
// refusing every device that a `remove` of the dropped branch removed (README.md, "Forks"). A new
// `prekey` entry dated too far past our clock waits (README.md, "A member's own prekeys").
import type { AbstractBatchOperation, AbstractSublevel } from 'abstract-level'
import { ed25519Verify } from '../../crypto/ed25519.js'
import { membershipFail, parseEntry } from '../../crypto/membership-entry.js'
import { fromBase64, toBase64 } from '../../crypto/encoding.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'
import { MembershipLog, type Invite, type Member, type MembershipChange, type MembershipPrimitives, type SignedEntry } from '../../crypto/membership-log.js'
import { sha256 } from '../../crypto/sha256.js'
import { workspaceCodeOf, WorkspaceError } from '../errors.js'
import { decideFork, forkFromStored, growBranch, removedOnDroppedBranches, sameFork, storedFork, worthKeeping, type ForkRecord, type StoredFork } from './fork.js'

export const nodeMembershipPrimitives: MembershipPrimitives = { sha256, ed25519Verify }

/**
 * How far past this node's clock a new `prekey` entry may be dated. With the log's rule that a
 * device's prekeys are a day apart (PREKEY_MIN_INTERVAL_MS), a member can add about 30 at once, then
 * one a day, where it could add thousands a second. A desk whose clock runs more than 30 days ahead
 * has its new prekey taken once the others' clocks reach its date; its old one serves until then.
 */
export const MAX_PREKEY_AHEAD_MS = 30 * 24 * 3600 * 1000

/** Refuses a `prekey` entry dated more than MAX_PREKEY_AHEAD_MS past `now`: it is taken once the clock gets there. */
export function refuseIfAhead (signed: SignedEntry, now: number): void {
  const entry = parseEntry(signed.bytes)
  if (entry.kind === 'prekey' && entry.time > now + MAX_PREKEY_AHEAD_MS) {
    membershipFail('MEMBERSHIP_PREKEY_AHEAD', `entry ${entry.seq}: a prekey dated more than 30 days past this computer's clock`)
  }
}

export interface MembershipOptions {
  /** A sublevel of the profile's root database, for the membership log alone. */
  db: AbstractSublevel<any, any, any, any>
  primitives?: MembershipPrimitives
  /** The clock new entries are judged by (tests move it). */
  now?: () => number
}

export interface MemberEntry extends Member { peerId: string }
export interface WorkspaceInfo { id: string, name: string, root: Uint8Array }
export interface Change extends MembershipChange { peerId?: string }
export type ChangeListener = (change: Change) => void
export type ForkListener = (fork: ForkRecord) => void

interface StoredEntry { bytes: string, signature: string }
type EntrySublevel = AbstractSublevel<any, any, string, StoredEntry>
type ForkSublevel = AbstractSublevel<any, any, string, StoredFork>

const entryKey = (seq: number): string => seq.toString(16).padStart(12, '0')
const stored = (e: SignedEntry): StoredEntry => ({ bytes: toBase64(e.bytes), signature: toBase64(e.signature) })

export class Membership {
  readonly #root: AbstractSublevel<any, any, any, any>
  readonly #db: EntrySublevel
  readonly #forkDb: ForkSublevel
  readonly #primitives: MembershipPrimitives
  readonly #now: () => number
  readonly #listeners = new Set<ChangeListener>()
  readonly #forkListeners = new Set<ForkListener>()
  #forks: ForkRecord[] = []
  /** PeerIds removed on a branch this node dropped: refused all the same (a fork never undoes a removal). */
  #removedElsewhere = new Set<string>()
  #log: MembershipLog | undefined
  #byPeer = new Map<string, MemberEntry>()
  #invitesByPeer = new Map<string, Invite>()
  /** Removed devices: PeerId → seq of the entry that removed it; `#scanned` entries looked at so far. */
  #removedByPeer = new Map<string, number>()
  #scanned = 0
  #tail: Promise<unknown> = Promise.resolve()

  private constructor (root: AbstractSublevel<any, any, any, any>, primitives: MembershipPrimitives, now: () => number) {
    this.#root = root
    this.#db = root.sublevel<string, StoredEntry>('entries', { keyEncoding: 'utf8', valueEncoding: 'json' })
    this.#forkDb = root.sublevel<string, StoredFork>('forks', { keyEncoding: 'utf8', valueEncoding: 'json' })
    this.#primitives = primitives
    this.#now = now
  }

  /** Loads and re-verifies the stored log: the log is the truth, the member table is derived. */
  static async open (options: MembershipOptions): Promise<Membership> {
    const membership = new Membership(options.db, options.primitives ?? nodeMembershipPrimitives, options.now ?? Date.now)
    const entries = (await membership.#db.values().all()).map(e => ({ bytes: fromBase64(e.bytes), signature: fromBase64(e.signature) }))
    if (entries.length > 0) {
      try {
        membership.#log = MembershipLog.verify(membership.#primitives, entries)
      } catch (error) {
        throw new WorkspaceError('WORKSPACE_CORRUPT', `the stored membership log does not verify: ${(error as Error).message}`, { cause: error })
      }
      await membership.#loadForks()
      membership.#index()
    }
    return membership
  }

  /**
   * Stored forks. Each dropped branch was verified on our prefix when it was met (a later fork may
   * have changed that prefix since), so here only each entry's signature is checked again.
   */
  async #loadForks (): Promise<void> {
    const signedBySigner = (e: SignedEntry): boolean => {
      try { return this.#primitives.ed25519Verify(parseEntry(e.bytes).signer, e.bytes, e.signature) } catch { return false }
    }
    for (const fork of (await this.#forkDb.values().all()).map(forkFromStored)) {
      if (!fork.droppedEntries.every(signedBySigner)) throw new WorkspaceError('WORKSPACE_CORRUPT', `the stored record of the fork at entry ${fork.seq} does not verify`)
      this.#forks.push(fork)
    }
    this.#removedElsewhere = removedOnDroppedBranches(this.#forks)
  }

  get log (): MembershipLog | undefined { return this.#log }

  get workspace (): WorkspaceInfo | undefined {
    const log = this.#log
    return log === undefined ? undefined : { id: log.workspaceId, name: log.name, root: log.root }
  }

  /** The log, or WORKSPACE_NONE. */
  requireLog (): MembershipLog {
    return this.#log ?? (() => { throw new WorkspaceError('WORKSPACE_NONE', 'this node belongs to no workspace yet') })()
  }

  /** Is this PeerId an admitted device, removed on no branch we have seen? From memory. */
  isMember (peerId: string): boolean { return this.#byPeer.has(peerId) && !this.#removedElsewhere.has(peerId) }
  member (peerId: string): MemberEntry | undefined { return this.isMember(peerId) ? this.#byPeer.get(peerId) : undefined }
  members (): MemberEntry[] { return [...this.#byPeer.values()].filter(m => this.isMember(m.peerId)) }

  /** The member as our log has it, even if a branch we dropped removed it (an admin may remove it again). */
  memberInLog (peerId: string): MemberEntry | undefined { return this.#byPeer.get(peerId) }

  /** Was this PeerId removed, in our log or on a branch we dropped? */
  isRemoved (peerId: string): boolean { return this.#removedByPeer.has(peerId) || this.#removedElsewhere.has(peerId) }

  /** The forks this node has met, oldest first. */
  forks (): ForkRecord[] { return [...this.#forks] }

  /** The branch this node left at `fork` (the common prefix, then the entries dropped): to show the winner. */
  branchLeft (fork: ForkRecord): MembershipLog {
    return growBranch(this.#primitives, this.requireLog().entries(0, fork.seq), fork.droppedEntries).log
  }

  /** Notes that this device signed its own dropped entries of `fork` again (so a restart does not redo it). */
  async markRebased (fork: ForkRecord): Promise<void> {
    await this.#exclusive(async () => {
      const index = this.#forks.findIndex(f => sameFork(f, fork))
      if (index === -1 || this.#forks[index]!.rebased) return
      const record = { ...this.#forks[index]!, rebased: true }
      await this.#forkDb.put(entryKey(index), storedFork(record))
      this.#forks[index] = record
    })
  }

  onFork (listener: ForkListener): () => void {
    this.#forkListeners.add(listener)
    return () => { this.#forkListeners.delete(listener) }
  }

  /**
   * Is this PeerId the key of an invite issued by `inviter` (any admin if absent) and not older than
   * `graceMs` past its expiry? Used or expired invites count, so that their holder hears a clear
   * refusal from the join protocol rather than a closed connection.
   */
  isInvitee (peerId: string, options: { inviter?: Uint8Array, graceMs?: number, now?: number } = {}): boolean {
    const invite = this.#invitesByPeer.get(peerId)
    if (invite === undefined) return false
    if (options.inviter !== undefined && toBase64(options.inviter) !== toBase64(invite.inviter)) return false
    return (options.now ?? Date.now()) <= invite.expires + (options.graceMs ?? 0)
  }

  inviteOf (peerId: string): Invite | undefined { return this.#invitesByPeer.get(peerId) }

  /** The seq of the entry that removed this PeerId's device, if one did. From memory. */
  removedAt (peerId: string): number | undefined { return this.#removedByPeer.get(peerId) }

  onChange (listener: ChangeListener): () => void {
    this.#listeners.add(listener)
    return () => { this.#listeners.delete(listener) }
  }

  /** Starts the log (this node's own genesis, or a log received when joining, checked against `pinnedRoot`). */
  async adopt (entries: SignedEntry[], pinnedRoot?: Uint8Array): Promise<Change[]> {
    return await this.#exclusive(async () => {
      if (this.#log !== undefined) throw new WorkspaceError('WORKSPACE_EXISTS', 'this node already belongs to a workspace')
      if (entries.length === 0) throw new WorkspaceError('MEMBERSHIP_BROKEN_CHAIN', 'membership: an empty log')
      const log = MembershipLog.fromGenesis(this.#primitives, entries[0]!, pinnedRoot)
      const changes: MembershipChange[] = [{ seq: 0, kind: 'genesis', signer: log.root, device: log.root }, ...entries.slice(1).map(e => log.apply(e))]
      await this.#db.batch(entries.map((e, seq) => ({ type: 'put' as const, key: entryKey(seq), value: stored(e) })))
      this.#log = log
      this.#index()
      return this.#notify(changes)
    })
  }

  /**
   * Merges entries received from a peer, in log order: those we hold are skipped, new ones verified
   * and stored. On the first invalid entry the valid ones before it are kept and the error is thrown
   * (a prekey dated too far ahead is invalid until the clock gets there: the peer offers it again).
   */
  async merge (entries: SignedEntry[]): Promise<Change[]> {
    return await this.#exclusive(async () => await this.#merge(entries))
  }

  /**
   * Appends the entry `make` signs on the current head, with no other append in between; `make`
   * may return undefined to append nothing.
   */
  async extend (make: (log: MembershipLog) => SignedEntry | undefined): Promise<Change | undefined> {
    return await this.#exclusive(async () => {
      const entry = make(this.requireLog())
      return entry === undefined ? undefined : (await this.#merge([entry]))[0]
    })
  }

  async #merge (entries: SignedEntry[]): Promise<Change[]> {
    const log = this.requireLog()
    const changes: MembershipChange[] = []
    const accepted: SignedEntry[] = []
    let failure: unknown
    const now = this.#now()
    for (const [i, entry] of entries.entries()) {
      try {
        if (log.holds(entry)) continue
        refuseIfAhead(entry, now)
        changes.push(log.apply(entry))
        accepted.push(entry)
      } catch (error) {
        // Another branch after an entry we hold (before anything new: it follows our prefix).
        if (workspaceCodeOf(error) === 'MEMBERSHIP_FORK' && accepted.length === 0) return await this.#fork(entries.slice(i))
        failure = error
        break
      }
    }
    if (accepted.length > 0) {
      const first = changes[0]!.seq
      try {
        await this.#db.batch(accepted.map((e, i) => ({ type: 'put' as const, key: entryKey(first + i), value: stored(e) })))
      } catch (error) {
        // Memory is ahead of the disk: rebuild it from what is stored.
        this.#log = MembershipLog.verify(this.#primitives, log.entries(0, first))
        this.#removedByPeer.clear()
        this.#scanned = 0
        this.#index()
        throw error
      }
      this.#index()
    }
    const notified = this.#notify(changes)
    if (failure !== undefined) throw failure
    return notified
  }

  /**
   * The other branch, from its first entry that differs from ours: verified on our common prefix,
   * decided by the rule, stored with the record of the fork in one batch. A first entry that does not
   * verify is refused as any bad entry; a later one ends their branch there (and is thrown after).
   */
  async #fork (theirs: SignedEntry[]): Promise<Change[]> {
    const log = this.requireLog()
    const seq = parseEntry(theirs[0]!.bytes).seq
    const now = this.#now()
    const branch = growBranch(this.#primitives, log.entries(0, seq), theirs, entry => { refuseIfAhead(entry, now) })
    if (branch.applied.length === 0) throw branch.failure
    const fork = decideFork(this.#primitives, seq, log.entries(seq), branch.applied, Date.now())
    const known = this.#forks.findIndex(f => sameFork(f, fork))
    if (known === -1 && !worthKeeping(fork, this.#forks.length)) return []
    const record = known === -1 ? fork : { ...this.#forks[known]!, droppedEntries: longer(this.#forks[known]!.droppedEntries, fork.droppedEntries) }
    const forkOp = { type: 'put' as const, sublevel: this.#forkDb, key: entryKey(known === -1 ? this.#forks.length : known), value: storedFork(record) }
    const changes = fork.switched ? branch.changes : []
    await this.#root.batch([...(fork.switched ? this.#switchOps(log, branch.log, seq) : []), forkOp])
    if (known === -1) this.#forks.push(record)
    else this.#forks[known] = record
    this.#removedElsewhere = removedOnDroppedBranches(this.#forks)
    if (fork.switched) this.#adoptBranch(branch.log)
    const notified = this.#notify(changes)
    if (known === -1) this.#notifyFork(record)
    if (branch.failure !== undefined) throw branch.failure
    return notified
  }

  /** The writes that replace our entries from `seq` on with the branch's. */
  #switchOps (ours: MembershipLog, winner: MembershipLog, seq: number): Array<AbstractBatchOperation<any, string, any>> {
    const puts = winner.entries(seq).map((e, i) => ({ type: 'put' as const, sublevel: this.#db, key: entryKey(seq + i), value: stored(e) }))
    const dels = Array.from({ length: Math.max(0, ours.length - winner.length) }, (_, i) => ({ type: 'del' as const, sublevel: this.#db, key: entryKey(winner.length + i) }))
    return [...puts, ...dels]
  }

  #adoptBranch (winner: MembershipLog): void {
    this.#log = winner
    this.#removedByPeer.clear()
    this.#scanned = 0
    this.#index()
  }

  #index (): void {
    const log = this.#log!
    this.#byPeer = new Map(log.members().map(m => [ed25519PeerId(m.device), { ...m, peerId: ed25519PeerId(m.device) }]))
    this.#invitesByPeer = new Map(log.invites().map(i => [ed25519PeerId(i.key), i]))
    // The log keeps no list of removed devices: read the entries not looked at yet.
    for (const signed of log.entries(this.#scanned)) {
      const entry = parseEntry(signed.bytes)
      if (entry.kind === 'remove') this.#removedByPeer.set(ed25519PeerId(entry.device), entry.seq)
    }
    this.#scanned = log.length
  }

  #notify (changes: MembershipChange[]): Change[] {
    const out = changes.map(c => c.device === undefined ? c : { ...c, peerId: ed25519PeerId(c.device) })
    for (const change of out) {
      for (const listener of this.#listeners) {
        try { listener(change) } catch { /* a listener's failure is its own */ }
      }
    }
    return out
  }

  #notifyFork (fork: ForkRecord): void {
    for (const listener of this.#forkListeners) {
      try { listener(fork) } catch { /* a listener's failure is its own */ }
    }
  }

  async #exclusive<T> (task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task, task)
    this.#tail = run.catch(() => {})
    return await run
  }
}

const longer = (a: SignedEntry[], b: SignedEntry[]): SignedEntry[] => b.length > a.length ? b : a
