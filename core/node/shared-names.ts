// Which known people go by a name another known person, or the user, goes by too (core/names.ts),
// and the tag the views show beside such a name. Worked out again only when a contact or the
// user's own name changed, since every name in every view asks.
import { nameTagOf, sharingAName } from '../names.js'

export interface KnownPeople {
  selfPeerId: string
  selfName: () => string
  /** Every contact, as named now. */
  contacts: () => Iterable<{ peerId: string, name: string }>
  /** Changes whenever a contact is added or changed (ContactBook.version). */
  contactsVersion: () => number
}

export class SharedNames {
  #key: string | undefined
  #sharing = new Set<string>()
  #asked: Set<string> | undefined

  constructor (private readonly people: KnownPeople) {}

  /** The tag to show beside `peerId`'s name, only when another known person goes by that name too. */
  tagOf (peerId: string): string | undefined {
    return this.#current().has(peerId) ? nameTagOf(peerId) : undefined
  }

  /** The PeerIds whose tag came or went since the last call (the first call: none), whose views are then announced again. */
  changedSinceAsked (): string[] {
    const now = this.#current()
    const before = this.#asked ?? now
    this.#asked = now
    return [...new Set([...before, ...now])].filter(peerId => before.has(peerId) !== now.has(peerId))
  }

  #current (): Set<string> {
    const { selfPeerId, selfName, contacts, contactsVersion } = this.people
    const key = `${contactsVersion()}\n${selfName()}`
    if (key !== this.#key) {
      const self = { peerId: selfPeerId, name: selfName() }
      this.#sharing = sharingAName([self, ...[...contacts()].filter(contact => contact.peerId !== selfPeerId)])
      this.#key = key
    }
    return this.#sharing
  }
}
