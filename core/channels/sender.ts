// Sending in a channel (docs/channels.md §3 and §4): rotate our chain if a member it went to left
// (or the timer ran out, or we are back after a departure that named it), queue our chain to each
// member who lacks it in its outbox *before* the message, sign the statement, encrypt once with the
// chain, and queue the same group message for every member; all in one batch with the journal.
// Delivery and carriers then move opaque bytes.
import { channelConversationId, lostMembers, type ChannelState } from '../../crypto/channel-log.js'
import { equals, fromBase64, toBase64 } from '../../crypto/encoding.js'
import { distributionOf, encryptGroupMessage, newSenderChain, rotationDue, type OwnSenderChain } from '../../crypto/e2e/sender-key.js'
import { sha256 } from '../../crypto/sha256.js'
import { CausetteError } from '../errors.js'
import { groupItemId, type OutboxItem } from '../messaging/outbox.js'
import { checkContent, checkOwnAmendment, composeMessage } from '../messaging/signed-message.js'
import type { MessageBody } from '../messaging/body.js'
import { sendIdOp, type SendClaim } from '../messaging/send-once.js'
import { encodeChannelFrame } from '../protocol/channel-frame.js'
import type { BatchOp } from '../store/batch.js'
import { messageOps } from '../store/database.js'
import type { MessageRecord } from '../store/records.js'
import { peerIdOf, requireChannel, type ChannelContext } from './context.js'
import type { HeldChannel } from './store.js'
import { distributionItemId, encodeDistributionPayload } from './distribution.js'

/** `sendClaim`: a client's sendId, stored in the message's batch (core/messaging/send-once.ts). */
export interface ChannelSendOptions { urgent?: string, sendClaim?: SendClaim }

/** Another member a message goes to: its device and its PeerId. */
interface Reader { device: Uint8Array, peer: string }

/** Our chain handed to the members who lacked it, queued before the message, and what records it. */
interface Distribution<Entry> { items: OutboxItem[], ops: BatchOp[], entries: Entry[], distributedTo: Set<string> }

export class ChannelSender<Entry> {
  constructor (private readonly context: ChannelContext<Entry>) {}

  async send (channel: string, content: MessageBody, options: ChannelSendOptions = {}): Promise<MessageRecord> {
    const held = requireChannel(this.context.store, channel)
    const state = held.log.state()
    const me = this.context.me
    if (state.archived) throw new CausetteError('CHANNEL_ARCHIVED', 'the channel is archived')
    if (!state.members.some(m => equals(m.device, me.deviceKey))) throw new CausetteError('CHANNEL_NOT_MEMBER', 'you are not a member of this channel')
    const checked = checkContent(content, options.urgent)
    await checkOwnAmendment(this.context.db, checked, me.peerId, channelConversationId(channel))
    const now = this.context.now()

    // Members, less those the workspace removed: they are gone from every channel.
    const members = state.members.filter(m => equals(m.device, me.deviceKey) || this.context.inWorkspace(peerIdOf(m.device)))
    const others = members.filter(m => !equals(m.device, me.deviceKey)).map(m => ({ device: m.device, peer: peerIdOf(m.device) }))
    const { chain, distributedTo } = this.#currentChain(held, { ...state, members }, now)
    const distribution = this.#distribute(channel, chain, others, distributedTo, now)
    const readers = others.filter(m => distribution.distributedTo.has(toBase64(m.device)))

    const seq = held.record.lastSeq + 1
    const composed = composeMessage(me, checked, {
      workspace: state.workspace,
      conversation: channelConversationId(channel),
      // Who can read it: those holding the chain (a channel of one names its author).
      recipients: readers.length > 0 ? readers.map(m => m.device) : [me.deviceKey],
      peer: channel,
      seq,
      time: now,
      state: 'sent',
      stateTimes: { queued: now, sent: now }
    })
    const id = composed.message.id
    const { message: group, nextChain } = encryptGroupMessage(chain, composed.payload)
    const heads = held.log.heads()
    const items = [...distribution.items, ...readers.map(member => ({ id: groupItemId(id, member.peer), peer: member.peer, time: now, sealed: encodeChannelFrame({ group, heads, to: member.peer }), copyOf: id }))]

    const message: MessageRecord = {
      ...composed.message,
      channel,
      group: toBase64(encodeChannelFrame({ group, heads, to: '' })),
      // Each reader's copy moves on with its ack or receipt (core/messaging/state-moves.ts).
      members: Object.fromEntries(readers.map(m => [m.peer, { state: 'sent', time: now }]))
    }
    // An edit, retraction or reaction is shown on the message it amends, not as the channel's latest.
    const latest = checked.amendment === undefined ? { lastMessageId: id, lastTime: now } : {}
    const record = { ...held.record, lastSeq: seq, distributedTo: [...distribution.distributedTo], ...latest }
    const journalPeer = readers[0]?.peer ?? me.peerId
    await this.context.commit.write([...distribution.entries, this.context.journal.messageSent({ ...message, peer: journalPeer })], [
      ...distribution.ops,
      ...messageOps(this.context.db, message),
      ...this.context.search.indexOps(message),
      this.context.store.setOwnChain(nextChain),
      this.context.store.setRecord(record),
      ...items.map(item => this.context.outbox.addOp(item)),
      ...(options.sendClaim !== undefined ? [sendIdOp(this.context.db, options.sendClaim, message)] : [])
    ])
    for (const item of items) this.context.outbox.added(item)
    for (const member of readers) this.context.flush(member.peer)
    this.context.changed({ type: 'channel-message', message })
    this.context.changed({ type: 'channel', channel })
    return message
  }

  /** Our chain in the channel, and whom it went to: a new one if a member it went to left, or the timer ran out. */
  #currentChain (held: HeldChannel, state: ChannelState, now: number): { chain: OwnSenderChain, distributedTo: string[] } {
    const chain = this.context.store.ownChain(held.log.channelId)
    const distributedTo = held.record.distributedTo
    if (chain === undefined || rotationDue(chain, now) || lostMembers(distributedTo.map(fromBase64), state).length > 0 || this.#endedByDeparture(chain, state)) {
      return { chain: newSenderChain(held.log.channelId, this.context.me.deviceKey, now, chain), distributedTo: [] }
    }
    return { chain, distributedTo }
  }

  /** Whether a departure of ours (we left or were removed, and are back) named this chain: a new membership sends on a new chain. */
  #endedByDeparture (chain: OwnSenderChain, state: ChannelState): boolean {
    const me = this.context.me.deviceKey
    return state.departures.some(d => equals(d.device, me) && d.chains?.some(named => equals(named.chainId, chain.chainId)) === true)
  }

  /** Our chain, from this message on, sealed to each member who lacks it (a member whose key changed waits for the next send). */
  #distribute (channel: string, chain: OwnSenderChain, others: Reader[], distributedTo: string[], now: number): Distribution<Entry> {
    const distribution: Distribution<Entry> = { items: [], ops: [], entries: [], distributedTo: new Set(distributedTo) }
    for (const member of others) {
      const key = toBase64(member.device)
      if (distribution.distributedTo.has(key)) continue
      const contact = this.context.contacts.get(member.peer)
      if (contact === undefined || contact.keyChanged !== undefined) continue // not reachable safely: next send tries again
      const { sealed, op } = this.context.sessions.seal(contact, encodeDistributionPayload(distributionOf(chain)))
      distribution.ops.push(op)
      distribution.items.push({ id: distributionItemId(chain.chainId, member.peer), peer: member.peer, time: now, sealed })
      distribution.entries.push(this.context.journal.senderKey({ time: now, direction: 'sent', peer: member.peer, channel, chain: toBase64(sha256(chain.chainId)), generation: chain.generation }))
      distribution.distributedTo.add(key)
    }
    return distribution
  }
}
