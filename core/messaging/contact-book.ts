// Contacts and their pinned keys. A device record seen for the first time is pinned (trust on first
// use); later records may change the name, colour and prekey, but an identity key other than the
// pinned one is refused, recorded and reported: messaging with that peer is blocked until the user
// verifies again (workspace issue).
import type { DeviceRecord } from '../../crypto/device-record.js'
import { toBase64 } from '../../crypto/encoding.js'
import { CausetteError } from '../errors.js'
import type { Database } from '../store/database.js'
import type { ContactRecord } from '../store/records.js'

export type PinOutcome = 'pinned' | 'updated' | 'unchanged' | 'key-changed'

export class ContactBook {
  private readonly byPeer = new Map<string, ContactRecord>()

  private constructor (private readonly db: Database) {}

  static async load (db: Database): Promise<ContactBook> {
    const book = new ContactBook(db)
    for await (const [peerId, contact] of db.contacts.iterator()) book.byPeer.set(peerId, contact)
    return book
  }

  get (peerId: string): ContactRecord | undefined {
    return this.byPeer.get(peerId)
  }

  all (): ContactRecord[] {
    return [...this.byPeer.values()]
  }

  /** Finds a contact by PeerId or display name (case-insensitive). */
  resolve (nameOrPeerId: string): ContactRecord {
    const exact = this.byPeer.get(nameOrPeerId)
    if (exact !== undefined) return exact
    const wanted = nameOrPeerId.trim().toLowerCase()
    const matches = this.all().filter(c => c.name.toLowerCase() === wanted)
    if (matches.length === 1) return matches[0]!
    if (matches.length > 1) throw new CausetteError('AMBIGUOUS_PEER', `${matches.length} contacts are named "${nameOrPeerId}": use a PeerId`)
    throw new CausetteError('UNKNOWN_PEER', `no contact named "${nameOrPeerId}"`)
  }

  /** Works out what a fetched record changes; the caller writes the returned contact. */
  pin (peerId: string, record: DeviceRecord, now: number): { outcome: PinOutcome, contact: ContactRecord, previous?: ContactRecord } {
    const previous = this.byPeer.get(peerId)
    const identityKey = toBase64(record.identityKey)
    if (previous === undefined) {
      return {
        outcome: 'pinned',
        contact: {
          peerId,
          name: record.name,
          color: record.color,
          deviceKey: toBase64(record.device),
          identityKey,
          prekeyId: record.prekeyId,
          prekey: toBase64(record.prekey),
          recordUpdated: record.updated,
          pinnedAt: now,
          lastSeen: now,
          addresses: []
        }
      }
    }
    if (previous.identityKey !== identityKey) {
      if (previous.keyChanged?.identityKey === identityKey) return { outcome: 'unchanged', contact: previous, previous }
      return { outcome: 'key-changed', contact: { ...previous, keyChanged: { identityKey, seenAt: now } }, previous }
    }
    if (record.updated <= previous.recordUpdated) return { outcome: 'unchanged', contact: previous, previous }
    return {
      outcome: 'updated',
      previous,
      contact: { ...previous, name: record.name, color: record.color, prekeyId: record.prekeyId, prekey: toBase64(record.prekey), recordUpdated: record.updated }
    }
  }

  /** The batch operation that stores `contact`; call `remember` once it is written. */
  putOp (contact: ContactRecord): { type: 'put', sublevel: Database['contacts'], key: string, value: ContactRecord } {
    return { type: 'put', sublevel: this.db.contacts, key: contact.peerId, value: contact }
  }

  remember (contact: ContactRecord): void {
    this.byPeer.set(contact.peerId, contact)
  }
}
