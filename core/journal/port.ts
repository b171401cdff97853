// The messaging logic's JournalPort (core/messaging/journal-port.ts) in journal entries: what the
// node hands to `Journal.append` with the records of the same event.
import type { JournalPort } from '../messaging/journal-port.js'
import type { ContactRecord, MessageRecord } from '../store/records.js'
import { keyChangeEntry, keyPinEntry, messageReceivedEntry, messageSentEntry, receiptEntry, shutdownEntry, startupEntry, type JournalEntry } from './entry.js'

export interface NodeJournalPort extends JournalPort<JournalEntry> {
  startup: () => JournalEntry
  shutdown: () => JournalEntry
}

const messageFields = (m: MessageRecord): Parameters<typeof messageSentEntry>[0] =>
  ({ time: m.time, peer: m.peer, conversation: m.conversation, id: m.id, statement: m.statement, signature: m.signature })

export function journalPort (now: () => number = Date.now): NodeJournalPort {
  return {
    messageSent: m => messageSentEntry(messageFields(m)),
    messageReceived: m => messageReceivedEntry(messageFields(m)),
    delivered: (m, time) => receiptEntry({ time, peer: m.peer, conversation: m.conversation, receipt: 'delivered', messages: [m.id] }),
    keyPinned: (c: ContactRecord) => keyPinEntry({ time: c.pinnedAt, peer: c.peerId, device: c.deviceKey, identity: c.identityKey }),
    // The node blocks a peer whose keys changed until someone verifies them.
    keyChanged: (previous: ContactRecord, presented: ContactRecord) => keyChangeEntry({
      time: presented.keyChanged?.seenAt ?? now(),
      peer: previous.peerId,
      oldDevice: previous.deviceKey,
      oldIdentity: previous.identityKey,
      newDevice: presented.deviceKey,
      newIdentity: presented.keyChanged?.identityKey ?? presented.identityKey,
      decision: 'blocked'
    }),
    startup: () => startupEntry(now()),
    shutdown: () => shutdownEntry(now())
  }
}
