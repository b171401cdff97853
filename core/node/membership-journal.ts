// Every change of the workspace's membership log goes into the journal, in log order. The membership
// log is written by core/workspace in its own batch, so a cursor (in the same batch as the journal
// entries) says how far the journal has followed it: after a crash, the next run catches up.
import { toBase64 } from '../../crypto/encoding.js'
import { parseEntry } from '../../crypto/membership-entry.js'
import { membershipEntry, type JournalEntry } from '../journal/entry.js'
import type { Database } from '../store/database.js'
import type { BatchOp } from '../store/batch.js'
import type { GroupCommit } from '../store/group-commit.js'
import type { Membership } from '../workspace/membership.js'

const CURSOR_KEY = 'membership-journaled'

export class MembershipJournal {
  private running: Promise<void> = Promise.resolve()

  constructor (private readonly db: Database, private readonly membership: Membership, private readonly commit: Pick<GroupCommit<JournalEntry, BatchOp>, 'write'>) {}

  /** Journals what the log has beyond the cursor; calls are serialised. */
  async catchUp (): Promise<void> {
    this.running = this.running.catch(() => {}).then(async () => { await this.run() })
    await this.running
  }

  private async run (): Promise<void> {
    const log = this.membership.log
    if (log === undefined) return
    const journaled = (await this.db.meta.get(CURSOR_KEY) as number | undefined) ?? 0
    if (journaled >= log.length) return
    const time = Date.now()
    const entries = log.entries(journaled).map((signed, i) => membershipEntry({
      time,
      workspace: log.workspaceId,
      seq: journaled + i,
      change: parseEntry(signed.bytes).kind,
      entry: toBase64(signed.bytes),
      signature: toBase64(signed.signature)
    }))
    await this.commit.write(entries, [{ type: 'put', sublevel: this.db.meta, key: CURSOR_KEY, value: log.length }])
  }
}
