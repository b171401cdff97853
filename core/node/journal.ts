// INTERIM (replaced when core/journal lands): the node's view of its journal.
import type { DeviceKeys } from '../../crypto/device-keys.js'
import type { Signer } from '../../crypto/signing.js'
import type { JournalPort } from '../messaging/journal-port.js'
import type { Database } from '../store/database.js'
import type { MessageRecord } from '../store/records.js'
import type { JournalExportFilter } from './node-api.js'

export interface NodeJournal {
  append: (entries: unknown[], ops: unknown[]) => Promise<unknown>
  readonly size: number
  port: JournalPort<unknown> & { startup: (peerId: string) => unknown, shutdown: (peerId: string) => unknown }
  export: (filter: JournalExportFilter, lookup: (id: string) => Promise<MessageRecord | undefined>) => AsyncIterable<string>
}

export async function openNodeJournal (db: Database, _keys: DeviceKeys, _sign: Signer): Promise<NodeJournal> {
  const entry = (kind: string) => () => ({ kind })
  return {
    append: async (_entries, ops) => { await db.root.batch(ops as never) },
    size: 0,
    port: { messageSent: entry('message-sent'), messageReceived: entry('message-received'), delivered: entry('receipt'), keyPinned: entry('key-pin'), keyChanged: entry('key-change'), startup: entry('startup'), shutdown: entry('shutdown') },
    export: async function * () { yield '' }
  }
}
