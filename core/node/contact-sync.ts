// Keeps contacts in step with the peers we are connected to: exchanges device records on every new
// connection (and again when our own record changes), pins keys on first contact, refuses and
// journals a changed key until the user trusts the peer again, and tracks when and where each peer
// was last seen.
import type { Connection, Libp2p, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { defaultColor, type DeviceRecord } from '../../crypto/device-record.js'
import { CausetteError, isCausetteError } from '../errors.js'
import type { ContactBook } from '../messaging/contact-book.js'
import type { JournalPort } from '../messaging/journal-port.js'
import { answerRecordExchange, exchangeRecords } from '../protocol/record-protocol.js'
import type { SignedRecord } from '../protocol/frames.js'
import type { BatchOp } from '../store/batch.js'
import type { GroupCommit } from '../store/group-commit.js'
import type { ContactRecord } from '../store/records.js'

const MAX_ADDRESSES_KEPT = 4
const EXCHANGE_ATTEMPTS = 4

export interface ContactSyncComponents<Entry> {
  host: Libp2p
  contacts: ContactBook
  commit: Pick<GroupCommit<Entry, BatchOp>, 'write'>
  journal: Pick<JournalPort<Entry>, 'keyPinned' | 'keyChanged' | 'keyAccepted'>
  /** The operation that forgets the end-to-end sessions with a peer whose new key was accepted. */
  forgetSession: (peer: string) => BatchOp
  /** Our signed record: the same object until it changes (a rename), which `exchange` relies on. */
  ownRecord: () => SignedRecord
  /** Called once a contact change is durable. */
  changed: (contact: ContactRecord) => void
  log: (format: string, ...args: unknown[]) => void
}

export class ContactSync<Entry> {
  /** Each peer's exchange under way, and the record of ours it sent. */
  private readonly exchanging = new Map<string, { sent: SignedRecord, done: Promise<ContactRecord> }>()
  private readonly accepting = new Map<string, Promise<unknown>>()

  constructor (private readonly components: ContactSyncComponents<Entry>) {}

  isConnected (peer: string): boolean {
    return this.openConnection(peer) !== undefined
  }

  private openConnection (peer: string): Connection | undefined {
    return this.components.host.getConnections(peerIdFromString(peer)).find(c => c.status === 'open')
  }

  /** The contact for a connected peer, exchanging records first if we have none. */
  async ensure (peer: string): Promise<ContactRecord> {
    const known = this.components.contacts.get(peer)
    if (known !== undefined) return known
    try {
      return await this.exchange(peer)
    } catch (error) {
      throw isCausetteError(error) ? error : new CausetteError('BAD_DEVICE_RECORD', `could not get the peer's device record: ${(error as Error).message}`)
    }
  }

  /**
   * Pins a workspace member we have never met from its entry in the signed membership log (its
   * keys as the admin admitted them), so that we can write to it, or read what a colleague carried
   * from it, before we ever connect. Its own record, once exchanged, is newer and updates it.
   */
  async adopt (peer: string, member: Omit<DeviceRecord, 'updated' | 'color'>): Promise<ContactRecord> {
    return await this.serialize(peer, async () => this.components.contacts.get(peer) ?? await this.apply(peer, { ...member, color: defaultColor(member.device), updated: 0 }))
  }

  /** On a new connection: exchange records (retrying while connected), note when and where we saw the peer. */
  async greet (connection: Connection): Promise<ContactRecord | undefined> {
    const peer = connection.remotePeer.toString()
    try {
      await this.exchangeWhileConnected(peer)
      const seen = await this.listenAddresses(connection)
      // Read again in turn: the contact may have changed since the exchange (trusted, say).
      return await this.serialize(peer, async () => {
        const contact = this.components.contacts.get(peer)!
        const addresses = [...seen, ...contact.addresses.filter(a => !seen.includes(a))].slice(0, MAX_ADDRESSES_KEPT)
        return await this.write({ ...contact, lastSeen: Date.now(), addresses })
      })
    } catch (error) {
      // The peer went away or sent a bad record; we try again on its next connection.
      this.components.log('could not greet %s: %e', peer, error)
      return undefined
    }
  }

  /**
   * Where the peer can be dialled: the address we dialled, or, for a connection it opened (whose
   * remote port is an ephemeral one), the listen addresses it announced through identify.
   */
  private async listenAddresses (connection: Connection): Promise<string[]> {
    if (connection.direction === 'outbound') return [connection.remoteAddr.toString()]
    try {
      const { addresses } = await this.components.host.peerStore.get(connection.remotePeer)
      return addresses.map(a => a.multiaddr.toString()).filter(a => !a.startsWith('/ip4/127.') && a !== '/ip6/::1')
    } catch {
      return [] // identify has not told us yet
    }
  }

  /** Our record changed: send it to everyone connected (and refresh theirs). */
  async announce (): Promise<void> {
    const peers = new Set(this.components.host.getConnections().map(c => c.remotePeer.toString()))
    await Promise.allSettled([...peers].map(async peer => await this.exchangeWhileConnected(peer)))
  }

  /** The RECORD_PROTOCOL handler. */
  handle (stream: Stream, connection: Connection): void {
    void answerRecordExchange(stream, connection, this.components.ownRecord(), (record) => {
      void this.accept(connection.remotePeer.toString(), record).catch(error => { this.components.log('could not store the record of %p: %e', connection.remotePeer, error) })
    })
  }

  /**
   * Marks the contact verified (the user compared the safety number). A changed key is accepted at
   * the same time: re-pinned, journaled, and the old sessions forgotten, in one batch.
   */
  async trust (peer: string): Promise<{ contact: ContactRecord, accepted: boolean }> {
    return await this.serialize(peer, async () => {
      const now = Date.now()
      const { contact, previous, accepted } = this.components.contacts.trust(peer, now)
      if (!accepted) return { contact: await this.write(contact), accepted }
      await this.components.commit.write([this.components.journal.keyAccepted(previous, contact, now)], [this.components.contacts.putOp(contact), this.components.forgetSession(peer)])
      this.components.contacts.remember(contact)
      this.components.changed(contact)
      return { contact, accepted }
    })
  }

  async disconnected (peer: string): Promise<void> {
    await this.serialize(peer, async () => {
      const contact = this.components.contacts.get(peer)
      if (contact !== undefined && !this.isConnected(peer)) await this.write({ ...contact, lastSeen: Date.now() })
    })
  }

  /**
   * This node stops: every contact still connected was seen until now. libp2p's stop closes the
   * connections without a `peer:disconnect`, so without this the next start would show when each
   * connection began (hours ago, for a colleague connected all day).
   */
  async seenUntilNow (): Promise<void> {
    const connected = new Set(this.components.host.getConnections().map(connection => connection.remotePeer.toString()))
    const notes = await Promise.allSettled([...connected].map(async peer => await this.serialize(peer, async () => {
      const contact = this.components.contacts.get(peer)
      if (contact !== undefined) await this.write({ ...contact, lastSeen: Date.now() })
    })))
    // A stop goes on whatever the disk says: a last seen is worth no lost shutdown.
    for (const note of notes) if (note.status === 'rejected') this.components.log('could not note a last seen at stop: %e', note.reason)
  }

  private async exchangeWhileConnected (peer: string): Promise<ContactRecord> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.exchange(peer)
      } catch (error) {
        if (attempt >= EXCHANGE_ATTEMPTS || !this.isConnected(peer)) throw error
        await new Promise(resolve => setTimeout(resolve, 250 * attempt))
      }
    }
  }

  /**
   * One exchange at a time per peer; concurrent callers share it while it sends our current record.
   * One that sent a record we have replaced since (a rename under way during a greeting) is waited
   * for, then a fresh one sends the new record: sharing it, the peer would keep the old name.
   */
  private async exchange (peer: string): Promise<ContactRecord> {
    const own = this.components.ownRecord()
    const pending = this.exchanging.get(peer)
    if (pending?.sent === own) return await pending.done
    if (pending !== undefined) {
      await pending.done.catch(() => {})
      return await this.exchange(peer)
    }
    const done = (async () => {
      const connection = this.openConnection(peer)
      if (connection === undefined) throw new CausetteError('UNKNOWN_PEER', 'peer is not connected')
      return await this.accept(peer, await exchangeRecords(connection, own))
    })().finally(() => this.exchanging.delete(peer))
    this.exchanging.set(peer, { sent: own, done })
    return await done
  }

  /**
   * Pins or updates the contact from a checked record; a changed key is kept aside and journaled.
   * Records of one peer are applied one at a time: both ends of an exchange may deliver one at once.
   */
  private async accept (peer: string, record: DeviceRecord): Promise<ContactRecord> {
    return await this.serialize(peer, async () => await this.apply(peer, record))
  }

  /** Runs the changes of one peer's contact one after the other (records, trust, last seen), each on the latest contact. */
  private async serialize<T> (peer: string, change: () => Promise<T>): Promise<T> {
    const previous = this.accepting.get(peer) ?? Promise.resolve()
    const applied = previous.catch(() => {}).then(change)
    this.accepting.set(peer, applied)
    try {
      return await applied
    } finally {
      if (this.accepting.get(peer) === applied) this.accepting.delete(peer)
    }
  }

  private async apply (peer: string, record: DeviceRecord): Promise<ContactRecord> {
    const { outcome, contact, previous } = this.components.contacts.pin(peer, record, Date.now())
    if (outcome === 'pinned') return await this.write(contact, [this.components.journal.keyPinned(contact)])
    if (outcome === 'key-changed') return await this.write(contact, [this.components.journal.keyChanged(previous!, contact)])
    if (outcome === 'updated') return await this.write(contact)
    return contact
  }

  private async write (contact: ContactRecord, entries: Entry[] = []): Promise<ContactRecord> {
    await this.components.commit.write(entries, [this.components.contacts.putOp(contact)])
    this.components.contacts.remember(contact)
    this.components.changed(contact)
    return contact
  }
}
