// The seqs of received messages whose write failed (the disk was full): catch-up state must never
// claim them. A conversation's (or channel's) `received` is updated in memory as a message arrives,
// before its batch is written, so that concurrent messages build on each other; when that batch
// fails, the seq is taken out again, and every record written later (even one built before the
// failure was known) leaves it out, until the message itself is stored.
import { MAX_SYNC_SEQS_ABOVE } from '../protocol/limits.js'
import { removeSeq, type SeqSet } from './seq-set.js'

export class UnstoredSeqs {
  /** conversation (or channel) id → author → seqs */
  private readonly seqs = new Map<string, Map<string, Set<number>>>()

  /** The message `seq` of `author` was not stored. */
  add (id: string, author: string, seq: number): void {
    const authors = this.seqs.get(id) ?? new Map<string, Set<number>>()
    this.seqs.set(id, authors)
    authors.set(author, (authors.get(author) ?? new Set()).add(seq))
  }

  /** The message is being stored again: its own batch may claim it. */
  delete (id: string, author: string, seq: number): void {
    const authors = this.seqs.get(id)
    authors?.get(author)?.delete(seq)
    if (authors?.get(author)?.size === 0) authors.delete(author)
    if (authors?.size === 0) this.seqs.delete(id)
  }

  /** `received` without the seqs of `id` whose message is not stored. */
  without<R extends Record<string, SeqSet> | undefined> (id: string, received: R): R {
    const authors = this.seqs.get(id)
    if (authors === undefined || received === undefined) return received
    const result: Record<string, SeqSet> = { ...received }
    for (const [author, seqs] of authors) {
      for (const seq of seqs) if (result[author] !== undefined) result[author] = removeSeq(result[author], seq, MAX_SYNC_SEQS_ABOVE)
    }
    return result as R
  }
}
