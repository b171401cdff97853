// The messaging logic of 1:1 conversations: sealing outgoing messages, opening incoming ones and
// storing them exactly once, and acting on the receipts that come back. Composing and accepting a
// signed message is signed-message.ts (shared with channels). Every change is one batch with its
// journal entries (through GroupCommit). Getting things to peers (directly or through carriers) is
// delivery.ts; signing and sealing receipts is receipts.ts. Wire details stay in core/protocol: the
// protocol edge's router hands this class what it opens (`PairwiseReceiver`), and it sends through
// `MessageTransport`.
import { directConversationId } from '../../crypto/conversation.js'
import { fromBase64, toBase64, toBase64Url } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'
import { CausetteError } from '../errors.js'
import type { InboundMessage } from '../protocol/message-handler.js'
import type { PairwiseReceiver } from '../protocol/inbound-router.js'
import { MAX_SYNC_SEQS_ABOVE } from '../protocol/limits.js'
import { E2eError } from '../../crypto/e2e/index.js'
import { conversationPage, conversationPageAfter, conversationPageAround } from '../store/conversation-page.js'
import { arrivalOf, byConversationOrder, messageOps, type Database } from '../store/database.js'
import type { BatchOp } from '../store/batch.js'
import type { GroupCommit } from '../store/group-commit.js'
import type { ContactRecord, ConversationRecord, MessageRecord } from '../store/records.js'
import type { ContactBook } from './contact-book.js'
import type { SearchPort } from './search-port.js'
import type { JournalPort } from './journal-port.js'
import { CatchUp, type GroupCatchUp } from './catch-up.js'
import { Delivery, type MessageTransport, type StateChange } from './delivery.js'
import type { SilentUntil } from './state-moves.js'
import { messageItem, type Outbox, type OutboxItem } from './outbox.js'
import { addSeq, EMPTY_SEQ_SET } from './seq-set.js'
import { UnstoredSeqs } from './unstored-seqs.js'
import { checkReceipt, ReceiptWriter } from './receipts.js'
import type { OpenedPairwise, Sessions } from './sessions.js'
import { storedBody, type MessageBody } from './body.js'
import { summaryWithout } from './id-owner.js'
import { checkContent, checkOwnAmendment, composeMessage, type LocalIdentity, type SignedMessageAcceptor } from './signed-message.js'
import { settleSpentKey } from './spent-key.js'
import { sendIdOp, type SendClaim } from './send-once.js'

/** What statements name as their workspace while this node belongs to none. */
export const OPEN_WORKSPACE = 'lan'

export type { MessageTransport } from './delivery.js'
export type { LocalIdentity } from './signed-message.js'

export type MessageChange =
  | { type: 'message', message: MessageRecord }
  | { type: 'message-state', message: MessageRecord }
  | { type: 'conversation', conversation: ConversationRecord }

export interface MessengerComponents<Entry> {
  db: Database
  contacts: ContactBook
  outbox: Outbox
  sessions: Sessions
  /** The node's one acceptor of signed messages, which the channels share: one replay guard. */
  acceptor: SignedMessageAcceptor
  commit: Pick<GroupCommit<Entry, BatchOp>, 'write'>
  journal: JournalPort<Entry>
  transport: MessageTransport
  /** Called once a change is durable, in order. */
  changed: (change: MessageChange) => void
  /** The id of the workspace this node belongs to, if any: statements name it. */
  workspaceId: () => string | undefined
  /**
   * The contact of a message's author: for a connected peer, fetched with its device record if new;
   * for the author of a message a colleague carried (`relayed`), from the workspace's membership
   * log; refused (NOT_A_MEMBER) if it is not a member.
   */
  ensureContact: (peerId: string, relayed: boolean) => Promise<ContactRecord>
  /** Whether the user lets peers see when they read their messages. */
  readReceipts: () => boolean
  /** Channels (core/channels): their catch-up, answered with ours. */
  channels?: GroupCatchUp
  /** Whether a recipient is in focus for a conversation (presence): our message then arrives silently. */
  silentUntil: SilentUntil
  /** The search index: a new message is indexed in the batch that stores it. */
  search: SearchPort
}

/** Conversation ids remembered by the peer's device key (far more than an office's desks). */
const MAX_CONVERSATION_IDS = 4096

export class Messenger<Entry> implements PairwiseReceiver<OpenedPairwise> {
  private readonly conversations = new Map<string, ConversationRecord>()
  /** A peer's device key → our 1:1 conversation's id. */
  private readonly conversationIds = new Map<string, string>()
  /** Received messages whose batch failed: `received` must not claim them. */
  private readonly unstored = new UnstoredSeqs()
  readonly delivery: Delivery<Entry>
  readonly catchUp: CatchUp<Entry>
  /** Receipts we owe; the channels owe theirs through it too. */
  readonly receipts: ReceiptWriter<Entry>

  private constructor (private readonly components: MessengerComponents<Entry>, private readonly me: LocalIdentity, private readonly now: () => number) {
    this.delivery = new Delivery({
      ...components,
      stateChanged: message => { components.changed({ type: 'message-state', message }) },
      sealAgain: async item => { await this.sealAgain(item) },
      now
    })
    this.catchUp = new CatchUp({
      ...components,
      delivery: this.delivery,
      conversation: id => this.conversations.get(id),
      conversationWith: contact => this.conversationWith(contact),
      now
    })
    this.receipts = new ReceiptWriter({
      ...components,
      workspace: () => components.workspaceId() ?? OPEN_WORKSPACE,
      queued: peer => { this.delivery.flush(peer) },
      isConnected: peer => components.transport.isConnected(peer),
      now
    }, me)
  }

  static async load<Entry> (components: MessengerComponents<Entry>, me: LocalIdentity, now = Date.now): Promise<Messenger<Entry>> {
    const messenger = new Messenger(components, me, now)
    for await (const [id, conversation] of components.db.conversations.iterator()) messenger.conversations.set(id, conversation)
    await messenger.receipts.resume()
    return messenger
  }

  /** Sends what waits for `peer`, or gives it to colleagues to carry while the peer is away. */
  flush (peer: string): void {
    this.delivery.flush(peer)
  }

  /** A peer connected (and its contact is current): deliver to it, and let it carry for the absent. */
  connected (peer: string): void {
    this.delivery.connected(peer)
  }

  /** Replaces a waiting message's ciphertext with a fresh one (its key was spent at the peer). */
  private async sealAgain (item: OutboxItem): Promise<void> {
    const contact = this.components.contacts.get(item.peer)
    if (contact === undefined || contact.keyChanged !== undefined || item.message === undefined) return
    const { sealed, op } = this.components.sessions.sealAgain(contact, item.message)
    const fresh = { ...item, sealed }
    await this.components.commit.write([], [op, this.components.outbox.addOp(fresh)])
    this.components.outbox.added(fresh)
  }

  /** Decrypts with the peer's session; the end-to-end layer's refusals keep their codes. */
  private decrypt (contact: ContactRecord, sealed: Uint8Array): ReturnType<Sessions['open']> {
    try {
      return this.components.sessions.open(contact, sealed)
    } catch (error) {
      if (error instanceof E2eError) throw new CausetteError(error.code, error.message)
      throw error
    }
  }

  listConversations (): ConversationRecord[] {
    return [...this.conversations.values()].sort((a, b) => b.lastTime - a.lastTime)
  }

  conversationWith (peer: ContactRecord): string {
    // Derived from the two device keys alone (a hash): worked out once per key, not for every send.
    let id = this.conversationIds.get(peer.deviceKey)
    if (id === undefined) {
      id = directConversationId(this.me.deviceKey, fromBase64(peer.deviceKey))
      if (this.conversationIds.size >= MAX_CONVERSATION_IDS) this.conversationIds.clear()
      this.conversationIds.set(peer.deviceKey, id)
    }
    return id
  }

  /**
   * Sends `content` (plain text is a message of that text) to `to`; an edit, retraction or reaction
   * names a message of this conversation. A client's `sendClaim` is stored in the message's batch.
   */
  async send (to: string, content: string | MessageBody, options: { urgent?: string, sendClaim?: SendClaim } = {}): Promise<MessageRecord> {
    const contact = this.components.contacts.resolve(to)
    const checked = checkContent(typeof content === 'string' ? { text: content } : content, options.urgent)
    if (contact.keyChanged !== undefined) throw new CausetteError('KEY_CHANGED', `${contact.name} presented a new key: verify it before writing to them`)
    const time = this.now()
    const conversation = this.conversationWith(contact)
    await checkOwnAmendment(this.components.db, checked, this.me.peerId, conversation)
    // Taken now, before any await: concurrent sends in one conversation get distinct, ordered numbers.
    const seq = this.nextSeq(conversation, contact.peerId)
    const { message, payload } = composeMessage(this.me, checked, {
      workspace: this.components.workspaceId() ?? OPEN_WORKSPACE,
      conversation,
      recipients: [fromBase64(contact.deviceKey)],
      peer: contact.peerId,
      seq,
      time,
      state: 'queued',
      stateTimes: { queued: time }
    })
    // Sign, then encrypt: the ciphertext is made now and kept in the outbox as it will travel.
    const { sealed, op: sessionOp } = this.components.sessions.seal(contact, payload)
    const item = messageItem(message, sealed)
    const conversationRecord = this.touchConversation(message, 0)
    try {
      await this.components.commit.write([this.components.journal.messageSent(message)], [
        ...messageOps(this.components.db, message),
        ...this.components.search.indexOps(message),
        sessionOp,
        this.components.outbox.addOp(item),
        this.conversationOp(conversationRecord),
        ...(options.sendClaim !== undefined ? [sendIdOp(this.components.db, options.sendClaim, message)] : [])
      ])
    } catch (error) {
      this.releaseSeq(conversation, seq)
      throw error
    }
    this.components.outbox.added(item)
    this.components.changed({ type: 'message', message })
    this.components.changed({ type: 'conversation', conversation: conversationRecord })
    this.delivery.flush(contact.peerId)
    return message
  }

  /**
   * PairwiseReceiver: decrypts an inbound message, receipt or distribution, from its author directly
   * or handed over by a colleague who carried it, and hands it to `route` (the protocol edge's
   * router), which stores it exactly once. The ratchet step is written in the same batch, or alone
   * when the decrypted content is refused (its key is spent either way).
   */
  async open (inbound: InboundMessage, route: (opened: OpenedPairwise) => Promise<string>): Promise<string> {
    const authorPeer = inbound.author ?? inbound.from
    const contact = await this.components.ensureContact(authorPeer, authorPeer !== inbound.from)
    if (contact.keyChanged !== undefined) throw new CausetteError('KEY_CHANGED', 'your key changed: the recipient must verify it first')
    const { plaintext, op: sessionOp, done, giveBack } = this.decrypt(contact, inbound.sealed)
    return await settleSpentKey({ done, giveBack }, async () => { await this.components.commit.write([], [sessionOp]) }, async () => await route({ contact, plaintext, sessionOp }))
  }

  /** PairwiseReceiver: a decrypted message from `contact`, checked, then stored with the session's step. */
  async receiveMessage ({ contact, plaintext, sessionOp }: OpenedPairwise): Promise<string> {
    // Its conversation is the one of its author and us, whatever the statement says: another's, or a
    // made-up one (each a conversation of its own, kept in memory and listed), is refused.
    const inbound = { plaintext, author: { peerId: contact.peerId, device: fromBase64(contact.deviceKey) }, recipient: this.me.deviceKey, conversation: this.conversationWith(contact), workspace: this.components.workspaceId() }
    return await this.components.acceptor.accept(inbound, {}, async (message, displaced) => {
      // An edit, retraction or reaction is not a new message to read.
      const conversationRecord = this.touchConversation(message, message.amends !== undefined ? 0 : 1)
      try {
        await this.components.commit.write([this.components.journal.messageReceived(message)], [
          ...displaced.ops,
          ...messageOps(this.components.db, message),
          ...this.components.search.indexOps(message),
          sessionOp,
          this.conversationOp(conversationRecord),
          this.receipts.owedOp(message)
        ])
      } catch (error) {
        this.untouchConversation(message)
        throw error
      }
      displaced.announce()
      this.receipts.owe(message)
      this.components.changed({ type: 'message', message })
      this.components.changed({ type: 'conversation', conversation: conversationRecord })
    })
  }

  /**
   * A peer's signed receipt: our messages it names move to delivered or read (a channel message: that
   * member's copy, which leaves the outbox), journaled with the receipt.
   */
  async receiveReceipt ({ contact, plaintext, sessionOp }: OpenedPairwise): Promise<string> {
    const { receipt, bytes, signature } = checkReceipt(plaintext, contact, this.me.deviceKey, this.components.workspaceId())
    // Our clock for when it moved: the receipt's own time (the peer's clock) stays in the journal, as signed.
    const arrived = this.now()
    const changes: StateChange[] = receipt.ids.map(id => ({ peer: contact.peerId, id, state: receipt.state, time: arrived, conversation: receipt.conversation }))
    const entry = this.components.journal.receipt({ peer: contact.peerId, conversation: receipt.conversation, state: receipt.state, ids: receipt.ids, time: receipt.time, signed: toBase64(bytes), signature: toBase64(signature) })
    await this.delivery.advance(changes, [entry], [sessionOp])
    return toBase64Url(sha256(bytes))
  }

  /**
   * The user saw the conversation: its unread messages become read, and, unless the user turned
   * read receipts off, their author gets signed read receipts, in the same batch.
   */
  async markRead (conversation: string): Promise<void> {
    const record = this.conversations.get(conversation)
    if (record === undefined) throw new CausetteError('NOT_FOUND', 'no such conversation')
    if (record.unread === 0) return
    const updated = { ...record, unread: 0 }
    this.conversations.set(conversation, updated)
    const now = this.now()
    const read = (await this.unreadMessages(record)).map((m): MessageRecord => ({ ...m, state: 'read', stateTime: now, stateTimes: { ...m.stateTimes, read: now } }))
    const contact = this.components.contacts.get(record.peer)
    const receipts = this.components.readReceipts() && contact !== undefined && contact.keyChanged === undefined && read.length > 0
      ? this.receipts.seal(contact, conversation, 'read', read.map(m => m.id))
      : { items: [], ops: [] }
    await this.components.commit.write([], [this.conversationOp(updated), ...read.flatMap(m => messageOps(this.components.db, m)), ...receipts.ops])
    for (const item of receipts.items) this.components.outbox.added(item)
    if (receipts.items.length > 0) this.delivery.flush(record.peer)
    for (const message of read) this.components.changed({ type: 'message-state', message })
    this.components.changed({ type: 'conversation', conversation: updated })
  }

  /** The messages counted unread: the latest received ones not yet read, newest first. */
  private async unreadMessages (record: ConversationRecord): Promise<MessageRecord[]> {
    const found: MessageRecord[] = []
    for await (const message of this.components.db.messages.values({ gte: `${record.id}!`, lt: `${record.id}!\uffff`, reverse: true })) {
      if (message.direction !== 'in' || message.amends !== undefined) continue
      if (message.state === 'read' || found.length >= record.unread) break
      found.push(message)
    }
    return found
  }

  async messages (query: { conversation?: string, q?: string, before?: number, after?: number, around?: string, limit: number }): Promise<MessageRecord[]> {
    const needle = query.q?.toLowerCase()
    // Edits, retractions and reactions are shown on the message they amend (amendments.ts), never as messages.
    const matches = (message: MessageRecord): boolean => message.amends === undefined && (needle === undefined || storedBody(message.text).text.toLowerCase().includes(needle))
    if (query.conversation !== undefined && query.around !== undefined) {
      const page = await conversationPageAround(this.components.db, query.conversation, query.around, query.limit, matches)
      if (page === undefined) throw new CausetteError('NOT_FOUND', 'no such message in this conversation')
      return page
    }
    if (query.conversation !== undefined && query.after !== undefined) return await conversationPageAfter(this.components.db, query.conversation, query.after, query.limit, matches)
    if (query.conversation !== undefined) {
      return await conversationPage(this.components.db, query.conversation, { before: query.before, limit: query.limit, accept: matches })
    }
    // Across conversations (a search): channel messages are listed by the channel API (their text is a JSON body).
    const before = query.before ?? Number.MAX_SAFE_INTEGER
    const found: MessageRecord[] = []
    for await (const message of this.components.db.messages.values({ reverse: true })) {
      if (arrivalOf(message) >= before || message.channel !== undefined || !matches(message)) continue
      found.push(message)
    }
    return found.sort(byConversationOrder).slice(-query.limit)
  }

  /** The next seq of ours in `conversation`, reserved in the in-memory summary (written with the message). */
  private nextSeq (conversation: string, peer: string): number {
    const current = this.conversation(conversation, peer)
    const seq = current.lastSeq + 1
    this.conversations.set(conversation, { ...current, lastSeq: seq })
    return seq
  }

  /**
   * A message that could not be stored gives its seq back if no later one took the next: the
   * recipient's catch-up state would otherwise wait for it for ever.
   */
  private releaseSeq (conversation: string, seq: number): void {
    const current = this.conversations.get(conversation)
    if (current?.lastSeq === seq) this.conversations.set(conversation, { ...current, lastSeq: seq - 1 })
  }

  private conversation (id: string, peer: string): ConversationRecord {
    return this.conversations.get(id) ?? { id, peer, lastSeq: 0, lastMessageId: null, lastTime: 0, unread: 0 }
  }

  /**
   * The conversation summary with `message` counted, kept in memory at once (concurrent messages
   * each build on the previous one); the caller writes the returned version in its batch.
   */
  private touchConversation (message: MessageRecord, unreadDelta: number): ConversationRecord {
    const current = this.conversation(message.conversation, message.peer)
    // Our clock, not the author's: a peer whose clock is ahead cannot pin its message as the latest.
    const isLatest = arrivalOf(message) >= current.lastTime && message.amends === undefined
    const received = message.direction === 'in'
      ? { ...current.received, [message.author]: addSeq(current.received?.[message.author] ?? EMPTY_SEQ_SET, message.seq, MAX_SYNC_SEQS_ABOVE) }
      : current.received
    const touched = {
      ...current,
      ...(received !== undefined ? { received } : {}),
      lastMessageId: isLatest ? message.id : current.lastMessageId,
      lastTime: isLatest ? arrivalOf(message) : current.lastTime,
      unread: current.unread + unreadDelta
    }
    this.conversations.set(message.conversation, touched)
    if (message.direction === 'in') this.unstored.delete(message.conversation, message.author, message.seq)
    return touched
  }

  /**
   * A copier's message taken out (id-owner.ts): its conversation's summary counts it no more, nor
   * names it as the latest; the write, and its undo should the batch fail.
   */
  forgetTakenOut (message: MessageRecord): { ops: BatchOp[], undo: () => void } {
    const current = this.conversations.get(message.conversation)
    if (current === undefined) return { ops: [], undo: () => {} }
    const change = summaryWithout(message)
    const forgotten = change.forget(current)
    this.conversations.set(message.conversation, forgotten)
    const undo = (): void => {
      const now = this.conversations.get(message.conversation)
      if (now !== undefined) this.conversations.set(message.conversation, change.undo(now))
    }
    return { ops: [this.conversationOp(forgotten)], undo }
  }

  /** A received message's batch failed: the summary no longer counts it, nor claims its seq. */
  private untouchConversation (message: MessageRecord): void {
    this.unstored.add(message.conversation, message.author, message.seq)
    const current = this.conversations.get(message.conversation)
    if (current === undefined) return
    // An edit, retraction or reaction was not counted unread.
    const counted = message.amends === undefined ? 1 : 0
    this.conversations.set(message.conversation, { ...current, received: this.unstored.without(current.id, current.received), unread: Math.max(0, current.unread - counted) })
  }

  /**
   * Writes `record` as built, less the seqs whose message failed to be stored since (it may have been
   * built before that was known): catch-up state never runs ahead of the messages it describes.
   */
  private conversationOp (record: ConversationRecord): BatchOp {
    const unstored = this.unstored
    return {
      type: 'put',
      sublevel: this.components.db.conversations,
      key: record.id,
      get value () { return { ...record, received: unstored.without(record.id, record.received) } }
    }
  }
}
