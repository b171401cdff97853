// Presence wired into the node: the /causette/presence/1.0.0 handler (members only; a refused
// presence, a replay aside, is a strike against its sender), our presence pushed on every new
// connection and on every change, the node's events observed (incoming
// messages decide notifications, read conversations leave the digests), held notifications and
// digests kept in the profile's database, and the presence half of the node's API. Built before the
// views that show presences; what it tells the node (a peer or our clock changed) is handed at start.
import type { Libp2p, StreamHandler } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { directConversationId } from '../../crypto/conversation.js'
import { fromBase64 } from '../../crypto/encoding.js'
import type { Signer } from '../../crypto/signing.js'
import type { ChannelView, ClockView, PeerPresence } from '../api/schema.js'
import type { ContactBook } from '../messaging/contact-book.js'
import type { PhotoRef } from '../profile/photo.js'
import type { Settings } from '../profile/settings.js'
import { DEFAULT_IDLE_MS, PRESENCE_PUSH_ATTEMPTS } from '../presence/limits.js'
import type { PeerLimits } from '../protocol/peer-limits.js'
import { PRESENCE_PROTOCOL } from '../protocol/protocol-ids.js'
import { isSendersFault } from '../presence/errors.js'
import { ChannelDirectory } from '../presence/channel-directory.js'
import { answerPresence, pushPresence } from '../presence/protocol.js'
import { PresenceService, type PresenceConversations } from '../presence/service.js'
import { GateStore, type GateDatabase } from '../presence/gate-store.js'
import type { ContactRecord } from '../store/records.js'
import type { EventLog } from './events.js'
import type { PresenceApi } from '../api/node-api.js'
import { Port } from './port.js'

export interface PresenceWiring {
  home: string
  /** The profile's database: held notifications and undismissed digests live there. */
  db: GateDatabase
  host: Libp2p
  events: EventLog
  deviceKey: Uint8Array
  sign: Signer
  membersOnly: (handler: StreamHandler) => StreamHandler
  /** Counts a refused presence against its sender (core/presence/errors.ts, isSendersFault). */
  limits: Pick<PeerLimits, 'strike'>
  allowed: (peer: string) => boolean
  isConnected: (peer: string) => boolean
  contacts: Pick<ContactBook, 'get' | 'all' | 'resolve'>
  settings: { get: () => Settings, change: (update: Partial<Settings>) => Promise<void> }
  /** The node's channels (read once the host has started; `channel` events keep them current). */
  channels: () => Promise<ChannelView[]>
  log: (format: string, ...args: unknown[]) => void
  /** The node's clock. */
  now: () => number
  /** Our photo as our presence names it, and what to do with the one a colleague's names. */
  photo: (peer: string) => PhotoRef | null
  photoAnnounced: (peer: string, photo: PhotoRef | null) => void
  /** Idle time before available turns away; default DEFAULT_IDLE_MS. */
  idleMs?: number
}

/** What presence tells the node, handed at start (the views and the status are built after it). */
export interface PresenceListeners {
  /** Emits a 'peer' event for this contact (its view carries the presence). */
  peerChanged: (contact: ContactRecord) => void
  /** Our clock against our colleagues' changed noticeably: emit the status again. */
  clockChanged: () => void
}

export interface WiredPresence {
  api: PresenceApi
  /** How a peer appears to us (for PeerView). */
  peerPresence: (peer: string) => PeerPresence
  /** Our clock against our colleagues' (for NodeStatus). */
  clock: () => ClockView
  /** How far a peer's clock is from our colleagues', when far enough to show (for PeerView). */
  peerClockOffset: (peer: string) => number | undefined
  /** Whether `peer` is in focus for `conversation` as we know it: until when (null: no end), else undefined. */
  focusUntil: (peer: string, conversation: string) => number | null | undefined
  /** Our photo changed: tell every connected colleague now. */
  photoChanged: () => void
  /** Tell `peer` our presence again now (it turned out to read our photo line). */
  tellPeer: (peer: string) => void
  /** Registers the protocol and the node's listeners; call before the host starts. */
  start: (listeners: PresenceListeners) => Promise<void>
  /** Stops the timers and waits for the held notifications to be written (before the database closes). */
  stop: () => Promise<void>
}

export async function buildPresence (components: PresenceWiring): Promise<WiredPresence> {
  const listeners = new Port<PresenceListeners>('the listeners of presence')
  const channels = new ChannelDirectory(components.now)
  const conversations = withChannels(directConversations(components.deviceKey, components.contacts), channels)
  const gateStore = new GateStore(components.db, components.log)
  const service = await PresenceService.open({
    channels,
    home: components.home,
    me: components.host.peerId.toString(),
    deviceKey: components.deviceKey,
    sign: components.sign,
    now: components.now,
    idleMs: components.idleMs ?? DEFAULT_IDLE_MS,
    conversations,
    connectedPeers: () => [...new Set(components.host.getConnections().map(x => x.remotePeer.toString()))].filter(components.allowed),
    isConnected: components.isConnected,
    push: async (peer, signed) => {
      const connection = components.host.getConnections(peerIdFromString(peer)).find(x => x.status === 'open')
      if (connection !== undefined) await pushPresence(connection, signed)
    },
    emit: event => { components.events.emit(event) },
    photo: components.photo,
    photoAnnounced: components.photoAnnounced,
    peerChanged: peer => { const contact = components.contacts.get(peer); if (contact !== undefined) listeners.get().peerChanged(contact) },
    clockChanged: () => { listeners.get().clockChanged() },
    settings: components.settings,
    gateStore,
    log: components.log
  })

  /** A new connection: tell the peer our presence, trying again while the connection is young. */
  async function greet (peer: string): Promise<void> {
    for (let attempt = 1; attempt <= PRESENCE_PUSH_ATTEMPTS && components.isConnected(peer); attempt++) {
      try {
        const connection = components.host.getConnections(peerIdFromString(peer)).find(x => x.status === 'open')
        if (connection === undefined) return
        await pushPresence(connection, service.signedFor(peer))
        return
      } catch (error) {
        components.log('could not tell %s our presence (attempt %d): %e', peer, attempt, error)
        await new Promise(resolve => setTimeout(resolve, 250 * attempt))
      }
    }
  }

  async function start (handed: PresenceListeners): Promise<void> {
    listeners.connect(handed)
    await components.host.handle(PRESENCE_PROTOCOL, components.membersOnly((stream, connection) => {
      void answerPresence(stream, connection, (peer, presence, connection) => { service.accept(peer, presence, connection) }, (peer, error) => {
        service.refused(peer, error)
        if (isSendersFault(error.code)) components.limits.strike(peer, error.code, error.message)
      })
    }))
    components.host.addEventListener('connection:open', (event) => {
      const peer = event.detail.remotePeer.toString()
      if (components.allowed(peer)) void greet(peer)
    })
    components.host.addEventListener('stop', () => { service.stop() })
    components.host.addEventListener('start', () => {
      void (async () => {
        try {
          for (const view of await components.channels()) channels.update(view)
        } catch (error) {
          components.log('presence: could not read the channels: %e', error)
        }
        await service.resume() // what was held before a restart is released only once channel mutes are known
      })().catch(error => { components.log('presence: %e', error) })
    })
    // After the event that caused it, for every listener: a notification follows its message.
    components.events.subscribe(undefined, frame => { queueMicrotask(() => { service.observe(frame.event) }) })
  }

  return {
    start,
    api: {
      presence: async () => service.view(),
      setPresence: async update => await service.set(update),
      mute: async request => await service.mute(request),
      reportActivity: async () => { await service.activity() },
      settings: async () => service.settings(),
      updateSettings: async update => await service.updateSettings(update),
      digests: async () => service.digests(),
      dismissDigest: async id => { service.dismissDigest(id) }
    },
    peerPresence: peer => service.peerPresence(peer),
    clock: () => service.clock(),
    peerClockOffset: peer => service.peerClockOffset(peer),
    focusUntil: (peer, conversation) => service.focusUntil(peer, conversation),
    photoChanged: () => { service.photoChanged() },
    tellPeer: peer => { service.tellPeer(peer) },
    stop: async () => {
      service.stop()
      await gateStore.flushed()
    }
  }
}

/** Channels first for their ids and "#name"; everything else is a person (a 1:1 conversation). */
function withChannels (direct: PresenceConversations, channels: ChannelDirectory): PresenceConversations {
  return {
    resolve: target => channels.find(target) ?? direct.resolve(target),
    name: conversation => channels.find(conversation)?.name ?? direct.name(conversation),
    sharedWith: peer => [...direct.sharedWith(peer), ...channels.sharedWith(peer)]
  }
}

/** 1:1 conversations: their ids derive from both device keys, so a contact's is computed, never looked up. */
function directConversations (ownKey: Uint8Array, contacts: PresenceWiring['contacts']): PresenceConversations {
  const withContact = (contact: ContactRecord): string => directConversationId(ownKey, fromBase64(contact.deviceKey))
  const contactIn = (conversation: string): ContactRecord | undefined => contacts.all().find(x => withContact(x) === conversation)
  return {
    resolve: target => {
      const byId = contactIn(target)
      const contact = byId ?? contacts.resolve(target)
      return { conversation: withContact(contact), name: contact.name }
    },
    name: conversation => contactIn(conversation)?.name ?? conversation.slice(0, 8),
    sharedWith: peer => {
      const key = peerIdFromString(peer).publicKey?.raw
      return key === undefined ? [] : [directConversationId(ownKey, key)]
    }
  }
}
