// Catch-up sync: on every (re)connection each side tells the other which of its messages it holds,
// per conversation they share (a SeqSet per author), and the author sends again, sealed anew, what
// is missing, in seq order. The outbox already delivers what was never acknowledged; this repairs
// what was acknowledged and then lost on the other side (a profile restored from a backup, a disk
// that lost its last writes) and what was refused then and may be accepted now (a message refused
// while a key change waited for verification). The recipient checks every copy as on first
// delivery and stores each message once.
import { CausetteError } from '../errors.js'
import { MAX_SYNC_CONVERSATIONS } from '../protocol/limits.js'
import type { ConversationHeads } from '../protocol/frames.js'
import type { BatchOp } from '../store/batch.js'
import type { Database } from '../store/database.js'
import type { GroupCommit } from '../store/group-commit.js'
import type { ContactRecord, ConversationRecord, MessageRecord } from '../store/records.js'
import type { ContactBook } from './contact-book.js'
import { ALREADY_THERE, type Delivery, type MessageTransport } from './delivery.js'
import { messageItem, type Outbox } from './outbox.js'
import { RETRY_LATER } from '../protocol/refusal.js'
import { EMPTY_SEQ_SET, hasSeq, type SeqSet } from './seq-set.js'
import { OneAnswerAtATime } from './one-answer-at-a-time.js'
import type { Sessions } from './sessions.js'

/** Messages sent again for one request; the rest follow at the next connection. */
export const MAX_RESENT_PER_SYNC = 5_000

/** The channels' catch-up (core/channels), answered with ours: what we hold of a member's messages, and serving what it lacks. */
export interface GroupCatchUp {
  heads: (peer: string) => ConversationHeads[]
  answer: (peer: string, request: ConversationHeads[], limit: number) => Promise<number | undefined>
}

export interface CatchUpComponents<Entry> {
  db: Database
  contacts: ContactBook
  outbox: Outbox
  sessions: Sessions
  commit: Pick<GroupCommit<Entry, BatchOp>, 'write'>
  transport: Pick<MessageTransport, 'send'>
  delivery: Pick<Delivery<Entry>, 'advance' | 'flush'>
  conversation: (id: string) => ConversationRecord | undefined
  /** The 1:1 conversation with a contact. */
  conversationWith: (contact: ContactRecord) => string
  now: () => number
  /** Channels: what we hold of each member's messages, and serving what a member lacks. */
  channels?: GroupCatchUp
}

export class CatchUp<Entry> {
  /**
   * One answer per peer at a time, its messages one after another, oldest first: the receiver lists
   * a conversation in its order of arrival. A peer that read slowly, or never, had each answer, every
   * sync, sealed anew and started on top of the last (session 30, red team).
   */
  readonly #answers = new OneAnswerAtATime(1)

  constructor (private readonly components: CatchUpComponents<Entry>) {}

  /** What we hold of `peer`'s messages, per conversation we share with it. */
  heads (peer: string): ConversationHeads[] {
    const contact = this.components.contacts.get(peer)
    if (contact === undefined) return []
    const id = this.components.conversationWith(contact)
    const held = this.components.conversation(id)?.received?.[peer] ?? EMPTY_SEQ_SET
    return [{ conversation: id, contiguous: held.contiguous, above: held.above, author: '' }, ...this.components.channels?.heads(peer) ?? []]
  }

  /**
   * Answers `peer`'s request: seals anew and sends the messages of ours it lacks (those still in
   * the outbox go by themselves). Resolves with their number once the ratchet steps are durable;
   * the messages then go on in the background, and their acks settle them as delivered. While an
   * earlier answer to `peer` (1:1 or channels) is on its way, the rest is served and the request
   * fails SYNC_BUSY: its asker asks again a little later (catch-up-request.ts).
   */
  async answer (peer: string, request: ConversationHeads[]): Promise<number> {
    const contact = this.components.contacts.get(peer)
    if (contact === undefined || contact.keyChanged !== undefined) return 0
    const named = request.slice(0, MAX_SYNC_CONVERSATIONS)
    // A channel's heads name their author: any member serves those (core/channels/catch-up.ts).
    const served = this.components.channels === undefined ? 0 : await this.components.channels.answer(peer, named.filter(h => h.author !== ''), MAX_RESENT_PER_SYNC)
    const resent = await this.#answers.answer(peer, async () => await this.sealMissing(contact, named), async ({ message, sealed }) => { await this.resend(message, sealed) })
    if (served === undefined || resent === undefined) throw new CausetteError('SYNC_BUSY', 'an earlier catch-up answer to this peer is still on its way: ask again later')
    return served + resent
  }

  /** Our messages `named` says `contact` lacks, oldest first, sealed anew; resolves once the ratchet steps are durable. */
  private async sealMissing (contact: ContactRecord, named: ConversationHeads[]): Promise<Array<{ message: MessageRecord, sealed: Uint8Array }>> {
    const missing: MessageRecord[] = []
    for (const heads of named) {
      if (heads.author !== '') continue
      const record = this.components.conversation(heads.conversation)
      if (record?.peer !== contact.peerId) continue // not a conversation we share with this peer
      const held: SeqSet = { contiguous: heads.contiguous, above: heads.above }
      missing.push(...await this.missingIn(record, held, MAX_RESENT_PER_SYNC - missing.length))
    }
    if (missing.length === 0) return []
    const sealed = missing.map(m => ({ message: m, ...this.components.sessions.sealAgain(contact, m) }))
    await this.components.commit.write([], sealed.map(s => s.op))
    return sealed
  }

  /** Our messages in the conversation that `held` lacks, oldest first; newest-first reading stops at the contiguous head. */
  private async missingIn (record: ConversationRecord, held: SeqSet, limit: number): Promise<MessageRecord[]> {
    const found: MessageRecord[] = []
    for await (const m of this.components.db.messages.values({ gte: `${record.id}!`, lt: `${record.id}!\uffff`, reverse: true })) {
      if (m.direction !== 'out' || typeof m.seq !== 'number') continue
      if (m.seq <= held.contiguous) break
      if (!hasSeq(held, m.seq) && this.components.outbox.get(record.peer, m.id) === undefined) found.push(m)
    }
    return found.sort((a, b) => a.seq - b.seq).slice(0, limit)
  }

  /** Rejects when the peer cannot be reached: the answer stops there, and the next request asks again. */
  private async resend (message: MessageRecord, sealed: Uint8Array): Promise<void> {
    const ack = await this.components.transport.send(message.peer, { sealed: sealed as Uint8Array<ArrayBuffer>, author: '' })
    if (ALREADY_THERE.has(ack.errorCode)) await this.components.delivery.advance([{ peer: message.peer, id: message.id, state: 'delivered', time: this.components.now() }])
    if (RETRY_LATER.has(ack.errorCode)) await this.requeue(message, sealed)
  }

  /**
   * The peer could not store it now (its disk is full): back in the outbox, which tries again after
   * a backoff, and after a restart; the peer's answer takes it out again.
   */
  private async requeue (message: MessageRecord, sealed: Uint8Array): Promise<void> {
    if (this.components.outbox.get(message.peer, message.id) !== undefined) return
    const item = messageItem(message, sealed)
    await this.components.commit.write([], [this.components.outbox.addOp(item)])
    this.components.outbox.added(item)
    this.components.delivery.flush(message.peer)
  }
}
