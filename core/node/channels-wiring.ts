// Channels wired into the node: the channel store loaded from the profile, the
// /causette/channels/1.0.0 handler (members only, abuse limits), log replication on every
// connection, daily pruning of retired sender keys, channel events (a member's delivery state of our
// messages too), and the channel half of the node's API. Built before the messenger (which takes
// `inbound`); the messenger is handed over at start (its flush and its receipt writer).
import type { Libp2p, StreamHandler } from '@libp2p/interface'
import type { Signer } from '../../crypto/signing.js'
import type { ChannelChange } from '../channels/context.js'
import { ChannelStore } from '../channels/store.js'
import { ChannelService, type ChannelInbound } from '../channels/service.js'
import { channelDelivery, channelMessageView } from '../channels/views.js'
import { announceStored, type AmendedReads } from './amended-events.js'
import { AmendedIds } from '../store/amended-ids.js'
import { channelEntryEntry, senderKeyEntry, type JournalEntry } from '../journal/entry.js'
import { nodeLogPrimitives } from '../journal/primitives.js'
import type { ContactBook } from '../messaging/contact-book.js'
import type { MessageTransport } from '../messaging/delivery.js'
import type { JournalPort } from '../messaging/journal-port.js'
import type { Outbox } from '../messaging/outbox.js'
import type { ReceiptWriter } from '../messaging/receipts.js'
import type { SearchPort } from '../messaging/search-port.js'
import type { Sessions } from '../messaging/sessions.js'
import { sendClaim, type SendOnce } from '../messaging/send-once.js'
import type { SignedMessageAcceptor } from '../messaging/signed-message.js'
import { handleChannelStream } from '../protocol/channel-protocol.js'
import { CHANNEL_PROTOCOL } from '../protocol/protocol-ids.js'
import type { BatchOp } from '../store/batch.js'
import type { Database } from '../store/database.js'
import type { GroupCommit } from '../store/group-commit.js'
import type { MessageRecord } from '../store/records.js'
import { takenOutEvent } from './views.js'
import type { EventLog } from './events.js'
import { Port } from './port.js'
import type { ChannelApi } from '../api/node-api.js'
import type { FileService } from '../files/file-service.js'
import type { WiredFiles } from './files-wiring.js'

const PRUNE_INTERVAL_MS = 24 * 3_600_000

export interface ChannelsWiring {
  host: Libp2p
  db: Database
  contacts: ContactBook
  outbox: Outbox
  sessions: Sessions
  acceptor: SignedMessageAcceptor
  commit: Pick<GroupCommit<JournalEntry, BatchOp>, 'write'>
  journal: Pick<JournalPort<JournalEntry>, 'messageSent' | 'messageReceived'>
  events: EventLog
  me: { peerId: string, deviceKey: Uint8Array, sign: Signer }
  /** How a peer is named in views: a contact's name, ours for us (node/views.ts nameOf). */
  nameOf: (peerId: string) => string
  /** The tag beside a name another known person goes by too (node/shared-names.ts). */
  tagOf: (peerId: string) => string | undefined
  workspaceId: () => string | undefined
  /** A member of the workspace (a removed device is gone from every channel). */
  inWorkspace: (peer: string) => boolean
  /** Us, a member, or a device removed since. */
  wasInWorkspace: (peer: string) => boolean
  /** Calls `listener` when a device is admitted to the workspace (a channel it created, refused until now, may come). */
  onAdmitted: (listener: () => void) => void
  /** May run our protocols. */
  allowed: (peer: string) => boolean
  /** Wraps the handler: members only, abuse limits. */
  guard: (handler: StreamHandler) => StreamHandler
  /** Whether the user shares read receipts (settings). */
  readReceipts: () => boolean
  search: SearchPort
  send: MessageTransport['send']
  log: (format: string, ...args: unknown[]) => void
  /** The node's clock. */
  now: () => number
  /** Attachments: noted when a message is stored, shown in its views, taken from staged files when sending. */
  files: Pick<WiredFiles, 'noteStored' | 'attachmentsOf' | 'service'>
  /** Sends retried with their sendId send nothing again (shared with 1:1 sends). */
  sendOnce: SendOnce
}

/** What the channels use of the messenger, handed at start: it is built after them. */
export interface ChannelsMessenger {
  flush: (peer: string) => void
  /** The receipt writer channel receipts go through. */
  readonly receipts: ReceiptWriter<JournalEntry>
}

export interface WiredChannels {
  api: ChannelApi
  inbound: ChannelInbound
  /** One of our channel messages moved on at a member (delivery): emits `channel-message-state`. */
  messageStateChanged: (message: MessageRecord) => void
  /** Registers the protocol and the replication, starts the pruning. */
  start: (messenger: ChannelsMessenger) => Promise<void>
  stop: () => Promise<void>
}

export async function buildChannels (components: ChannelsWiring): Promise<WiredChannels> {
  const messenger = new Port<ChannelsMessenger>('the messenger of the channels')
  const storedReads = { db: components.db, amended: new AmendedIds(components.db) }
  const store = await ChannelStore.load(components.db, nodeLogPrimitives, (channel, error) => { components.log('channel %s: its stored log does not verify (what verifies is kept): %e', channel, error) })
  components.acceptor.forgetsWith('channel', message => store.forgetTakenOut(message), copy => {
    components.events.emit(takenOutEvent(copy))
    if (copy.channel !== undefined) announceChannelChange({ type: 'channel', channel: copy.channel }, { components, store, service, storedReads })
  })
  const service: ChannelService<JournalEntry> = new ChannelService<JournalEntry>({
    context: {
      db: components.db,
      store,
      contacts: components.contacts,
      outbox: components.outbox,
      sessions: components.sessions,
      acceptor: components.acceptor,
      commit: components.commit,
      journal: {
        messageSent: components.journal.messageSent,
        messageReceived: components.journal.messageReceived,
        channelEntry: e => channelEntryEntry(e),
        senderKey: k => senderKeyEntry(k)
      },
      me: components.me,
      workspaceId: components.workspaceId,
      inWorkspace: components.inWorkspace,
      wasInWorkspace: components.wasInWorkspace,
      flush: peer => { messenger.get().flush(peer) },
      receipts: {
        owedOp: message => messenger.get().receipts.owedOp(message),
        owe: message => { messenger.get().receipts.owe(message) },
        seal: (contact, conversation, state, ids) => messenger.get().receipts.seal(contact, conversation, state, ids)
      },
      readReceipts: components.readReceipts,
      search: components.search,
      changed: change => { announceChannelChange(change, { components, store, service, storedReads }) },
      now: components.now
    },
    host: components.host,
    transport: { send: components.send },
    allowed: components.allowed,
    nameOf: components.nameOf,
    tagOf: components.tagOf,
    resolvePeer: peer => components.contacts.resolve(peer).peerId,
    attachmentsOf: components.files.attachmentsOf,
    log: components.log
  })
  await service.receiver.load()
  const prune = (): void => { void service.prune().catch(error => { components.log('could not prune sender keys: %e', error) }) }
  let timer: ReturnType<typeof setInterval> | undefined

  return {
    inbound: service.inbound,
    messageStateChanged: m => {
      if (m.channel !== undefined && m.members !== undefined) components.events.emit({ type: 'channel-message-state', id: m.id, channel: m.channel, delivery: channelDelivery(m.members, components.nameOf) })
    },
    api: channelApi(service, components.files.service, components.sendOnce),
    start: async handedMessenger => {
      messenger.connect(handedMessenger)
      await components.host.handle(CHANNEL_PROTOCOL, components.guard((stream, connection) => { void handleChannelStream(stream, connection, service.replicator) }))
      components.host.addEventListener('connection:open', (event) => { service.replicator.sync(event.detail.remotePeer.toString()) })
      // A channel of a member we had not heard of yet was refused: the peers that hold it send it again.
      components.onAdmitted(() => { for (const connection of components.host.getConnections()) service.replicator.sync(connection.remotePeer.toString()) })
      timer = setInterval(prune, PRUNE_INTERVAL_MS)
      timer.unref()
    },
    stop: async () => {
      clearInterval(timer)
      await service.stop()
    }
  }
}

/** What a change of the channels tells the app: a channel's new view, or a message stored (shown first, or as its amendments change it). */
function announceChannelChange (change: ChannelChange, { components, store, service, storedReads }: { components: ChannelsWiring, store: ChannelStore, service: ChannelService<JournalEntry>, storedReads: AmendedReads }): void {
  if (change.type === 'channel') {
    const held = store.get(change.channel)
    if (held !== undefined) components.events.emit({ type: 'channel', channel: service.view(held) })
    return
  }
  components.files.noteStored(change.message)
  const views = { first: (message: MessageRecord) => channelMessageView(message, components, undefined, components.files.attachmentsOf), current: async (message: MessageRecord) => await service.shown(message) }
  announceStored(storedReads, components.me.peerId, change.message, views, {
    added: message => { components.events.emit({ type: 'channel-message', message }) },
    updated: message => { components.events.emit({ type: 'channel-message-updated', message }) }
  }, components.log)
}

/** The channel half of the node's API, over the channel service; files a message carries come from those staged. */
function channelApi (service: ChannelService<JournalEntry>, files: Pick<FileService, 'sendWith' | 'stagedContent' | 'dropRestaged'>, sendOnce: SendOnce): ChannelApi {
  return {
    channels: async () => await service.channels(),
    channel: async id => await service.channel(id),
    createChannel: async (name, topic, options) => await service.create(name, topic, options),
    joinChannel: async id => await service.join(id),
    updateChannel: async (id, update) => await service.update(id, update),
    inviteToChannel: async (id, peers) => await service.invite(id, peers),
    removeFromChannel: async (id, peer) => await service.remove(id, peer),
    leaveChannel: async id => await service.leave(id),
    channelMessages: async (id, query) => await service.messages(id, query),
    sendToChannel: async (id, text, options = {}) => {
      const { attachments: requests, sendId, ...rest } = options
      // Checked before the staged files are taken: a retry's files went with the first send.
      const claim = sendId === undefined ? undefined : sendClaim(sendId, { to: `channel:${service.resolve(id).log.channelId}`, text, attachments: requests, ...rest }, file => files.stagedContent(file))
      return await sendOnce.run(claim, async () => await files.sendWith(requests, async attachments => await service.send(id, text, {
        ...rest,
        ...(attachments !== undefined ? { attachments } : {}),
        ...(claim !== undefined ? { sendClaim: claim } : {})
      })), async message => { await files.dropRestaged(requests); return await service.shown(message) })
    },
    amendChannelMessage: async (id, messageId, request) => await service.amend(id, messageId, request),
    markChannelRead: async id => { await service.markRead(id) },
    muteChannel: async (id, request) => await service.mute(id, request)
  }
}
