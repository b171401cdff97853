// Receiving in a channel: group messages (from their author, a carrier or a member serving
// catch-up: the chain's signature, not the forwarder, authenticates them) and sender key
// distributions (over the pairwise session, which authenticates their sender). A group message
// whose chain or channel log has not arrived yet is parked, and tried again when it does. One that
// did not come straight from its author owes the author a signed delivered receipt.
import { channelConversationId } from '../../crypto/channel-log.js'
import { equals, fromBase64, toBase64, toBase64Url } from '../../crypto/encoding.js'
import { acceptDistribution, decodeGroupMessage, decryptGroupMessage, type GroupMessage, type SenderKeyRecord } from '../../crypto/e2e/sender-key.js'
import { E2eError } from '../../crypto/e2e/index.js'
import { sha256 } from '../../crypto/sha256.js'
import { StatementError } from '../../crypto/statement.js'
import { CausetteError } from '../errors.js'
import type { InboundMessage } from '../protocol/message-handler.js'
import { isReceiverFault } from '../protocol/refusal.js'
import { MAX_SYNC_SEQS_ABOVE, MAX_UNHELD_SENDER_KEYS_PER_PEER } from '../protocol/limits.js'
import { decodeChannelFrame } from '../protocol/channel-frame.js'
import type { BatchOp } from '../store/batch.js'
import { arrivalOf, messageOps } from '../store/database.js'
import { addSeq, EMPTY_SEQ_SET } from '../messaging/seq-set.js'
import type { OpenedPairwise } from '../messaging/sessions.js'
import { settleSpentKey } from '../messaging/spent-key.js'
import { peerIdOf, type ChannelContext } from './context.js'
import { decodeDistributionPayload } from './distribution.js'
import { freshChainRefusal } from './fresh-chain.js'
import { ParkedBudget } from './parked-budget.js'
import type { HeldChannel } from './store.js'

function coded<T> (run: () => T): T {
  try {
    return run()
  } catch (error) {
    if (error instanceof E2eError) throw new CausetteError(error.code, error.message)
    if (error instanceof StatementError) throw new CausetteError('BAD_STATEMENT', error.message)
    throw error
  }
}

/** Why the log refuses a group message (ChannelLog.postRefusal), in words. */
const POST_REFUSALS = {
  CHANNEL_NOT_MEMBER: 'the author was not a member of the channel when sending',
  CHANNEL_SENT_AFTER_DEPARTURE: 'the author sent it after its removal or leave: not on a chain its departure named, below the iteration named'
}

const lacksHeads = (held: HeldChannel, heads: Uint8Array[]): boolean => heads.some(h => !held.log.has(h))

const parkedKey = (group: GroupMessage): string => `${group.channelId}!${toBase64Url(group.sender)}!${toBase64Url(group.chainId)}!${String(group.iteration).padStart(10, '0')}`

/** What a parked message counts against (parked-budget.ts), from its key and its stored value. */
const parkedOf = (key: string, value: { frame: string, from: string }): { channel: string, from: string, bytes: number } =>
  ({ channel: key.slice(0, key.indexOf('!')), from: value.from, bytes: value.frame.length })

export class ChannelReceiver<Entry> {
  private readonly parked = new ParkedBudget()

  constructor (private readonly context: ChannelContext<Entry>, private readonly needLog: (channel: string, from: string) => void) {}

  async load (): Promise<void> {
    for await (const [key, value] of this.context.db.parkedGroup.iterator()) this.parked.add(key, parkedOf(key, value))
  }

  /** A group message; resolves with its id once stored (or an id of the bytes once parked). */
  async receiveFrame (inbound: InboundMessage): Promise<string> {
    const frame = decodeChannelFrame(inbound.sealed)
    const group = coded(() => decodeGroupMessage(frame.group))
    const held = this.context.store.get(group.channelId)
    if (held === undefined || lacksHeads(held, frame.heads)) {
      // The log (or the part the author had) has not reached us: fetch it, read the message then.
      this.needLog(group.channelId, inbound.from)
      return await this.park(group, inbound, () => { const now = this.context.store.get(group.channelId); return now !== undefined && !lacksHeads(now, frame.heads) })
    }
    const refusal = held.log.postRefusal(group.sender, frame.heads, group.chainId, group.iteration)
    if (refusal !== null) throw new CausetteError(refusal, POST_REFUSALS[refusal])
    const record = this.context.store.senderKey(group.channelId, group.sender)
    let opened
    try {
      if (record === undefined) throw new E2eError('E2E_NO_SENDER_KEY', 'no sender key yet')
      opened = decryptGroupMessage(record, group)
    } catch (error) {
      if (error instanceof E2eError && error.code === 'E2E_NO_SENDER_KEY') return await this.park(group, inbound, () => this.context.store.senderKey(group.channelId, group.sender) !== record)
      throw coded(() => { throw error })
    }
    // The key is spent now: whatever is refused below, the next record is written (spent-key.ts).
    const key = this.context.store.useKey(group.channelId, group.sender, opened.spent)
    const parkedAs = parkedKey(group)
    const ops: BatchOp[] = [this.context.store.setSenderKey(opened.nextRecord, opened.spent), { type: 'del', sublevel: this.context.db.parkedGroup, key: parkedAs }]
    try {
      return await settleSpentKey(key, async () => { await this.context.commit.write([], ops) }, async () => await this.store(held.log.channelId, group, inbound, opened.plaintext, ops))
    } finally {
      await this.forgetIfGone(parkedAs)
    }
  }

  /** A parked message no longer on disk (stored, or refused for good) no longer counts against the budget. */
  private async forgetIfGone (key: string): Promise<void> {
    if (!this.parked.has(key)) return
    if (await this.context.db.parkedGroup.get(key).catch(() => '') === undefined) this.parked.remove(key)
  }

  /** The signed message inside a group message: accepted as any other (signed-message.ts), stored with the channel's record. */
  private async store (channel: string, group: GroupMessage, inbound: InboundMessage, plaintext: Uint8Array, ops: BatchOp[]): Promise<string> {
    const author = peerIdOf(group.sender)
    const payload = {
      plaintext,
      author: { peerId: author, device: group.sender },
      conversation: channelConversationId(channel),
      // A channel lives in a workspace: with none, no statement matches.
      workspace: this.context.workspaceId() ?? ''
    }
    return await this.context.acceptor.accept(payload, { channel, group: toBase64(inbound.sealed) }, async (message, displaced) => {
      const held = this.context.store.get(channel)!
      const current = held.record
      const counted = message.amends === undefined
      this.context.store.unstored.delete(channel, author, message.seq)
      this.context.store.carried(channel, group.sender, group.chainId) // the sender may start another chain (checkFreshChain)
      const record = {
        ...current,
        received: { ...current.received, [author]: addSeq(current.received[author] ?? EMPTY_SEQ_SET, message.seq, MAX_SYNC_SEQS_ABOVE) },
        // An edit, retraction or reaction is not a new message to read.
        ...(counted
          ? { lastMessageId: arrivalOf(message) >= current.lastTime ? message.id : current.lastMessageId, lastTime: Math.max(current.lastTime, arrivalOf(message)), unread: current.unread + 1 }
          : {})
      }
      // Straight from its author, our ack tells it "delivered"; brought by a carrier or a member
      // serving catch-up, a signed receipt is the author's only news (its marker in this batch).
      const owed = inbound.from !== author
      try {
        await this.context.commit.write([this.context.journal.messageReceived(message)], [...ops, ...displaced.ops, ...messageOps(this.context.db, message), ...this.context.search.indexOps(message), this.context.store.setRecord(record), ...(owed ? [this.context.receipts.owedOp(message)] : [])])
      } catch (error) {
        this.unstore(held, author, message.seq, counted)
        throw error
      }
      displaced.announce()
      if (owed) this.context.receipts.owe(message)
      this.context.changed({ type: 'channel-message', message })
      this.context.changed({ type: 'channel', channel })
    })
  }

  /** A message's batch failed: the channel's record no longer counts it, nor claims its seq. */
  private unstore (held: HeldChannel, author: string, seq: number, counted: boolean): void {
    const { unstored } = this.context.store
    unstored.add(held.record.id, author, seq)
    held.record = { ...held.record, received: unstored.without(held.record.id, held.record.received), unread: Math.max(0, held.record.unread - (counted ? 1 : 0)) }
  }

  /**
   * Keeps a message that cannot be read yet. What it waits for (the log, or the sender's chain) may
   * arrive while it is being written, and that arrival's retry would not see it: `arrived` says so,
   * and it is retried at once.
   */
  private async park (group: GroupMessage, inbound: InboundMessage, arrived: () => boolean): Promise<string> {
    const key = parkedKey(group)
    const value = { frame: toBase64(inbound.sealed), from: inbound.from, parkedAt: this.context.now() }
    // Counted before the write, so that parks arriving together see each other; a copy already parked counts once.
    const fresh = !this.parked.has(key)
    if (fresh) {
      const parked = parkedOf(key, value)
      const refusal = this.parked.refusal(parked.channel, parked.from, parked.bytes)
      if (refusal !== undefined) throw new CausetteError('E2E_NO_SENDER_KEY', refusal)
      this.parked.add(key, parked)
    }
    try {
      await this.context.commit.write([], [{ type: 'put', sublevel: this.context.db.parkedGroup, key, value }])
    } catch (error) {
      if (fresh) this.parked.remove(key)
      throw error
    }
    if (arrived()) void this.retryParked(group.channelId, group.sender).catch(() => {})
    return toBase64Url(sha256(inbound.sealed))
  }

  /** Tries again the parked messages of a channel (of one sender, when its chain arrived). */
  async retryParked (channel: string, sender?: Uint8Array): Promise<number> {
    const prefix = sender === undefined ? `${channel}!` : `${channel}!${toBase64Url(sender)}!`
    const parked: Array<[string, { frame: string, from: string }]> = []
    for await (const entry of this.context.db.parkedGroup.iterator({ gt: prefix, lt: `${prefix}\uffff` })) parked.push(entry)
    let stored = 0
    for (const [key, value] of parked) {
      try {
        await this.receiveFrame({ from: value.from, fromKey: new Uint8Array(), sealed: fromBase64(value.frame) })
        if (await this.context.db.parkedGroup.get(key) === undefined) stored++
      } catch (error) {
        // Refused for good; not a fault of ours (the disk is full), after which it stays parked.
        if (!isReceiverFault(error)) await this.context.commit.write([], [{ type: 'del', sublevel: this.context.db.parkedGroup, key }])
      }
      await this.forgetIfGone(key)
    }
    return stored
  }

  /** Drops the messages parked before `before` (their key never came). */
  async dropParked (before: number): Promise<number> {
    const old: string[] = []
    for await (const [key, value] of this.context.db.parkedGroup.iterator()) if (value.parkedAt < before) old.push(key)
    if (old.length === 0) return 0
    await this.context.commit.write([], old.map(key => ({ type: 'del', sublevel: this.context.db.parkedGroup, key })))
    for (const key of old) this.parked.remove(key)
    return old.length
  }

  /** How many sender keys of `sender` we hold for channels whose log we do not. */
  private unheldSenderKeys (sender: Uint8Array): number {
    return this.context.store.allSenderKeys().filter(record => this.context.store.get(record.channelId) === undefined && equals(record.sender, sender)).length
  }

  /** A distribution over the pairwise session with `contact`; `sessionOp` (the ratchet step) is written with it. */
  async receiveDistribution ({ contact, plaintext, sessionOp }: OpenedPairwise): Promise<string> {
    const from = fromBase64(contact.deviceKey)
    const distribution = coded(() => decodeDistributionPayload(plaintext))
    const held = this.context.store.senderKey(distribution.channelId, distribution.sender)
    const channel = this.context.store.get(distribution.channelId)
    const channelUnknown = channel === undefined
    if (held === undefined && channelUnknown && this.unheldSenderKeys(distribution.sender) >= MAX_UNHELD_SENDER_KEYS_PER_PEER) {
      throw new CausetteError('CHANNEL_NOT_MEMBER', `this member already gave us sender keys of ${MAX_UNHELD_SENDER_KEYS_PER_PEER} channels whose log we do not hold`)
    }
    if (held !== undefined && isFreshChain(held, distribution.chainId)) {
      const refusal = freshChainRefusal(channel?.log.state().members.map(member => member.device), held)
      if (refusal !== undefined) throw new CausetteError(refusal.code, refusal.message)
    }
    const record = coded(() => acceptDistribution(held, distribution, from, this.context.now()))
    // A chain we hold already, handed over again: its ratchet step only. It was journaled when it
    // came, and the journal is never trimmed: each copy was a new entry, as many as a colleague sent.
    if (record === held) {
      await this.context.commit.write([], [sessionOp])
      return `sender-key-${toBase64Url(distribution.chainId)}`
    }
    const entry = this.context.journal.senderKey({ time: this.context.now(), direction: 'received', peer: contact.peerId, channel: distribution.channelId, chain: toBase64(sha256(distribution.chainId)), generation: distribution.generation })
    await this.context.commit.write([entry], [sessionOp, this.context.store.setSenderKey(record)])
    if (channelUnknown) this.needLog(distribution.channelId, contact.peerId)
    else void this.retryParked(distribution.channelId, distribution.sender).catch(() => {})
    return `sender-key-${toBase64Url(distribution.chainId)}`
  }
}

/** A chain the record does not hold yet (a rotation, or a made-up one). */
function isFreshChain (held: SenderKeyRecord, chainId: Uint8Array): boolean {
  return !held.chains.some(chain => equals(chain.chainId, chainId))
}
