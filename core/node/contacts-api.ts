// The part of NodeApi about the people we know: the peer list, safety numbers, trusting a peer.
import type { NodeApi } from '../api/node-api.js'
import type { PeerView, SafetyNumberView, TrustView } from '../api/schema.js'
import { fromBase64, toBase64 } from '../../crypto/encoding.js'
import { formatSafetyNumber, safetyNumber, safetyQrPayload } from '../../crypto/safety-number.js'
import type { JournalEntry } from '../journal/entry.js'
import type { ContactBook } from '../messaging/contact-book.js'
import type { Messenger } from '../messaging/messenger.js'
import type { ContactSync } from './contact-sync.js'
import { peerView, type ViewContext } from './views.js'

export interface ContactsApiComponents {
  deviceKey: Uint8Array
  contacts: ContactBook
  contactSync: ContactSync<JournalEntry>
  messenger: Pick<Messenger<JournalEntry>, 'flush'>
  views: ViewContext
}

export function contactsApi ({ deviceKey, contacts, contactSync, messenger, views }: ContactsApiComponents): Pick<NodeApi, 'peers' | 'safetyNumber' | 'trust'> {
  return {
    async peers (): Promise<PeerView[]> {
      return contacts.all().map(c => peerView(views, c)).sort((a, b) => Number(b.connected) - Number(a.connected) || a.name.localeCompare(b.name))
    },

    async safetyNumber (peer: string): Promise<SafetyNumberView> {
      const contact = contacts.resolve(peer)
      const theirs = fromBase64(contact.deviceKey)
      return {
        peerId: contact.peerId,
        name: contact.name,
        digits: formatSafetyNumber(safetyNumber(deviceKey, theirs)),
        qr: toBase64(safetyQrPayload(deviceKey, theirs)),
        verified: peerView(views, contact).verified,
        keyChanged: contact.keyChanged !== undefined
      }
    },

    async trust (peer: string): Promise<TrustView> {
      const { contact, accepted } = await contactSync.trust(contacts.resolve(peer).peerId)
      if (accepted) messenger.flush(contact.peerId) // what waited in the outbox may go now
      return { peer: peerView(views, contact), acceptedKeyChange: accepted }
    }
  }
}
