// Every change of the workspace's membership log goes into the journal, in log order. The membership
// log is written by core/workspace in its own batch, so a cursor (in the same batch as the journal
// entries) says how far the journal has followed it: after a crash, the next run catches up. Forks
// the membership met are journaled too, with a cursor of their own (README.md of core/workspace).
import { toBase64 } from '../../crypto/encoding.js'
import { parseEntry } from '../../crypto/membership-entry.js'
import { membershipEntry, membershipForkEntry, type JournalEntry } from '../journal/entry.js'
import type { Database } from '../store/database.js'
import type { BatchOp } from '../store/batch.js'
import type { GroupCommit } from '../store/group-commit.js'
import type { Membership } from '../workspace/membership.js'

const CURSOR_KEY = 'membership-journaled'
/** How many of the membership's fork records (Membership.forks(), oldest first) are journaled. */
const FORKS_CURSOR_KEY = 'membership-forks-journaled'

export class MembershipJournal {
  private running: Promise<void> = Promise.resolve()

  constructor (private readonly db: Database, private readonly membership: Membership, private readonly commit: Pick<GroupCommit<JournalEntry, BatchOp>, 'write'>) {}

  /** Journals what the log has beyond the cursor; calls are serialised. */
  async catchUp (): Promise<void> {
    this.running = this.running.catch(() => {}).then(async () => { await this.run() })
    await this.running
  }

  /**
   * New forks first; a fork where this node left its branch moves the cursor back to where the
   * branches part, so that the entries kept are journaled after the fork, seq repeating.
   */
  private async run (): Promise<void> {
    const log = this.membership.log
    if (log === undefined) return
    const forks = this.membership.forks()
    const forksJournaled = (await this.db.meta.get(FORKS_CURSOR_KEY) as number | undefined) ?? 0
    const newForks = forks.slice(forksJournaled)
    let journaled = (await this.db.meta.get(CURSOR_KEY) as number | undefined) ?? 0
    for (const fork of newForks) if (fork.switched) journaled = Math.min(journaled, fork.seq)
    if (journaled >= log.length && newForks.length === 0) return
    const time = Date.now()
    const forkEntries = newForks.map(fork => membershipForkEntry({
      time,
      workspace: log.workspaceId,
      seq: fork.seq,
      entry: toBase64(fork.droppedEntries[0]?.bytes ?? new Uint8Array(0)),
      signature: toBase64(fork.droppedEntries[0]?.signature ?? new Uint8Array(0)),
      kept: toBase64(fork.kept)
    }))
    const entries = log.entries(journaled).map((signed, i) => membershipEntry({
      time,
      workspace: log.workspaceId,
      seq: journaled + i,
      change: parseEntry(signed.bytes).kind,
      entry: toBase64(signed.bytes),
      signature: toBase64(signed.signature)
    }))
    await this.commit.write([...forkEntries, ...entries], [
      { type: 'put', sublevel: this.db.meta, key: CURSOR_KEY, value: log.length },
      { type: 'put', sublevel: this.db.meta, key: FORKS_CURSOR_KEY, value: forks.length }
    ])
  }
}
