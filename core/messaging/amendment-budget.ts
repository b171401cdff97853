// How many edits, retractions and reactions one author may send of one message. Each is a message
// of its own, stored for good, and each one stored makes the node read every amendment of its
// message again to show it (amendments.ts), so without a bound a member's reactions cost a
// colleague's CPU the square of their number. Counted on disk by key (`amendedBy`, written with each
// amendment), and in memory for those still being stored.
import { CausetteError } from '../errors.js'
import { MAX_AMENDMENTS_PER_AUTHOR } from '../protocol/limits.js'
import { amendedByKey, type Database } from '../store/database.js'

type CountedDb = Pick<Database, 'amendedBy'>

/** How many amendments of `target` by `author` are stored, up to the bound. */
async function storedAmendments (db: CountedDb, target: string, author: string): Promise<number> {
  const prefix = amendedByKey(target, author)
  return (await db.amendedBy.keys({ gte: prefix, lt: `${prefix}\uffff`, limit: MAX_AMENDMENTS_PER_AUTHOR }).all()).length
}

function tooMany (): CausetteError {
  return new CausetteError('AMEND_TOO_MANY', `at most ${MAX_AMENDMENTS_PER_AUTHOR} edits, deletions and reactions of one message by one author`)
}

/** Throws AMEND_TOO_MANY when we may not amend `target` once more. */
export async function checkOwnAmendments (db: CountedDb, target: string, author: string): Promise<void> {
  if (await storedAmendments(db, target, author) >= MAX_AMENDMENTS_PER_AUTHOR) throw tooMany()
}

export class AmendmentBudget {
  /** `target!author` → its amendments being stored now. */
  readonly #inFlight = new Map<string, number>()

  constructor (private readonly db: CountedDb) {}

  /**
   * Claims room for one more amendment of `target` by `author`, counting those in flight; throws
   * AMEND_TOO_MANY past the bound. Call the returned function once it is stored or refused.
   */
  async claim (target: string, author: string): Promise<() => void> {
    const key = amendedByKey(target, author)
    const inFlight = this.#inFlight.get(key) ?? 0
    this.#inFlight.set(key, inFlight + 1)
    const release = (): void => {
      const left = (this.#inFlight.get(key) ?? 1) - 1
      if (left > 0) this.#inFlight.set(key, left)
      else this.#inFlight.delete(key)
    }
    try {
      if (inFlight + await storedAmendments(this.db, target, author) >= MAX_AMENDMENTS_PER_AUTHOR) throw tooMany()
      return release
    } catch (error) {
      release()
      throw error
    }
  }
}
