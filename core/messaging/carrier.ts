// Store-and-forward: this node holds ciphertext that a colleague wrote for a member who is not
// connected, and hands it over when that member appears. It cannot read what it carries (it is
// sealed end to end for the recipient); it sees who wrote to whom and how much, and journals only
// that. Quotas per author and in total bound the disk a colleague's desk lends; items expire.
// A deposit may name the attachment ids of its message (outside the seal): those files are fetched
// from the author and held as carried copies (`CarriedFilesPort`, core/files/carried-files.ts), in
// the attachment store's limit, until no item held names them.
import { fromBase64, toBase64, toBase64Url } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'
import { CausetteError } from '../errors.js'
import { CARRY_QUOTA_PER_AUTHOR, CARRY_QUOTA_TOTAL, CARRY_TTL_MS, MAX_CARRY_FILES, MAX_ENVELOPE_BYTES } from '../protocol/limits.js'
import { RETRY_LATER } from '../protocol/refusal.js'
import type { Ack, Envelope } from '../protocol/frames.js'
import type { BatchOp } from '../store/batch.js'
import type { Database } from '../store/database.js'
import type { GroupCommit } from '../store/group-commit.js'
import { carriedKey, type CarriedValue } from '../store/records.js'
import type { JournalPort } from './journal-port.js'
import { RetryLater } from './retry-later.js'

/** The files of what we carry: fetched from their author and held, or let go (core/files/carried-files.ts). */
export interface CarriedFilesPort {
  /** Fetch these files from `author` (now or once it connects) and hold them as carried copies. */
  carry: (author: string, fileIds: readonly string[]) => void
  /** No item held names `fileId` any more: drop it, unless it was handed over whole (the recipient fetches it from us). */
  release: (fileId: string, handedOver: boolean) => void
}

export interface CarrierComponents<Entry> {
  db: Database
  commit: Pick<GroupCommit<Entry, BatchOp>, 'write'>
  journal: Pick<JournalPort<Entry>, 'carried'>
  /** Whether we carry for `recipient` at all (a member of our workspace, not ourselves). */
  mayCarryFor: (recipient: string) => boolean
  isConnected: (peer: string) => boolean
  send: (peer: string, envelope: Envelope) => Promise<Ack>
  now?: () => number
  /** Where the files that deposits name go; without it they are not carried (the message still is). */
  files?: CarriedFilesPort
  /** Defaults: CARRY_QUOTA_PER_AUTHOR, CARRY_QUOTA_TOTAL, CARRY_TTL_MS. */
  quotas?: { perAuthor: Usage, total: Usage, ttlMs: number }
}

interface Usage { items: number, bytes: number }

/** Answers that mean the recipient has it already: the item is done with. */
const ALREADY_THERE = new Set(['', 'REPLAY', 'E2E_REPLAY'])
/**
 * Refusals that may pass later (the recipient has yet to verify a key, or to learn of a member; it
 * cannot write now): kept.
 */
const MAY_PASS_LATER = new Set(['KEY_CHANGED', 'NOT_A_MEMBER', 'E2E_UNKNOWN_PREKEY', ...RETRY_LATER])

/** An attachment id as a deposit names it: the descriptor's chunksSha256 in lower-case hex. */
const ATTACHMENT_ID = /^[0-9a-f]{64}$/

/** The distinct attachment ids a deposit names; throws BAD_FRAME for more than a message has, or one that is not an id. */
function checkedFiles (files: readonly string[]): string[] {
  if (files.length > MAX_CARRY_FILES) throw new CausetteError('BAD_FRAME', `a deposit names at most ${MAX_CARRY_FILES} attachments`)
  if (!files.every(id => ATTACHMENT_ID.test(id))) throw new CausetteError('BAD_FRAME', 'an attachment id is 64 lower-case hex digits')
  return [...new Set(files)]
}

/** The same bytes deposited for two recipients are two items. */
function heldId (recipient: string, hash: string): string {
  return `${recipient}!${hash}`
}

export class Carrier<Entry> {
  private readonly byAuthor = new Map<string, Usage>()
  private readonly total: Usage = { items: 0, bytes: 0 }
  /** Items held (recipient and hash), so a deposit made twice (to us and again after a restart) is held once. */
  private readonly held = new Set<string>()
  /** Attachment id → how many items held name it. */
  private readonly fileRefs = new Map<string, number>()
  private readonly handingOver = new Map<string, Promise<void>>()
  private readonly again = new Set<string>()
  /** Recipients that answered "not now" get another hand-over after a backoff, while connected. */
  private readonly retries = new RetryLater(recipient => { if (this.components.isConnected(recipient)) this.handOver(recipient) })
  private readonly now: () => number
  private lastReceived = 0
  private readonly quotas: NonNullable<CarrierComponents<Entry>['quotas']>

  private constructor (private readonly components: CarrierComponents<Entry>) {
    this.now = components.now ?? Date.now
    this.quotas = components.quotas ?? { perAuthor: CARRY_QUOTA_PER_AUTHOR, total: CARRY_QUOTA_TOTAL, ttlMs: CARRY_TTL_MS }
  }

  static async load<Entry> (components: CarrierComponents<Entry>): Promise<Carrier<Entry>> {
    const carrier = new Carrier(components)
    for await (const [key, value] of components.db.carried.iterator()) {
      carrier.count(key, value, +1)
      carrier.lastReceived = Math.max(carrier.lastReceived, value.received)
      // Fetches cut short by a stop resume (those done are held already).
      if (value.files !== undefined) components.files?.carry(value.author, value.files)
    }
    return carrier
  }

  get size (): Usage { return { ...this.total } }

  private count (key: string, value: CarriedValue, sign: 1 | -1): void {
    const id = heldId(value.recipient, key.slice(key.lastIndexOf('!') + 1))
    if (this.held.has(id) === (sign > 0)) return // counted already (a sweep and a hand-over raced)
    if (sign > 0) this.held.add(id)
    else this.held.delete(id)
    for (const file of value.files ?? []) this.fileRefs.set(file, (this.fileRefs.get(file) ?? 0) + sign)
    const usage = this.byAuthor.get(value.author) ?? { items: 0, bytes: 0 }
    usage.items += sign
    usage.bytes += sign * value.bytes
    this.total.items += sign
    this.total.bytes += sign * value.bytes
    if (usage.items === 0) this.byAuthor.delete(value.author)
    else this.byAuthor.set(value.author, usage)
  }

  /**
   * Holds `sealed` from `author` for `recipient`; resolves once durable (or if already held). The
   * files it names are fetched from the author afterwards, as room allows: a file that does not fit
   * is not carried, the message still is. Throws CARRY_REFUSED, CARRY_QUOTA or BAD_FRAME.
   */
  async deposit (author: string, recipient: string, sealed: Uint8Array, fileIds: readonly string[] = []): Promise<void> {
    if (recipient === author || !this.components.mayCarryFor(recipient)) throw new CausetteError('CARRY_REFUSED', 'we do not carry for that recipient')
    if (sealed.length === 0) throw new CausetteError('BAD_FRAME', 'nothing to carry')
    if (sealed.length > MAX_ENVELOPE_BYTES) throw new CausetteError('FRAME_TOO_LARGE', `carried ciphertext is at most ${MAX_ENVELOPE_BYTES} bytes`)
    const files = checkedFiles(fileIds)
    const id = toBase64Url(sha256(sealed))
    if (this.held.has(heldId(recipient, id))) {
      // Held already; its files may have gone since (no room then, or evicted): they are asked for again.
      if (files.length > 0) this.components.files?.carry(author, files)
      return
    }
    const mine = this.byAuthor.get(author) ?? { items: 0, bytes: 0 }
    if (mine.items + 1 > this.quotas.perAuthor.items || mine.bytes + sealed.length > this.quotas.perAuthor.bytes) {
      throw new CausetteError('CARRY_QUOTA', 'you already have as much waiting with us as we hold for one colleague')
    }
    if (this.total.items + 1 > this.quotas.total.items || this.total.bytes + sealed.length > this.quotas.total.bytes) {
      throw new CausetteError('CARRY_QUOTA', 'we hold as much for absent colleagues as we can')
    }
    // Distinct and increasing, so that a recipient's items read back in the order they came.
    const received = this.lastReceived = Math.max(this.now(), this.lastReceived + 1)
    const key = carriedKey(recipient, received, id)
    const value: CarriedValue = { author, recipient, sealed: toBase64(sealed), bytes: sealed.length, received, expires: received + this.quotas.ttlMs, ...(files.length > 0 ? { files } : {}) }
    this.count(key, value, +1) // before the await: concurrent deposits see the quota taken
    try {
      await this.components.commit.write([this.components.journal.carried({ time: received, action: 'held', author, recipient, count: 1, bytes: sealed.length })], [{ type: 'put', sublevel: this.components.db.carried, key, value }])
    } catch (error) {
      this.count(key, value, -1)
      throw error
    }
    if (files.length > 0) this.components.files?.carry(author, files)
    if (this.components.isConnected(recipient)) this.handOver(recipient)
  }

  /** Hands what we hold for `recipient` over to it (call when it connects); one pass at a time per recipient. */
  handOver (recipient: string): void {
    if (this.handingOver.has(recipient)) { this.again.add(recipient); return }
    const pass = this.handOverPass(recipient)
      .catch(() => {}) // it went away: the items stay for its next connection
      .finally(() => {
        this.handingOver.delete(recipient)
        if (this.again.delete(recipient) && this.components.isConnected(recipient)) this.handOver(recipient)
      })
    this.handingOver.set(recipient, pass)
  }

  private async handOverPass (recipient: string): Promise<void> {
    const items: Array<[string, CarriedValue]> = []
    for await (const entry of this.components.db.carried.iterator({ gt: `${recipient}!`, lt: `${recipient}!\uffff` })) items.push(entry)
    if (items.length === 0) return
    // Pipelined on the recipient's message stream: sent together, acked in order.
    const answers = await Promise.allSettled(items.map(async ([, value]) => await this.components.send(recipient, { sealed: fromBase64(value.sealed) as Uint8Array<ArrayBuffer>, author: value.author })))
    const answered = (i: number): string | undefined => { const a = answers[i]!; return a.status === 'fulfilled' ? a.value.errorCode : undefined }
    if (items.some((_, i) => RETRY_LATER.has(answered(i) ?? ''))) this.retries.schedule(recipient)
    else this.retries.answered(recipient)
    await this.drop(items.filter((_, i) => ALREADY_THERE.has(answered(i) ?? 'unanswered')), 'handed-over')
    // What the recipient refuses for good (it cannot be opened, or was forged) is not offered again.
    await this.drop(items.filter((_, i) => { const code = answered(i); return code !== undefined && !ALREADY_THERE.has(code) && !MAY_PASS_LATER.has(code) }), 'refused')
  }

  /** Drops what expired unclaimed (the author still has it in its outbox). */
  async sweep (): Promise<number> {
    const now = this.now()
    const expired: Array<[string, CarriedValue]> = []
    for await (const entry of this.components.db.carried.iterator()) if (entry[1].expires <= now) expired.push(entry)
    await this.drop(expired, 'expired')
    return expired.length
  }

  /** Deletes items, with one journal entry per author and recipient. */
  private async drop (items: Array<[string, CarriedValue]>, action: 'handed-over' | 'refused' | 'expired'): Promise<void> {
    if (items.length === 0) return
    const groups = new Map<string, { author: string, recipient: string, count: number, bytes: number }>()
    for (const [, v] of items) {
      const group = groups.get(v.author + v.recipient) ?? { author: v.author, recipient: v.recipient, count: 0, bytes: 0 }
      group.count++
      group.bytes += v.bytes
      groups.set(v.author + v.recipient, group)
    }
    const time = this.now()
    await this.components.commit.write(
      [...groups.values()].map(g => this.components.journal.carried({ time, action, ...g })),
      items.map(([key]) => ({ type: 'del', sublevel: this.components.db.carried, key }))
    )
    for (const [key, value] of items) this.count(key, value, -1)
    this.releaseFiles(items.map(([, value]) => value), action === 'handed-over')
  }

  /** The files that no item held names any more are let go. */
  private releaseFiles (dropped: CarriedValue[], handedOver: boolean): void {
    for (const file of new Set(dropped.flatMap(value => value.files ?? []))) {
      if ((this.fileRefs.get(file) ?? 0) > 0) continue
      this.fileRefs.delete(file)
      this.components.files?.release(file, handedOver)
    }
  }

  /** At stop: no more retries; resolves once the hand-overs under way are done. */
  async drain (): Promise<void> {
    this.retries.stop()
    await Promise.allSettled([...this.handingOver.values()])
  }
}
