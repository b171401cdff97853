// Gets what the outbox holds to its recipients: straight to a connected peer (pipelined on one
// stream), or, while the peer is away, to colleagues who carry it for them (carrier.ts on their
// side). Every state change of our messages (sent, delivered, read, failed), 1:1 or a member's copy
// of a channel message, goes through one serial queue here, so that acks, carriers' acks and
// receipts arriving in any order never move a message backwards (state-moves.ts), and the changes of
// one turn are one batch: a channel message that 100 members ack in one turn is written once.
// A receiver that answers "not now" (it cannot write: refusal.ts) leaves the item queued: it is sent
// again after a backoff, and at the next connection.
import { CausetteError, codedError } from '../errors.js'
import type { Ack, Envelope } from '../protocol/frames.js'
import { MAX_CARRIERS, MAX_IN_FLIGHT_PER_STREAM } from '../protocol/limits.js'
import { RETRY_LATER } from '../protocol/refusal.js'
import type { MessageState } from '../store/records.js'
import type { BatchOp } from '../store/batch.js'
import { arrivalOf, heldMessage, type Database } from '../store/database.js'
import type { GroupCommit } from '../store/group-commit.js'
import { messageKey, type MessageRecord } from '../store/records.js'
import { RetryLater } from './retry-later.js'
import type { ContactBook } from './contact-book.js'
import { depositFiles } from './deposit-files.js'
import { groupItemId, type Outbox, type OutboxItem } from './outbox.js'
import { applyChange, concerns, type SilentUntil, type StateChange } from './state-moves.js'

export type { StateChange } from './state-moves.js'

export interface MessageTransport {
  isConnected: (peer: string) => boolean
  /** Rejects when the peer cannot be reached now; the item then stays queued. */
  send: (peer: string, envelope: Envelope) => Promise<Ack>
  /** Connected colleagues who may carry for `recipient` (members other than the recipient). */
  carriers: (recipient: string) => string[]
  /**
   * Resolves once `carrier` durably holds `sealed` for `recipient`; rejects when refused or
   * unreachable. `files`: the attachment ids of the message, for the carrier to fetch from us.
   */
  deposit: (carrier: string, recipient: string, sealed: Uint8Array, files: readonly string[]) => Promise<void>
}

export interface DeliveryComponents<Entry> {
  db: Database
  contacts: ContactBook
  outbox: Outbox
  commit: Pick<GroupCommit<Entry, BatchOp>, 'write'>
  transport: MessageTransport
  /** Called once a state change is durable. */
  stateChanged: (message: MessageRecord) => void
  /** Seals a 1:1 message again with the current session and stores the new outbox entry. */
  sealAgain: (item: OutboxItem) => Promise<void>
  /** Whether a recipient is in focus for a conversation (presence), asked as a message turns delivered. */
  silentUntil: SilentUntil
  now: () => number
}

/** After these, the item has left the outbox. */
const FINAL = new Set<MessageState>(['delivered', 'read', 'failed'])
/**
 * Acks that mean the peer has it: stored now, or already by id (a carried copy came first, or our
 * ack was lost). E2E_REPLAY is not one: the peer spent that key, which does not prove it stored the
 * message (it may have been killed in between), so the message is sealed again.
 */
export const ALREADY_THERE = new Set(['', 'REPLAY'])
/** Fresh seals of one message after E2E_REPLAY answers, per run, before it is marked failed. */
const MAX_SEALS_AGAIN = 3
/**
 * Items sent to one peer and not yet answered, at most; the rest go as answers come back. Twice what
 * the receiver reads ahead, so that its next frames are already on their way when it answers (64
 * cost a fifth of the bench's throughput; 512 stays within 5% of no bound). A flush walks the peer's queue
 * from the oldest item and stops at a full window, so it never walks a whole backlog.
 */
export const MAX_SENDS_IN_FLIGHT = 2 * MAX_IN_FLIGHT_PER_STREAM

/** Items are per recipient: the same id may wait for several peers. */
function itemKey (item: Pick<OutboxItem, 'peer' | 'id'>): string {
  return `${item.peer} ${item.id}`
}

interface Pending { changes: StateChange[], entries: unknown[], ops: BatchOp[], resolve: () => void, reject: (error: Error) => void }

export class Delivery<Entry> {
  /** Per peer, the ids of the items sent directly and not yet answered. */
  private readonly inFlight = new Map<string, Set<string>>()
  /** Item (`itemKey`) → the carriers holding it (or being given it) during this run. */
  private readonly carriers = new Map<string, Set<string>>()
  private readonly flushScheduled = new Set<string>()
  /** Item (`itemKey`) → how many times it was sealed again in this run. */
  private readonly sealedAgain = new Map<string, number>()
  private readonly pending: Pending[] = []
  private chain = Promise.resolve()
  /** Peers that answered "not now" are flushed again after a backoff. */
  private readonly retries = new RetryLater(peer => { this.flush(peer) })

  constructor (private readonly components: DeliveryComponents<Entry>) {}

  /**
   * Sends every item waiting for `peer` that is not already on its way, in order, without waiting
   * for acks; or, if the peer is away, hands them to colleagues to carry. Calls in one turn share one pass.
   */
  flush (peer: string): void {
    if (this.flushScheduled.has(peer)) return
    this.flushScheduled.add(peer)
    setImmediate(() => {
      this.flushScheduled.delete(peer)
      const contact = this.components.contacts.get(peer)
      if (contact === undefined || contact.keyChanged !== undefined) return
      if (this.components.transport.isConnected(peer)) {
        this.sendWaiting(peer)
      } else {
        this.carry(peer)
      }
    })
  }

  /** A peer connected: what waits for it goes now, and it may carry what waits for the absent. */
  connected (peer: string): void {
    this.flush(peer)
    for (const other of this.components.outbox.peers()) if (other !== peer && !this.components.transport.isConnected(other)) this.flush(other)
  }

  /** Clears the retries waiting; what they were for stays in the outbox. */
  stop (): void {
    this.retries.stop()
  }

  /** Sends the oldest items waiting for `peer` that are not on their way, up to MAX_SENDS_IN_FLIGHT. */
  private sendWaiting (peer: string): void {
    const sending = this.inFlight.get(peer) ?? new Set<string>()
    for (const item of this.components.outbox.pending(peer)) {
      if (sending.size >= MAX_SENDS_IN_FLIGHT) break
      if (!sending.has(item.id)) void this.deliver(item, sending) // takes its place in `sending` at once
    }
    if (sending.size > 0) this.inFlight.set(peer, sending)
  }

  private async deliver (item: OutboxItem, sending: Set<string>): Promise<void> {
    sending.add(item.id)
    let answered = false
    try {
      const ack = await this.components.transport.send(item.peer, { sealed: item.sealed as Uint8Array<ArrayBuffer>, author: '' })
      // The receiver's own fault (it cannot write now): never final; the item stays queued.
      if (RETRY_LATER.has(ack.errorCode)) { this.retries.schedule(item.peer); return }
      this.retries.answered(item.peer)
      const oneToOne = item.message !== undefined && item.message.id === item.id
      if (ack.errorCode === 'E2E_REPLAY' && oneToOne && await this.sealAgain(item, sending)) return
      // A channel copy or a receipt answered E2E_REPLAY was opened before: it cannot be sealed again.
      const delivered = ALREADY_THERE.has(ack.errorCode) || (ack.errorCode === 'E2E_REPLAY' && !oneToOne)
      const id = item.copyOf ?? item.id
      await this.advance([delivered
        ? { peer: item.peer, id, state: 'delivered', time: this.components.now() }
        : { peer: item.peer, id, state: 'failed', time: this.components.now(), reason: `${ack.errorCode}: ${ack.errorMessage}` }])
      answered = true
    } catch {
      // Not reachable now: the item stays queued for the next connection. A send that failed while
      // the peer is connected (its stream was reset, or it reconnected before this one failed) is
      // tried again after the backoff: the next connection's flush may have found the window full
      // of these, and nothing else would flush again.
      if (this.components.transport.isConnected(item.peer)) this.retries.schedule(item.peer)
    } finally {
      sending.delete(item.id)
      if (sending.size === 0 && this.inFlight.get(item.peer) === sending) this.inFlight.delete(item.peer)
      // A place in the window is free: what waits behind it goes.
      if (answered && this.components.outbox.count(item.peer) > sending.size) this.flush(item.peer)
    }
  }

  /** A 1:1 message whose key the peer had spent: seal it anew and send it again (bounded). */
  private async sealAgain (item: OutboxItem, sending: Set<string>): Promise<boolean> {
    const times = (this.sealedAgain.get(itemKey(item)) ?? 0) + 1
    if (times > MAX_SEALS_AGAIN) return false
    this.sealedAgain.set(itemKey(item), times)
    await this.components.sealAgain(item)
    sending.delete(item.id)
    this.flush(item.peer)
    return true
  }

  private carry (recipient: string): void {
    const carriers = this.components.transport.carriers(recipient)
    if (carriers.length === 0) return
    for (const item of this.components.outbox.pending(recipient)) {
      const holders = this.carriers.get(itemKey(item)) ?? new Set<string>()
      this.carriers.set(itemKey(item), holders)
      for (const carrier of carriers) {
        if (holders.size >= MAX_CARRIERS) break
        if (!holders.has(carrier)) void this.depositWith(carrier, item, holders)
      }
    }
  }

  private async depositWith (carrier: string, item: OutboxItem, holders: Set<string>): Promise<void> {
    holders.add(carrier)
    try {
      await this.components.transport.deposit(carrier, item.peer, item.sealed, await this.filesOf(item))
    } catch (error) {
      holders.delete(carrier) // refused or gone: another carrier may take it
      if (RETRY_LATER.has(codedError(error)?.code ?? '')) this.retries.schedule(item.peer)
      return
    }
    // Everything stays queued until its recipient answers: a carrier may go away with its copy.
    if (item.message !== undefined) await this.advance([{ peer: item.peer, id: item.id, state: 'sent', time: this.components.now() }]).catch(() => {})
  }

  /** The attachment ids of the message an item is (1:1) or a copy of (channel); none for a receipt. */
  private async filesOf (item: OutboxItem): Promise<string[]> {
    return depositFiles(item.copyOf === undefined ? item.message : await heldMessage(this.components.db, item.copyOf))
  }

  /**
   * Applies state changes to our messages (those that move a message forward) and takes the items
   * that reached a final state out of the outbox, in one batch with `entries` and `ops`; resolves
   * once durable. Changes queued in the same turn share the batch. `entries` (a receipt's) are
   * journaled only when a change names a message of ours to its peer: a colleague's receipts naming
   * made-up ids filled the journal, which is never trimmed, at 1.8 MB/s, unseen.
   */
  async advance (changes: StateChange[], entries: Entry[] = [], ops: BatchOp[] = []): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.pending.push({ changes, entries, ops, resolve, reject })
      if (this.pending.length === 1) {
        setImmediate(() => { this.chain = this.chain.then(async () => { await this.applyAll() }) })
      }
    })
  }

  private async applyAll (): Promise<void> {
    const batch = this.pending.splice(0)
    try {
      const updated = new Map<string, MessageRecord>()
      const stored = new Map<string, MessageRecord | undefined>()
      const done = new Map<string, OutboxItem>() // by itemKey
      const entries: unknown[] = []
      for (const pending of batch) {
        let ours = false
        for (const change of pending.changes) {
          const item = this.components.outbox.get(change.peer, change.id) ?? this.components.outbox.get(change.peer, groupItemId(change.id, change.peer))
          const record = updated.get(change.id) ?? item?.message ?? await this.stored(change, item, stored)
          if (record !== undefined && !concerns(record, change)) continue // names what is not ours to move
          ours ||= item !== undefined || record !== undefined
          const moved = record === undefined ? undefined : applyChange(record, change, this.components.silentUntil)
          if (moved !== undefined) updated.set(change.id, moved)
          if (item !== undefined && FINAL.has(change.state)) done.set(itemKey(item), item)
        }
        if (pending.entries.length > 0 && (ours || await this.namesOurs(pending.changes))) entries.push(...pending.entries)
      }
      await this.components.commit.write(entries as Entry[], [
        ...batch.flatMap(p => p.ops),
        ...[...updated.values()].map((m): BatchOp => ({ type: 'put', sublevel: this.components.db.messages, key: messageKey(m.conversation, arrivalOf(m), m.id), value: m })),
        ...[...done.values()].map(item => this.components.outbox.removeOp(item))
      ])
      for (const item of done.values()) {
        this.components.outbox.removed(item)
        this.carriers.delete(itemKey(item))
        this.sealedAgain.delete(itemKey(item))
      }
      for (const m of updated.values()) {
        this.components.outbox.updated(m)
        this.components.stateChanged(m)
      }
    } catch (error) {
      for (const { reject } of batch) reject(error instanceof Error ? error : new CausetteError('INTERNAL', String(error)))
      return
    }
    for (const { resolve } of batch) resolve()
  }

  /**
   * Whether any of `changes` names a message of ours to its peer, read from the store (a delivered
   * receipt comes after its message left the outbox): the ids held looked up at once, then their
   * records one by one until one is.
   */
  private async namesOurs (changes: StateChange[]): Promise<boolean> {
    const keys = await this.components.db.messageIndex.getMany(changes.map(change => change.id))
    for (const [at, key] of keys.entries()) {
      const record = key === undefined ? undefined : await this.components.db.messages.get(key)
      if (record !== undefined && concerns(record, changes[at]!)) return true
    }
    return false
  }

  /**
   * The stored record a change is about, read once per batch: a channel message (its copies do not
   * hold it), or a message that already left the outbox (only a read receipt still moves it).
   */
  private async stored (change: StateChange, item: OutboxItem | undefined, cache: Map<string, MessageRecord | undefined>): Promise<MessageRecord | undefined> {
    if (item?.copyOf === undefined && change.state !== 'read') return undefined
    if (!cache.has(change.id)) cache.set(change.id, await heldMessage(this.components.db, change.id))
    return cache.get(change.id)
  }
}
