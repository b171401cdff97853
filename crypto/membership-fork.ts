// The fork-choice rule of the membership log (core/workspace/README.md, "Forks"): when two valid
// branches follow the same entry, every node that holds both keeps the same one, judged by their
// first entries alone. A device's own `prekey` entry loses to any other kind (an admin's change), so
// a member, who can sign nothing else, can never make an admin's change lose; between two entries of
// the same rank, the lower SHA-256 wins. The losing side re-signs its own dropped entries on the
// winner, so the rule decides an order, never what is lost. Pure.
import { parseEntry } from './membership-entry.js'
import { entryHash, type MembershipPrimitives, type SignedEntry } from './membership-log.js'

export type Branch = 'ours' | 'theirs'

/** 1 for an admin's change (invite, admit, remove, role, revoke), 0 for a device's own prekey. */
function rank (entry: SignedEntry): number {
  return parseEntry(entry.bytes).kind === 'prekey' ? 0 : 1
}

function compareBytes (a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!
  }
  return a.length - b.length
}

/** Which branch wins, given the first entry of each after their common prefix (both already verified). */
export function forkWinner (primitives: MembershipPrimitives, ours: SignedEntry, theirs: SignedEntry): Branch {
  const byRank = rank(ours) - rank(theirs)
  if (byRank !== 0) return byRank > 0 ? 'ours' : 'theirs'
  return compareBytes(entryHash(primitives, ours.bytes), entryHash(primitives, theirs.bytes)) <= 0 ? 'ours' : 'theirs'
}
