// What the node keeps on disk and in memory, opened from the profile's database before anything talks
// to the network: the journal and the group commit every durable write goes through, the search
// index, contacts, the outbox, end-to-end sessions, the one acceptor of signed messages (1:1 and
// channel messages alike: one replay guard) and the event log.
import type { DeviceKeys } from '../../crypto/device-keys.js'
import type { Signer } from '../../crypto/signing.js'
import type { JournalEntry } from '../journal/entry.js'
import { ContactBook } from '../messaging/contact-book.js'
import { Outbox } from '../messaging/outbox.js'
import { Sessions } from '../messaging/sessions.js'
import { SignedMessageAcceptor } from '../messaging/signed-message.js'
import { SearchIndex } from '../search/search-index.js'
import { lastWriteWins, type BatchOp } from '../store/batch.js'
import { SendOnce } from '../messaging/send-once.js'
import type { Database } from '../store/database.js'
import { GroupCommit } from '../store/group-commit.js'
import { EventLog } from './events.js'
import { openNodeJournal, type NodeJournal } from './journal.js'
import { searchTextOf } from './search-text.js'

export interface NodeStores {
  db: Database
  journal: NodeJournal
  commit: GroupCommit<JournalEntry, BatchOp>
  search: SearchIndex
  contacts: ContactBook
  outbox: Outbox
  sessions: Sessions
  /** Accepts every signed message received, 1:1 or in a channel: ids are claimed and checked in one place. */
  acceptor: SignedMessageAcceptor
  events: EventLog
  /** Sends retried with their sendId send nothing again: one per node, for 1:1 and channel sends alike. */
  sendOnce: SendOnce
}

export interface NodeStoresInit {
  db: Database
  keys: DeviceKeys
  sign: Signer
  peerId: string
  now: () => number
}

export async function openNodeStores ({ db, keys, sign, peerId, now }: NodeStoresInit): Promise<NodeStores> {
  const logError = (what: string, error: unknown): void => { console.error(`causette ${what}: ${String(error)}`) }
  const journal = await openNodeJournal(db, keys, sign, peerId, logError)
  const commit = new GroupCommit<JournalEntry, BatchOp>(journal.journal, lastWriteWins)
  const search = await SearchIndex.open({ db, write: async ops => { await commit.write([], ops) }, text: searchTextOf(db), log: logError })
  const contacts = await ContactBook.load(db)
  const outbox = await Outbox.load(db)
  const sessions = await Sessions.load(db, keys)
  const acceptor = new SignedMessageAcceptor({ db, now, search })
  return { db, journal, commit, search, contacts, outbox, sessions, acceptor, events: new EventLog(), sendOnce: await SendOnce.load(db, commit, now) }
}
