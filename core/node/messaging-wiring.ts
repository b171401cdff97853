// 1:1 messaging wired into the node: the messenger (loaded from the profile) with its transport
// (direct, or through a colleague who carries), its changes turned into the node's events, and the
// message, catch-up and record protocols it answers (members only, under the per-peer limits).
import { CausetteError } from '../errors.js'
import type { MessageView } from '../api/schema.js'
import type { JournalEntry } from '../journal/entry.js'
import { shownMessage } from '../messaging/amendments.js'
import { Messenger, type MessageChange } from '../messaging/messenger.js'
import { handleMessageStream } from '../protocol/message-handler.js'
import { routeInbound } from '../protocol/inbound-router.js'
import { MAX_MESSAGE_STREAMS_PER_CONNECTION } from '../protocol/limits.js'
import { MESSAGE_PROTOCOL, RECORD_PROTOCOL, SYNC_PROTOCOL } from '../protocol/protocol-ids.js'
import { pacedResponder } from '../protocol/sync-pace.js'
import { handleSyncStream } from '../protocol/sync-protocol.js'
import { AmendedIds } from '../store/amended-ids.js'
import type { ContactRecord, MessageRecord } from '../store/records.js'
import { announceStored } from './amended-events.js'
import type { Carrying } from './carrying-wiring.js'
import type { WiredChannels } from './channels-wiring.js'
import type { ContactSync } from './contact-sync.js'
import type { Network } from './network.js'
import type { NodeProfile } from './node-profile.js'
import type { NodeStores } from './node-stores.js'
import type { WiredPresence } from './presence-wiring.js'
import { conversationView, messageView, nameOf, silentOf, takenOutEvent, type ViewContext } from './views.js'

export interface MessagingComponents {
  profile: NodeProfile
  stores: NodeStores
  network: Network
  views: ViewContext
  contactSync: ContactSync<JournalEntry>
  carrying: Carrying
  channels: Pick<WiredChannels, 'inbound' | 'messageStateChanged'>
  presence: Pick<WiredPresence, 'focusUntil'>
  /** A stored message's attachments get their records and fetches (core/node/files-wiring.ts). */
  noteStored: (message: MessageRecord) => void
  now: () => number
}

export interface WiredMessaging {
  messenger: Messenger<JournalEntry>
  /** A 1:1 message as the API shows it, with what later messages did to it (core/messaging/amendments.ts). */
  shownView: (message: MessageRecord) => Promise<MessageView>
  /** Registers the message, catch-up and record protocols. */
  start: () => Promise<void>
}

export async function buildMessaging (components: MessagingComponents): Promise<WiredMessaging> {
  const { profile, stores, network, views, contactSync } = components
  const { db, events } = stores
  const { ws, host, limited, log } = network
  const storedReads = { db, amended: new AmendedIds(db) }

  async function shownView (message: MessageRecord): Promise<MessageView> {
    return messageView(views, message, await shownMessage(db, message, { nameOf: peer => nameOf(views, peer), tagOf: views.nameTagOf }, profile.device.peerId))
  }

  /** The contact of a member, from the membership log if we never met it (a carried message's author). */
  async function memberContact (peer: string): Promise<ContactRecord> {
    const member = ws.membership.member(peer)
    if (!network.isMember(peer)) throw new CausetteError('NOT_A_MEMBER', 'a carried message from someone who is not a member')
    return stores.contacts.get(peer) ?? await contactSync.adopt(peer, member!)
  }

  // Built once, not for every message: each closure named in an object costs a defineProperty
  // under esbuild's keepNames (tsx, the packaged bundle).
  const storedViews = { first: (m: MessageRecord) => messageView(views, m), current: shownView }
  const storedEvents = {
    added: (message: MessageView) => { events.emit({ type: 'message', message }) },
    updated: (message: MessageView) => { events.emit({ type: 'message-updated', message }) }
  }

  function announce (change: MessageChange): void {
    if (change.type === 'conversation') {
      events.emit({ type: 'conversation', conversation: conversationView(views, change.conversation, undefined) })
    } else if (change.type === 'message') {
      components.noteStored(change.message)
      announceStored(storedReads, profile.device.peerId, change.message, storedViews, storedEvents, log)
    } else if (change.message.channel !== undefined) {
      components.channels.messageStateChanged(change.message)
    } else {
      const m = change.message
      events.emit({ type: 'message-state', id: m.id, conversation: m.conversation, state: m.state, stateTime: m.stateTime, stateTimes: m.stateTimes, ...(m.stateReason !== undefined ? { stateReason: m.stateReason } : {}), ...silentOf(m) })
    }
  }

  const messenger = await Messenger.load({
    db,
    contacts: stores.contacts,
    outbox: stores.outbox,
    sessions: stores.sessions,
    acceptor: stores.acceptor,
    commit: stores.commit,
    journal: stores.journal.port,
    transport: {
      isConnected: network.isConnected,
      send: async (peer, envelope) => await network.sender.send(peer, envelope),
      ...components.carrying.transport
    },
    changed: announce,
    workspaceId: () => ws.membership.workspace?.id,
    ensureContact: async (peer, relayed) => relayed ? await memberContact(peer) : await contactSync.ensure(peer),
    readReceipts: () => profile.settings.readReceipts,
    channels: components.channels.inbound,
    search: stores.search,
    silentUntil: (peer, conversation) => components.presence.focusUntil(peer, conversation)
  }, profile.device, components.now)
  stores.acceptor.forgetsWith('direct', message => messenger.forgetTakenOut(message), copy => {
    events.emit(takenOutEvent(copy))
    const record = messenger.listConversations().find(conversation => conversation.id === copy.conversation)
    if (record !== undefined) announce({ type: 'conversation', conversation: record })
  })

  return {
    messenger,
    shownView,
    start: async () => {
      const inbound = routeInbound({ pairwise: messenger, channels: components.channels.inbound })
      const catchUp = pacedResponder(messenger.catchUp)
      await host.handle(MESSAGE_PROTOCOL, limited(MESSAGE_PROTOCOL, ws.membersOnly((stream, connection) => {
        void handleMessageStream(stream, connection, inbound, network.limits)
      })), { maxInboundStreams: MAX_MESSAGE_STREAMS_PER_CONNECTION })
      await host.handle(SYNC_PROTOCOL, limited(SYNC_PROTOCOL, ws.membersOnly((stream, connection) => { void handleSyncStream(stream, connection, catchUp) })))
      await host.handle(RECORD_PROTOCOL, limited(RECORD_PROTOCOL, ws.membersOnly((stream, connection) => { contactSync.handle(stream, connection) })))
    }
  }
}
