// Contacts and their pinned keys. A device record seen for the first time is pinned (trust on first
// use); later records may change the name, colour and prekey, but an identity key other than the
// pinned one is refused, recorded and reported: messaging with that peer is blocked until the user
// compares the safety number again and trusts the peer, which accepts the new key. A contact the
// user verified stays verified for the keys it holds; a key change clears that.
import type { DeviceRecord } from '../../crypto/device-record.js'
import { toBase64 } from '../../crypto/encoding.js'
import { CausetteError } from '../errors.js'
import { namedBy } from '../names.js'
import type { Database } from '../store/database.js'
import type { ContactRecord } from '../store/records.js'

export type PinOutcome = 'pinned' | 'updated' | 'unchanged' | 'key-changed'

export class ContactBook {
  private readonly byPeer = new Map<string, ContactRecord>()
  #version = 0

  private constructor (private readonly db: Database) {}

  static async load (db: Database): Promise<ContactBook> {
    const book = new ContactBook(db)
    for await (const [peerId, contact] of db.contacts.iterator()) book.byPeer.set(peerId, contact)
    return book
  }

  get (peerId: string): ContactRecord | undefined {
    return this.byPeer.get(peerId)
  }

  /** Changes whenever a contact is added or changed: what is worked out from every contact (core/node/shared-names.ts) knows when to work it out again. */
  get version (): number {
    return this.#version
  }

  all (): ContactRecord[] {
    return [...this.byPeer.values()]
  }

  /** Finds a contact by PeerId, or by display name or its first words, case and accents aside (core/names.ts). */
  resolve (nameOrPeerId: string): ContactRecord {
    const exact = this.byPeer.get(nameOrPeerId)
    if (exact !== undefined) return exact
    const matches = namedBy(this.all(), nameOrPeerId, contact => contact.name)
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
      const presented = { identityKey, seenAt: now, prekeyId: record.prekeyId, prekey: toBase64(record.prekey), recordUpdated: record.updated }
      const seen = previous.keyChanged
      if (seen?.identityKey === identityKey) {
        // The same new key again: keep its newest prekey, for the day the user accepts it.
        if (record.prekeyId < (seen.prekeyId ?? 0) || toBase64(record.prekey) === seen.prekey) return { outcome: 'unchanged', contact: previous, previous }
        return { outcome: 'updated', contact: { ...previous, keyChanged: { ...presented, seenAt: seen.seenAt } }, previous }
      }
      // Verification covered the keys we held: a new one is unverified until compared again.
      const { verifiedAt: _verifiedAt, ...unverified } = previous
      return { outcome: 'key-changed', contact: { ...unverified, keyChanged: presented }, previous }
    }
    if (!changes(previous, record)) return { outcome: 'unchanged', contact: previous, previous }
    return {
      outcome: 'updated',
      previous,
      contact: { ...previous, name: record.name, color: record.color, prekeyId: record.prekeyId, prekey: toBase64(record.prekey), recordUpdated: record.updated }
    }
  }

  /**
   * The contact marked verified at `now`. If it presented a new identity key, trusting accepts it:
   * the new key (and the prekey that came with it) becomes the pinned one and the block is lifted.
   */
  trust (peerId: string, now: number): { contact: ContactRecord, previous: ContactRecord, accepted: boolean } {
    const previous = this.byPeer.get(peerId)
    if (previous === undefined) throw new CausetteError('UNKNOWN_PEER', `no contact ${peerId}`)
    const { keyChanged: change, ...contact } = previous
    if (change === undefined) return { contact: { ...contact, verifiedAt: now }, previous, accepted: false }
    return {
      accepted: true,
      previous,
      contact: {
        ...contact,
        identityKey: change.identityKey,
        prekeyId: change.prekeyId ?? previous.prekeyId,
        prekey: change.prekey ?? previous.prekey,
        recordUpdated: change.recordUpdated ?? previous.recordUpdated,
        pinnedAt: now,
        verifiedAt: now
      }
    }
  }

  /** The batch operation that stores `contact`; call `remember` once it is written. */
  putOp (contact: ContactRecord): { type: 'put', sublevel: Database['contacts'], key: string, value: ContactRecord } {
    return { type: 'put', sublevel: this.db.contacts, key: contact.peerId, value: contact }
  }

  remember (contact: ContactRecord): void {
    this.byPeer.set(contact.peerId, contact)
    this.#version++
  }
}

/**
 * Whether a record from the device itself says something new. Not judged by its `updated` time,
 * which comes from the device's clock (set back, it would silence the device for as long): records
 * come straight from the device on its own connection, so only an older prekey is refused.
 */
function changes (previous: ContactRecord, record: DeviceRecord): boolean {
  if (record.prekeyId < previous.prekeyId) return false
  return record.name !== previous.name || record.color !== previous.color || record.prekeyId !== previous.prekeyId || toBase64(record.prekey) !== previous.prekey
}
