// End-to-end sessions with each peer (crypto/e2e: X3DH start, then the Double Ratchet). Records are
// all in memory and updated synchronously, so concurrent sends and receives for one peer always see
// each other's ratchet steps; each change is returned as a batch operation that the caller writes
// together with the message it belongs to.
import { encodePayload, encryptMessage, localDevice, receiveMessage, restoreKey, startSession, type LocalDevice, type RemoteDevice, type SessionRecord, type SpentKey } from '../../crypto/e2e/index.js'
import type { DeviceKeys } from '../../crypto/device-keys.js'
import { fromBase64, utf8 } from '../../crypto/encoding.js'
import { MAX_BODY_BYTES } from '../protocol/limits.js'
import type { BatchOp } from '../store/batch.js'
import type { Database } from '../store/database.js'
import type { ContactRecord, MessageRecord } from '../store/records.js'
import { KeysInUse } from './keys-in-use.js'

/** A message opened with a pairwise session: its sender, its plaintext, and the session's step to write with it. */
export interface OpenedPairwise {
  contact: ContactRecord
  plaintext: Uint8Array
  sessionOp: BatchOp
}

export class Sessions {
  private readonly records = new Map<string, SessionRecord>()
  /** Per peer, the keys of its messages opened and not yet stored or refused. */
  private readonly keysInUse = new KeysInUse<SpentKey>()
  private readonly ours: LocalDevice

  private constructor (private readonly db: Database, keys: DeviceKeys) {
    this.ours = localDevice(keys, keys.previousPrekeys)
  }

  static async load (db: Database, keys: DeviceKeys): Promise<Sessions> {
    const sessions = new Sessions(db, keys)
    for await (const [peer, record] of db.sessions.iterator()) sessions.records.set(peer, record)
    return sessions
  }

  /** Encrypts `plaintext` for `contact`, starting a session with its pinned keys if there is none. */
  seal (contact: ContactRecord, plaintext: Uint8Array): { sealed: Uint8Array, op: BatchOp } {
    const record = this.records.get(contact.peerId) ?? startSession(this.ours, remoteDevice(contact))
    const { message, nextRecord } = encryptMessage(record, plaintext)
    return { sealed: message, op: this.keep(contact.peerId, nextRecord) }
  }

  /** Seals a stored message of ours again, with the current state of the session (catch-up, a spent key). */
  sealAgain (contact: ContactRecord, m: MessageRecord): { sealed: Uint8Array, op: BatchOp } {
    return this.seal(contact, encodePayload({ statement: fromBase64(m.statement), signature: fromBase64(m.signature), salt: fromBase64(m.salt), body: utf8(m.text) }, MAX_BODY_BYTES))
  }

  /**
   * Decrypts a message from `contact`; throws E2eError (nothing changes) when it cannot. Until
   * `done` (stored, or refused for good), records written keep the message's key unspent; if it
   * cannot be stored (a fault of ours, not of the message), `giveBack` makes its key usable again,
   * so that the sender's retry of the same bytes is opened rather than refused as a replay.
   */
  open (contact: ContactRecord, sealed: Uint8Array): { plaintext: Uint8Array, op: BatchOp, done: () => void, giveBack: () => void } {
    const peer = contact.peerId
    const { plaintext, nextRecord, spent } = receiveMessage(this.ours, remoteDevice(contact), this.records.get(peer), sealed)
    const done = this.keysInUse.use(peer, spent)
    const records = this.records
    // A method, not a named closure: esbuild's keepNames (tsx, the bundle) defines a closure's name per call.
    return {
      plaintext,
      op: this.keep(peer, nextRecord, spent),
      done,
      giveBack () {
        done()
        const current = records.get(peer)
        if (current !== undefined) records.set(peer, restoreKey(current, spent))
      }
    }
  }

  /** Drops every session with `peer` (its keys changed): the next message starts a new one. */
  forget (peer: string): BatchOp {
    this.records.delete(peer)
    return { type: 'del', sublevel: this.db.sessions, key: peer }
  }

  /**
   * The operation writes the peer's state as it is when its batch is written, not as it was here:
   * the batches of a send and of a receive that overlap reach the disk in another order than their
   * ratchet steps, and an older state written last would make the next start use a key twice.
   * The keys of the messages still being stored (other than the batch's own, `own`) are written
   * unspent: a key is spent on disk only with its message, so a failed write or a crash loses nothing
   * (a message stored whose key is still held is refused by its id if it comes again).
   */
  private keep (peer: string, record: SessionRecord, own?: SpentKey): BatchOp {
    this.records.set(peer, record)
    const records = this.records
    const inUse = this.keysInUse
    return { type: 'put', sublevel: this.db.sessions, key: peer, get value () { return inUse.unspent(peer, records.get(peer) ?? record, restoreKey, own) } }
  }
}

function remoteDevice (contact: ContactRecord): RemoteDevice {
  return {
    device: fromBase64(contact.deviceKey),
    identityKey: fromBase64(contact.identityKey),
    prekeyId: contact.prekeyId,
    prekey: fromBase64(contact.prekey)
  }
}
