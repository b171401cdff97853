// The ids of messages that an edit, retraction or reaction names (`amended`, written with each
// amendment by messageOps): a new message none names shows as its own body, so the events that
// follow it need not scan the amendments for it (a LevelDB iterator per received message was a
// tenth of a receiver's CPU per message, bench, issue 15). Each check is one synchronous read (stored-keys.ts).
import { StoredKeys } from './stored-keys.js'
import type { Database } from './database.js'

export class AmendedIds {
  private readonly marked: StoredKeys

  constructor (db: Pick<Database, 'amended'>) {
    this.marked = new StoredKeys(db.amended)
  }

  /** Whether an amendment of message `id` is stored (or may be: its batch is in flight with it). */
  async any (id: string): Promise<boolean> {
    return await this.marked.has(id)
  }
}
