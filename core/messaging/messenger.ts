// The messaging logic: composing and signing outgoing messages, storing incoming ones exactly once,
// the outbox, and delivery receipts. Every change is one batch with its journal entries (through
// GroupCommit). Wire details stay in core/protocol: this class receives domain objects from
// `MessageReceiver` and sends through `MessageTransport`.
import { directConversationId } from '../../crypto/conversation.js'
import { fromBase64, toBase64, toBase64Url, utf8 } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { bodyCommitment, signStatement } from '../../crypto/statement-signature.js'
import { BODY_SALT_BYTES, isValidUrgentReason, MAX_URGENT_REASON_CHARS, MESSAGE_ID_BYTES } from '../../crypto/statement.js'
import type { Signer } from '../../crypto/signing.js'
import { CausetteError } from '../errors.js'
import type { InboundMessage, MessageReceiver } from '../protocol/message-handler.js'
import { MAX_BODY_BYTES } from '../protocol/limits.js'
import type { Ack, Envelope } from '../protocol/wire.js'
import { E2eError, encodePayload } from '../../crypto/e2e/index.js'
import type { Database } from '../store/database.js'
import type { BatchOp } from '../store/batch.js'
import { BatchedHas } from '../store/batched-has.js'
import type { GroupCommit } from '../store/group-commit.js'
import { messageKey, type ContactRecord, type ConversationRecord, type MessageRecord } from '../store/records.js'
import type { ContactBook } from './contact-book.js'
import type { JournalPort } from './journal-port.js'
import { checkInbound, type CheckedMessage } from './inbound-check.js'
import type { Outbox, OutboxItem } from './outbox.js'
import type { Sessions } from './sessions.js'
import type { SignatureChecker } from './signature-checker.js'

/** Delivery receipts in the journal list at most this many messages each. */
const MAX_IDS_PER_RECEIPT = 100

function chunks<T> (items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** What statements name as their workspace while this node belongs to none. */
export const OPEN_WORKSPACE = 'lan'

export interface MessageTransport {
  isConnected: (peer: string) => boolean
  /** Rejects when the peer cannot be reached now; the message then stays queued. */
  send: (peer: string, envelope: Envelope) => Promise<Ack>
}

export type MessageChange =
  | { type: 'message', message: MessageRecord }
  | { type: 'message-state', message: MessageRecord }
  | { type: 'conversation', conversation: ConversationRecord }

export interface MessengerComponents<Entry> {
  db: Database
  contacts: ContactBook
  outbox: Outbox
  sessions: Sessions
  signatures: Pick<SignatureChecker, 'verify'>
  commit: Pick<GroupCommit<Entry, BatchOp>, 'write'>
  journal: JournalPort<Entry>
  transport: MessageTransport
  /** Called once a change is durable, in order. */
  changed: (change: MessageChange) => void
  /** The id of the workspace this node belongs to, if any: statements name it. */
  workspaceId: () => string | undefined
  /** Makes sure a contact exists for a connected peer (fetches its device record). */
  ensureContact: (peerId: string) => Promise<ContactRecord>
}

export interface LocalIdentity {
  peerId: string
  deviceKey: Uint8Array
  sign: Signer
}

export class Messenger<Entry> implements MessageReceiver {
  private readonly conversations = new Map<string, ConversationRecord>()
  private readonly inFlight = new Set<string>()
  private readonly receiving = new Set<string>()
  private readonly flushScheduled = new Set<string>()
  private readonly settling: Array<{ message: MessageRecord, ack: Ack, resolve: () => void, reject: (error: Error) => void }> = []
  private readonly known: BatchedHas

  private constructor (private readonly c: MessengerComponents<Entry>, private readonly me: LocalIdentity, private readonly now: () => number) {
    this.known = new BatchedHas(c.db.messageIndex)
  }

  static async load<Entry> (components: MessengerComponents<Entry>, me: LocalIdentity, now = Date.now): Promise<Messenger<Entry>> {
    const messenger = new Messenger(components, me, now)
    for await (const [id, conversation] of components.db.conversations.iterator()) messenger.conversations.set(id, conversation)
    return messenger
  }

  /** Decrypts with the peer's session; the end-to-end layer's refusals keep their codes. */
  private open (contact: ContactRecord, sealed: Uint8Array): ReturnType<Sessions['open']> {
    try {
      return this.c.sessions.open(contact, sealed)
    } catch (error) {
      if (error instanceof E2eError) throw new CausetteError(error.code, error.message)
      throw error
    }
  }

  listConversations (): ConversationRecord[] {
    return [...this.conversations.values()].sort((a, b) => b.lastTime - a.lastTime)
  }

  conversationWith (peer: ContactRecord): string {
    return directConversationId(this.me.deviceKey, fromBase64(peer.deviceKey))
  }

  async send (to: string, text: string, options: { urgent?: string } = {}): Promise<MessageRecord> {
    const contact = this.c.contacts.resolve(to)
    if (options.urgent !== undefined && !isValidUrgentReason(options.urgent)) throw new CausetteError('BAD_REQUEST', `an urgent reason is one line of 1 to ${MAX_URGENT_REASON_CHARS} characters`)
    if (contact.keyChanged !== undefined) throw new CausetteError('KEY_CHANGED', `${contact.name} presented a new key: verify it before writing to them`)
    const body = utf8(text)
    if (body.length === 0 || body.length > MAX_BODY_BYTES) throw new CausetteError('BAD_REQUEST', `a message is 1 to ${MAX_BODY_BYTES} bytes of text`)
    const salt = randomBytes(BODY_SALT_BYTES)
    const time = this.now()
    const conversation = this.conversationWith(contact)
    const id = toBase64Url(randomBytes(MESSAGE_ID_BYTES))
    // Taken now, before any await: concurrent sends in one conversation get distinct, ordered numbers.
    const seq = this.nextSeq(conversation, contact.peerId)
    const { bytes, signature } = signStatement(this.me.sign, {
      workspace: this.c.workspaceId() ?? OPEN_WORKSPACE,
      conversation,
      author: this.me.deviceKey,
      recipients: [fromBase64(contact.deviceKey)],
      id,
      time,
      seq,
      bodyHash: bodyCommitment(salt, body),
      ...(options.urgent !== undefined ? { urgent: options.urgent } : {})
    })
    const message: MessageRecord = {
      id,
      conversation,
      direction: 'out',
      author: this.me.peerId,
      peer: contact.peerId,
      text,
      salt: toBase64(salt),
      statement: toBase64(bytes),
      signature: toBase64(signature),
      time,
      seq,
      state: 'queued',
      stateTime: time,
      stateTimes: { queued: time },
      ...(options.urgent !== undefined ? { urgent: options.urgent } : {}),
      verified: true
    }
    // Sign, then encrypt: the ciphertext is made now and kept in the outbox as it will travel.
    const { sealed, op: sessionOp } = this.c.sessions.seal(contact, encodePayload({ statement: bytes, signature, salt, body }, MAX_BODY_BYTES))
    const item = { message, sealed }
    const conversationRecord = this.touchConversation(message, 0)
    await this.c.commit.write([this.c.journal.messageSent(message)], [
      ...this.storeOps(message),
      sessionOp,
      this.c.outbox.addOp(item),
      this.conversationOp(conversationRecord)
    ])
    this.c.outbox.added(item)
    this.c.changed({ type: 'message', message })
    this.c.changed({ type: 'conversation', conversation: conversationRecord })
    this.flush(contact.peerId)
    return message
  }

  /**
   * MessageReceiver: decrypts, checks and stores an inbound message exactly once; resolves with its
   * id once durable. The ratchet step is written in the same batch as the message, or alone when
   * the decrypted message is refused (its key is spent either way).
   */
  async receive (inbound: InboundMessage): Promise<string> {
    const contact = await this.c.ensureContact(inbound.from)
    if (contact.keyChanged !== undefined) throw new CausetteError('KEY_CHANGED', 'your key changed: the recipient must verify it first')
    const { plaintext, op: sessionOp } = this.open(contact, inbound.sealed)
    // A refused message has spent its ratchet key all the same: that step is written either way.
    const refuse = async (error: unknown): Promise<never> => {
      await this.c.commit.write([], [sessionOp])
      throw error
    }
    let m: CheckedMessage
    try {
      m = checkInbound(plaintext, inbound.fromKey, this.me.deviceKey)
    } catch (error) {
      return await refuse(error)
    }
    const workspace = this.c.workspaceId()
    if (workspace !== undefined && m.statement.workspace !== workspace) return await refuse(new CausetteError('BAD_STATEMENT', 'statement names another workspace than ours'))
    const id = m.statement.id
    // Claim the id before the first await, so that two copies in flight cannot both pass the check.
    if (this.receiving.has(id)) return await refuse(new CausetteError('REPLAY', 'message id already received'))
    this.receiving.add(id)
    try {
      // The signature check and the replay lookup (a LevelDB round trip) overlap.
      const [signed, seen] = await Promise.all([
        this.c.signatures.verify({ publicKey: m.statement.author, message: m.statementBytes, signature: m.signature }),
        this.known.has(id)
      ])
      if (!signed) return await refuse(new CausetteError('BAD_STATEMENT', 'statement: bad signature'))
      if (seen) return await refuse(new CausetteError('REPLAY', 'message id already received'))
      const now = this.now()
      const message: MessageRecord = {
        id,
        conversation: m.statement.conversation,
        direction: 'in',
        author: inbound.from,
        peer: inbound.from,
        text: m.text,
        salt: toBase64(m.salt),
        statement: toBase64(m.statementBytes),
        signature: toBase64(m.signature),
        time: m.statement.time,
        seq: m.statement.seq,
        state: 'delivered',
        stateTime: now,
        stateTimes: { delivered: now },
        ...(m.statement.urgent !== undefined ? { urgent: m.statement.urgent } : {}),
        verified: true
      }
      const conversationRecord = this.touchConversation(message, 1)
      await this.c.commit.write([this.c.journal.messageReceived(message)], [...this.storeOps(message), sessionOp, this.conversationOp(conversationRecord)])
      this.c.changed({ type: 'message', message })
      this.c.changed({ type: 'conversation', conversation: conversationRecord })
      return id
    } finally {
      this.receiving.delete(id)
    }
  }

  /**
   * Sends every queued message for `peer` that is not already on its way, in order, without waiting
   * for acks (they settle each message as they come). Calls made in the same turn share one pass.
   */
  flush (peer: string): void {
    if (this.flushScheduled.has(peer)) return
    this.flushScheduled.add(peer)
    setImmediate(() => {
      this.flushScheduled.delete(peer)
      if (!this.c.transport.isConnected(peer)) return
      const contact = this.c.contacts.get(peer)
      if (contact === undefined || contact.keyChanged !== undefined) return
      for (const item of this.c.outbox.pending(peer)) {
        if (!this.inFlight.has(item.message.id)) void this.deliver(item)
      }
    })
  }

  private async deliver ({ message, sealed }: OutboxItem): Promise<void> {
    this.inFlight.add(message.id)
    try {
      const ack = await this.c.transport.send(message.peer, { sealed: sealed as Uint8Array<ArrayBuffer> })
      await this.settle(message, ack)
    } catch {
      // Not reachable now: the message stays queued for the next connection.
    } finally {
      this.inFlight.delete(message.id)
    }
  }

  /** Records the peer's answer; answers arriving in the same turn share one receipt entry per conversation. */
  private async settle (message: MessageRecord, ack: Ack): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.settling.push({ message, ack, resolve, reject })
      if (this.settling.length === 1) setImmediate(() => { void this.settleAll() })
    })
  }

  private async settleAll (): Promise<void> {
    const batch = this.settling.splice(0)
    const now = this.now()
    const updated = batch.map(({ message, ack }): MessageRecord => {
      // A replay means the peer already has it (our earlier ack was lost): delivered all the same.
      const delivered = ack.errorCode === '' || ack.errorCode === 'REPLAY' || ack.errorCode === 'E2E_REPLAY'
      return delivered
        ? { ...message, state: 'delivered', stateTime: now, stateTimes: { ...message.stateTimes, delivered: now } }
        : { ...message, state: 'failed', stateTime: now, stateTimes: { ...message.stateTimes, failed: now }, stateReason: `${ack.errorCode}: ${ack.errorMessage}` }
    })
    const receipts = new Map<string, MessageRecord[]>()
    for (const m of updated) if (m.state === 'delivered') receipts.set(m.conversation, [...(receipts.get(m.conversation) ?? []), m])
    const entries = [...receipts.values()].flatMap(messages => chunks(messages, MAX_IDS_PER_RECEIPT).map(part => this.c.journal.delivered(part, now)))
    try {
      await this.c.commit.write(entries, updated.flatMap(m => [...this.storeOps(m), this.c.outbox.removeOp(m)]))
    } catch (error) {
      for (const { reject } of batch) reject(error as Error)
      return
    }
    for (const m of updated) {
      this.c.outbox.removed(m)
      this.c.changed({ type: 'message-state', message: m })
    }
    for (const { resolve } of batch) resolve()
  }

  async markRead (conversation: string): Promise<void> {
    const record = this.conversations.get(conversation)
    if (record === undefined) throw new CausetteError('NOT_FOUND', 'no such conversation')
    if (record.unread === 0) return
    const updated = { ...record, unread: 0 }
    this.conversations.set(conversation, updated)
    await this.c.commit.write([], [this.conversationOp(updated)])
    this.c.changed({ type: 'conversation', conversation: updated })
  }

  async messages (query: { conversation?: string, q?: string, before?: number, limit: number }): Promise<MessageRecord[]> {
    const needle = query.q?.toLowerCase()
    const before = query.before ?? Number.MAX_SAFE_INTEGER
    const range = query.conversation !== undefined
      ? { gte: `${query.conversation}!`, lt: messageKey(query.conversation, before, ''), reverse: true }
      : { reverse: true }
    const found: MessageRecord[] = []
    for await (const message of this.c.db.messages.values(range)) {
      if (message.time >= before) continue
      if (needle !== undefined && !message.text.toLowerCase().includes(needle)) continue
      found.push(message)
      if (query.conversation !== undefined && found.length >= query.limit) break
    }
    return found.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1)).slice(-query.limit)
  }

  /** The next seq of ours in `conversation`, reserved in the in-memory summary (written with the message). */
  private nextSeq (conversation: string, peer: string): number {
    const current = this.conversation(conversation, peer)
    const seq = current.lastSeq + 1
    this.conversations.set(conversation, { ...current, lastSeq: seq })
    return seq
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
    const isLatest = message.time >= current.lastTime
    const touched = {
      ...current,
      lastMessageId: isLatest ? message.id : current.lastMessageId,
      lastTime: Math.max(current.lastTime, message.time),
      unread: current.unread + unreadDelta
    }
    this.conversations.set(message.conversation, touched)
    return touched
  }

  private storeOps (message: MessageRecord): BatchOp[] {
    const key = messageKey(message.conversation, message.time, message.id)
    return [
      { type: 'put', sublevel: this.c.db.messages, key, value: message },
      { type: 'put', sublevel: this.c.db.messageIndex, key: message.id, value: key }
    ]
  }

  private conversationOp (record: ConversationRecord): BatchOp {
    return { type: 'put', sublevel: this.c.db.conversations, key: record.id, value: record }
  }
}
