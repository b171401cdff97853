// The channels of this node, assembled: the store, our membership changes and the peers', sending,
// receiving (with parking), catch-up and log replication; and the API's channel methods. The node
// builds one (node/channels-wiring.ts) and hands its `inbound` half to the protocol edge's router
// (group messages, distributions) and to the messenger (catch-up).
import type { Libp2p } from '@libp2p/interface'
import { channelConversationId } from '../../crypto/channel-log.js'
import { fromBase64 } from '../../crypto/encoding.js'
import { pruneSenderKeys, RETIRED_CHAIN_KEEP_MS } from '../../crypto/e2e/sender-key.js'
import type { ChannelMessagesQuery, ChannelMessageView, ChannelMute, ChannelView } from '../api/schema.js'
import { CausetteError } from '../errors.js'
import type { MessageTransport } from '../messaging/delivery.js'
import type { ChannelPayloadReceiver } from '../protocol/inbound-router.js'
import { heldMessage } from '../store/database.js'
import type { MessageRecord } from '../store/records.js'
import { conversationPage, conversationPageAfter, conversationPageAround } from '../store/conversation-page.js'
import { amendmentBody, shownMessage, showsAsItsBody, type AmendRequest } from '../messaging/amendments.js'
import { storedBody, type MessageBody } from '../messaging/body.js'
import type { GroupCatchUp } from '../messaging/catch-up.js'
import type { OpenedPairwise } from '../messaging/sessions.js'
import type { SendClaim } from '../messaging/send-once.js'
import { ChannelCatchUp } from './catch-up.js'
import { requireChannel, type ChannelContext } from './context.js'
import { ChannelMembership } from './membership.js'
import { readChannel } from './reading.js'
import { ChannelReceiver } from './receiver.js'
import { ChannelReplicator } from './replicator.js'
import { ChannelSender } from './sender.js'
import type { HeldChannel } from './store.js'
import { channelMessageView, channelView, type AttachmentsOf, type NameOf, type TagOf } from './views.js'

/** What the channels take from peers: group messages and distributions (routed by the protocol edge), and catch-up (through the messenger's). */
export type ChannelInbound = ChannelPayloadReceiver<OpenedPairwise> & GroupCatchUp

export interface ChannelServiceOptions<Entry> {
  context: Omit<ChannelContext<Entry>, 'replicate'>
  host: Pick<Libp2p, 'getConnections'>
  transport: Pick<MessageTransport, 'send'>
  /** Whether a peer may run our protocols (a workspace member). */
  allowed: (peer: string) => boolean
  /** How a peer is named (a contact's name, ours for us). */
  nameOf: NameOf
  /** The tag beside a name another known person goes by too. */
  tagOf: TagOf
  resolvePeer: (nameOrPeerId: string) => string
  /** The attachments of a message as shown now. */
  attachmentsOf?: AttachmentsOf
  log: (format: string, ...args: unknown[]) => void
}

export class ChannelService<Entry> {
  readonly replicator: ChannelReplicator
  readonly membership: ChannelMembership<Entry>
  readonly receiver: ChannelReceiver<Entry>
  private readonly sender: ChannelSender<Entry>
  private readonly catchUp: ChannelCatchUp<Entry>
  private readonly context: ChannelContext<Entry>

  constructor (private readonly options: ChannelServiceOptions<Entry>) {
    this.context = { ...options.context, replicate: channel => { this.replicator.replicate(channel) } }
    this.membership = new ChannelMembership(this.context, channel => { this.logChanged(channel) })
    this.replicator = new ChannelReplicator(options.host, this.context.store, this.membership, options.allowed, options.log)
    this.receiver = new ChannelReceiver(this.context, (_channel, from) => { this.replicator.sync(from) })
    this.sender = new ChannelSender(this.context)
    this.catchUp = new ChannelCatchUp(this.context, options.transport)
  }

  get inbound (): ChannelInbound {
    return {
      receiveFrame: async inbound => await this.receiver.receiveFrame(inbound),
      receiveDistribution: async opened => await this.receiver.receiveDistribution(opened),
      heads: peer => this.catchUp.heads(peer),
      answer: async (peer, request, limit) => await this.catchUp.answer(peer, request, limit)
    }
  }

  /** The log of a channel grew: parked messages may be readable now, and the news spreads. */
  private logChanged (channel: string): void {
    void this.receiver.retryParked(channel).catch(error => { this.options.log('could not retry parked channel messages: %e', error) })
    this.replicator.replicate(channel)
  }

  /** Drops the retired chains kept past their time, and what waited parked as long (daily). */
  async prune (): Promise<void> {
    const now = this.context.now()
    const ops = this.context.store.allSenderKeys().map(r => ({ r, pruned: pruneSenderKeys(r, now) })).filter(x => x.pruned !== x.r).map(x => this.context.store.setSenderKey(x.pruned))
    if (ops.length > 0) await this.context.commit.write([], ops)
    await this.receiver.dropParked(now - RETIRED_CHAIN_KEEP_MS)
  }

  /** A channel by id, or by name when one channel has it. */
  resolve (idOrName: string): HeldChannel {
    const byId = this.context.store.get(idOrName)
    if (byId !== undefined) return byId
    const named = this.context.store.all().filter(h => h.log.state().name === idOrName)
    if (named.length === 1) return named[0]!
    if (named.length > 1) throw new CausetteError('BAD_REQUEST', `${named.length} channels are named "${idOrName}": use the channel id`)
    throw new CausetteError('NOT_FOUND', `no channel "${idOrName}"`)
  }

  view (held: HeldChannel): ChannelView {
    return channelView(held, this.context.me.deviceKey, this.options.nameOf, this.options.tagOf)
  }

  private deviceOf (peer: string): Uint8Array {
    const peerId = this.options.resolvePeer(peer)
    const contact = this.context.contacts.get(peerId)
    if (contact === undefined) throw new CausetteError('UNKNOWN_PEER', `no member "${peer}"`)
    return fromBase64(contact.deviceKey)
  }

  async channels (): Promise<ChannelView[]> {
    return this.context.store.all().map(h => this.view(h)).sort((a, b) => b.lastTime - a.lastTime || a.name.localeCompare(b.name))
  }

  async channel (id: string): Promise<ChannelView> { return this.view(this.resolve(id)) }

  async create (name: string, topic = '', options: { open?: boolean } = {}): Promise<ChannelView> {
    return this.view(await this.membership.create(name, topic, options.open ?? false))
  }

  /** Joins an open channel; the log refuses a private one (CHANNEL_NOT_INVITED) or a second join (CHANNEL_ALREADY_MEMBER). */
  async join (id: string): Promise<ChannelView> {
    return this.view(await this.membership.act(this.resolve(id).log.channelId, { kind: 'join' }))
  }

  async update (id: string, update: { topic?: string, archived?: true }): Promise<ChannelView> {
    const channel = this.resolve(id).log.channelId
    if (update.topic !== undefined) await this.membership.act(channel, { kind: 'topic', topic: update.topic })
    if (update.archived === true) await this.membership.act(channel, { kind: 'archive' })
    return this.view(requireChannel(this.context.store, channel))
  }

  async invite (id: string, peers: string[]): Promise<ChannelView> {
    const channel = this.resolve(id).log.channelId
    for (const device of peers.map(p => this.deviceOf(p))) await this.membership.act(channel, { kind: 'invite', device })
    return this.view(requireChannel(this.context.store, channel))
  }

  async remove (id: string, peer: string): Promise<ChannelView> {
    const channel = this.resolve(id).log.channelId
    return this.view(await this.membership.act(channel, { kind: 'remove', device: this.deviceOf(peer) }))
  }

  async leave (id: string): Promise<ChannelView> {
    return this.view(await this.membership.act(this.resolve(id).log.channelId, { kind: 'leave' }))
  }

  async send (id: string, text: string, options: { replyTo?: string, quote?: string, urgent?: string, attachments?: MessageBody['attachments'], sendClaim?: SendClaim } = {}): Promise<ChannelMessageView> {
    const channel = this.resolve(id).log.channelId
    const body: MessageBody = {
      text,
      ...(options.attachments !== undefined ? { attachments: options.attachments } : {}),
      ...(options.replyTo !== undefined ? { replyTo: options.replyTo } : {}),
      ...(options.quote !== undefined ? { quote: options.quote } : {})
    }
    const message = await this.sender.send(channel, body, {
      ...(options.urgent !== undefined ? { urgent: options.urgent } : {}),
      ...(options.sendClaim !== undefined ? { sendClaim: options.sendClaim } : {})
    })
    return showsAsItsBody(message, this.context.me.peerId) ? channelMessageView(message, this.options, undefined, this.options.attachmentsOf) : await this.shown(message)
  }

  /** Edits, deletes, reacts to or takes back a reaction to the message `messageId`: answers it as now shown. */
  async amend (id: string, messageId: string, request: AmendRequest): Promise<ChannelMessageView> {
    const channel = this.resolve(id).log.channelId
    const { target, body } = await amendmentBody(this.context.db, messageId, request, this.context.me.peerId)
    if (target.channel !== channel) throw new CausetteError('NOT_FOUND', 'no such message in this channel')
    if (body !== undefined) await this.sender.send(channel, body)
    return await this.shown(target)
  }

  /** A message as the API shows it, with what later messages did to it. */
  async shown (message: MessageRecord): Promise<ChannelMessageView> {
    const shown = await shownMessage(this.context.db, message, this.options, this.context.me.peerId)
    const view = channelMessageView(message, this.options, shown, this.options.attachmentsOf)
    // A reply in a thread begun before we joined may come without its first message: the app then
    // shows it in the timeline, which it could not know from a page that does not reach that far back.
    return shown.replyTo === undefined ? view : { ...view, replyToHeld: await heldMessage(this.context.db, shown.replyTo) !== undefined }
  }

  async messages (id: string, query: ChannelMessagesQuery = {}): Promise<ChannelMessageView[]> {
    const held = this.resolve(id)
    const conversation = channelConversationId(held.log.channelId)
    // Edits, retractions and reactions are shown on the message they amend, never as messages.
    const inThread = (m: MessageRecord): boolean => m.amends === undefined && (query.thread === undefined || m.id === query.thread || storedBody(m.text).replyTo === query.thread)
    const found = await this.page(conversation, query, inThread)
    // The app orders the same way (ui/src/state/history.svelte.ts): within a millisecond, an author's messages by seq.
    return await Promise.all(found.map(async m => await this.shown(m)))
  }

  /** A page of the channel: centred on a message (a search result), after a time, or before one (the default). */
  private async page (conversation: string, query: ChannelMessagesQuery, inThread: (m: MessageRecord) => boolean): Promise<MessageRecord[]> {
    const limit = Number(query.limit ?? 200)
    if (query.around !== undefined) {
      const page = await conversationPageAround(this.context.db, conversation, query.around, limit, inThread)
      if (page === undefined) throw new CausetteError('NOT_FOUND', 'no such message in this channel')
      return page
    }
    if (query.after !== undefined) return await conversationPageAfter(this.context.db, conversation, Number(query.after), limit, inThread)
    return await conversationPage(this.context.db, conversation, {
      since: query.since !== undefined ? Number(query.since) : undefined,
      before: query.before !== undefined ? Number(query.before) : undefined,
      limit,
      accept: inThread
    })
  }

  /** The user saw the channel: its messages are read, and their authors told so (reading.ts). */
  async markRead (id: string): Promise<void> {
    await readChannel(this.context, this.resolve(id))
  }

  async mute (id: string, request: ChannelMute): Promise<ChannelView> {
    const held = this.resolve(id)
    const { mutedUntil: _, ...rest } = held.record
    const until = request.forMinutes !== undefined ? this.context.now() + request.forMinutes * 60_000 : request.until ?? null
    await this.context.commit.write([], [this.context.store.setRecord(request.muted ? { ...rest, mutedUntil: until } : rest)])
    this.context.changed({ type: 'channel', channel: held.log.channelId })
    return this.view(requireChannel(this.context.store, held.log.channelId))
  }

  async stop (): Promise<void> {
    await this.replicator.stop()
  }
}
