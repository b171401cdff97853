// A fork of the membership log as this node met it (README.md, "Forks"): the other branch verified
// on our common prefix, the record kept of it (which first entry won, which lost, the losing
// branch's entries, whose removals stay in force here), and that record as stored.
import { fromBase64, toBase64 } from '../../crypto/encoding.js'
import { parseEntry } from '../../crypto/membership-entry.js'
import { forkWinner } from '../../crypto/membership-fork.js'
import { entryHash, MembershipLog, type MembershipChange, type MembershipPrimitives, type SignedEntry } from '../../crypto/membership-log.js'
import { ed25519PeerId } from '../../crypto/log/peer-id.js'

export interface ForkRecord {
  /** Seq of the first entry where the two branches differ. */
  seq: number
  /** SHA-256 of the first entry of the branch kept (the winner), and of the branch dropped. */
  kept: Uint8Array
  dropped: Uint8Array
  /** Did this node leave its own branch for the other? */
  switched: boolean
  /** Has it signed its own dropped entries again since (true when it kept its branch)? */
  rebased: boolean
  /** When this node met the fork (its clock). */
  time: number
  /** The dropped branch from `seq` on, as far as it verified: its removals stay in force here. */
  droppedEntries: SignedEntry[]
}

/** The other branch applied on our common prefix, as far as it verifies. */
export interface TheirBranch {
  log: MembershipLog
  applied: SignedEntry[]
  changes: MembershipChange[]
  /** Why it stopped before its end, if it did. */
  failure?: unknown
}

/** `screen` may refuse an entry before the log's rules are applied to it (by throwing), as a merge does. */
export function growBranch (primitives: MembershipPrimitives, prefix: SignedEntry[], theirs: SignedEntry[], screen: (entry: SignedEntry) => void = () => {}): TheirBranch {
  const log = MembershipLog.verify(primitives, prefix)
  const branch: TheirBranch = { log, applied: [], changes: [] }
  for (const entry of theirs) {
    try {
      screen(entry)
      branch.changes.push(log.apply(entry))
      branch.applied.push(entry)
    } catch (error) {
      branch.failure = error
      break
    }
  }
  return branch
}

/** The fork between our branch from `seq` and theirs (non-empty, verified), decided by the rule. */
export function decideFork (primitives: MembershipPrimitives, seq: number, ours: SignedEntry[], theirs: SignedEntry[], time: number): ForkRecord {
  const switched = forkWinner(primitives, ours[0]!, theirs[0]!) === 'theirs'
  const [kept, dropped] = switched ? [theirs, ours] : [ours, theirs]
  return { seq, kept: entryHash(primitives, kept[0]!.bytes), dropped: entryHash(primitives, dropped[0]!.bytes), switched, rebased: !switched, time, droppedEntries: dropped }
}

/** Past this many records, a fork that changes nothing here (kept our branch, dropped no removal) is not recorded. */
export const MAX_FORK_RECORDS = 256

/** A member can sign prekey branches at will: such forks, once many, would only fill the disk. */
export function worthKeeping (fork: ForkRecord, recorded: number): boolean {
  return recorded < MAX_FORK_RECORDS || fork.switched || removedOnDroppedBranches([fork]).size > 0
}

export const sameFork = (a: ForkRecord, b: ForkRecord): boolean =>
  a.seq === b.seq && toBase64(a.kept) === toBase64(b.kept) && toBase64(a.dropped) === toBase64(b.dropped)

/** PeerIds that a `remove` entry of a dropped branch removed. */
export function removedOnDroppedBranches (forks: ForkRecord[]): Set<string> {
  const removed = new Set<string>()
  for (const fork of forks) {
    for (const signed of fork.droppedEntries) {
      const entry = parseEntry(signed.bytes)
      if (entry.kind === 'remove') removed.add(ed25519PeerId(entry.device))
    }
  }
  return removed
}

export interface StoredFork { seq: number, kept: string, dropped: string, switched: boolean, rebased: boolean, time: number, entries: Array<{ bytes: string, signature: string }> }

export function storedFork (fork: ForkRecord): StoredFork {
  const entries = fork.droppedEntries.map(e => ({ bytes: toBase64(e.bytes), signature: toBase64(e.signature) }))
  return { seq: fork.seq, kept: toBase64(fork.kept), dropped: toBase64(fork.dropped), switched: fork.switched, rebased: fork.rebased, time: fork.time, entries }
}

export function forkFromStored (stored: StoredFork): ForkRecord {
  const droppedEntries = stored.entries.map(e => ({ bytes: fromBase64(e.bytes), signature: fromBase64(e.signature) }))
  return { seq: stored.seq, kept: fromBase64(stored.kept), dropped: fromBase64(stored.dropped), switched: stored.switched, rebased: stored.rebased, time: stored.time, droppedEntries }
}
