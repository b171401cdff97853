// The node's journal: core/journal's Merkle log in the profile database, with the messaging
// events translated into journal entries (JournalPort) and checkpoints signed periodically.
import type { DeviceKeys } from '../../crypto/device-keys.js'
import { fromBase64, utf8 } from '../../crypto/encoding.js'
import type { Signer } from '../../crypto/signing.js'
import { carryEntry, keyChangeEntry, keyPinEntry, messageReceivedEntry, messageSentEntry, receiptEntry, shutdownEntry, startupEntry, type JournalEntry } from '../journal/entry.js'
import { Journal, journalOrigin } from '../journal/journal.js'
import type { JournalPort } from '../messaging/journal-port.js'
import type { Database } from '../store/database.js'
import type { MessageRecord } from '../store/records.js'
import type { JournalExportFilter } from '../api/node-api.js'

/** A checkpoint is signed this often when the journal grew (and at every export). */
export const CHECKPOINT_INTERVAL_MS = 10 * 60_000

export interface NodeJournal {
  journal: Journal
  port: JournalPort<JournalEntry> & { startup: () => JournalEntry, shutdown: () => JournalEntry }
  export: (filter: JournalExportFilter, lookup: (id: string) => Promise<MessageRecord | undefined>) => AsyncIterable<string>
  /** Stops the periodic checkpoints after signing a last one. */
  close: () => Promise<void>
}

function messageFields (m: MessageRecord) {
  return { time: m.time, peer: m.peer, conversation: m.conversation, id: m.id, statement: m.statement, signature: m.signature }
}

/**
 * `logError` hears why a periodic checkpoint failed: a full disk, or a journal that no longer extends
 * its last checkpoint (JOURNAL_CORRUPT, which `causette doctor` and `log verify` then explain).
 */
export async function openNodeJournal (db: Database, keys: DeviceKeys, sign: Signer, peerId: string, logError: (what: string, error: unknown) => void): Promise<NodeJournal> {
  const journal = await Journal.open({ db: db.journal, sign, publicKey: keys.device.publicKey, origin: journalOrigin(peerId) })
  const timer = setInterval(() => {
    void journal.checkpoint().catch(error => { logError('journal: could not sign a checkpoint', error) })
  }, CHECKPOINT_INTERVAL_MS)
  timer.unref()
  return {
    journal,
    port: {
      messageSent: m => messageSentEntry(messageFields(m)),
      messageReceived: m => messageReceivedEntry(messageFields(m)),
      receipt: r => receiptEntry({ time: r.time, peer: r.peer, conversation: r.conversation, receipt: r.state, messages: r.ids, signed: r.signed, signature: r.signature }),
      carried: c => carryEntry(c),
      keyPinned: c => keyPinEntry({ time: c.pinnedAt, peer: c.peerId, device: c.deviceKey, identity: c.identityKey }),
      keyChanged: (previous, presented) => keyChangeEntry({
        time: presented.keyChanged?.seenAt ?? Date.now(),
        peer: previous.peerId,
        oldDevice: previous.deviceKey,
        oldIdentity: previous.identityKey,
        newDevice: presented.deviceKey,
        newIdentity: presented.keyChanged?.identityKey ?? presented.identityKey,
        decision: 'blocked'
      }),
      keyAccepted: (previous, accepted, time) => keyChangeEntry({
        time,
        peer: previous.peerId,
        oldDevice: previous.deviceKey,
        oldIdentity: previous.identityKey,
        newDevice: accepted.deviceKey,
        newIdentity: accepted.identityKey,
        decision: 'accepted'
      }),
      startup: () => startupEntry(Date.now()),
      shutdown: () => shutdownEntry(Date.now())
    },
    export: (filter, lookup) => journal.export(filter, async (id) => {
      const message = await lookup(id)
      return message === undefined ? undefined : { salt: fromBase64(message.salt), body: utf8(message.text) }
    }),
    close: async () => {
      clearInterval(timer)
      await journal.checkpoint()
    }
  }
}
