// The build phase of a node: every part is built from the parts it names, in dependency order, and
// nothing is started (no protocol registered, no listener, no timer): lifecycle.ts starts them.
// Where a part calls one built after it, it is handed that one at start (a Port).
import type { ContactRecord } from '../store/records.js'
import type { Database } from '../store/database.js'
import type { JournalEntry } from '../journal/entry.js'
import type { Ack, Envelope } from '../protocol/frames.js'
import { CARRY_PROTOCOL, CHANNEL_PROTOCOL, PRESENCE_PROTOCOL } from '../protocol/protocol-ids.js'
import { buildCarrying, type Carrying } from './carrying-wiring.js'
import { buildChannels, type WiredChannels } from './channels-wiring.js'
import { ContactSync } from './contact-sync.js'
import { buildMessaging, type WiredMessaging } from './messaging-wiring.js'
import { buildFiles, type WiredFiles } from './files-wiring.js'
import { buildMembers, type WiredMembers } from './members-wiring.js'
import { buildPeerExchange, type WiredPeerExchange } from './peer-exchange-wiring.js'
import { openNetwork, type Network } from './network.js'
import type { NodeOptions } from './node-options.js'
import type { NodeProfile } from './node-profile.js'
import { openNodeStores, type NodeStores } from './node-stores.js'
import { buildPhotos, type WiredPhotos } from './photo-wiring.js'
import { buildPresence, type WiredPresence } from './presence-wiring.js'
import { profileApi, type ProfileApi } from './profile-api.js'
import { thisDesk } from '../desk/start-at-login.js'
import { buildUpdates, type WiredUpdates } from './update-wiring.js'
import { SharedNames } from './shared-names.js'
import { nameOf, peerView, type NameContext, type ViewContext } from './views.js'

export interface NodeParts {
  profile: NodeProfile
  stores: NodeStores
  network: Network
  channels: WiredChannels
  presence: WiredPresence
  photos: WiredPhotos
  /** What the API views read: names, connections, presences, clock offsets. */
  views: ViewContext
  /** Emits a 'peer' event with the contact's view. */
  announcePeer: (contact: ContactRecord) => void
  contactSync: ContactSync<JournalEntry>
  carrying: Carrying
  messaging: WiredMessaging
  members: WiredMembers
  peerExchange: WiredPeerExchange
  updates: WiredUpdates
  files: WiredFiles
  profileApi: ProfileApi
  options: NodeOptions
}

export async function buildNodeParts (profile: NodeProfile, db: Database, options: NodeOptions): Promise<NodeParts> {
  const now = options.now ?? Date.now
  const { home, device } = profile
  const stores = await openNodeStores({ db, keys: profile.keys, sign: device.sign, peerId: device.peerId, now })
  const { contacts, commit, journal, events } = stores
  const discovery = { mdns: options.mdns ?? true, peers: options.peers ?? [] }
  const network = await openNetwork(profile, stores, {
    ...discovery,
    now,
    ...(options.listenHost !== undefined ? { listenHost: options.listenHost } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.join !== undefined ? { join: options.join } : {}),
    ...(options.warn !== undefined ? { warn: options.warn } : {})
  })
  const { ws, host, limited, log } = network
  const send = async (peer: string, envelope: Envelope): Promise<Ack> => await network.sender.send(peer, envelope)
  const selfName = (): string => profile.settings.name
  const sharedNames = new SharedNames({ selfPeerId: device.peerId, selfName, contacts: () => contacts.all(), contactsVersion: () => contacts.version })
  const names: NameContext = { selfPeerId: device.peerId, selfName, contact: peer => contacts.get(peer), nameTagOf: peer => sharedNames.tagOf(peer) }
  const files = await buildFiles({
    home, db, host, ws, limited, log, now, events,
    limits: network.limits,
    isMember: network.isMember,
    self: device.peerId,
    limitBytes: profile.settings.fileLimitBytes,
    journal: async entry => { await commit.write([entry], []) }
  })

  const channels = await buildChannels({
    host, db, contacts, outbox: stores.outbox, sessions: stores.sessions, acceptor: stores.acceptor, sendOnce: stores.sendOnce, commit, journal: journal.port, events, log, now,
    me: device,
    nameOf: peer => nameOf(names, peer),
    tagOf: names.nameTagOf,
    workspaceId: () => ws.membership.workspace?.id,
    inWorkspace: network.isMember,
    wasInWorkspace: peer => peer === device.peerId || ws.membership.isMember(peer) || ws.membership.isRemoved(peer),
    onAdmitted: listener => { ws.membership.onChange(change => { if (change.kind === 'admit') listener() }) },
    allowed: ws.allowed,
    guard: handler => limited(CHANNEL_PROTOCOL, ws.membersOnly(handler)),
    readReceipts: () => profile.settings.readReceipts,
    search: stores.search,
    files,
    send
  })
  const photos = await buildPhotos({ home, host, ws, limited, log, limits: network.limits, isMember: network.isMember, ownPhoto: () => profile.photo, ...(options.photoRetryMs === undefined ? {} : { retryFirstMs: options.photoRetryMs }) })
  const presence = await buildPresence({
    home, db, host, events, now, deviceKey: device.deviceKey, sign: device.sign, contacts, log,
    limits: network.limits,
    photo: peer => photos.readsPhotos(peer) ? profile.photo : null,
    photoAnnounced: photos.announced,
    membersOnly: handler => limited(PRESENCE_PROTOCOL, ws.membersOnly(handler)),
    allowed: ws.allowed,
    isConnected: network.isConnected,
    settings: {
      get: () => profile.settings,
      change: async update => {
        await profile.changeSettings(current => ({ ...current, ...update }))
        if (update.fileLimitBytes !== undefined) files.service.setLimit(profile.settings.fileLimitBytes)
      }
    },
    channels: async () => await channels.api.channels()
  })
  const views: ViewContext = { ...names, connected: network.isConnected, presence: presence.peerPresence, clockOffset: presence.peerClockOffset, photo: photos.photoOf, attachments: files.attachmentsOf }
  sharedNames.changedSinceAsked()
  /** A rename (a colleague's, or ours) may make a name shared, or no longer: those whose tag came or went are announced again. */
  const announceTagChanges = (except?: string): void => {
    const changed = sharedNames.changedSinceAsked().filter(peer => peer !== except)
    for (const other of changed.map(peer => contacts.get(peer))) if (other !== undefined) events.emit({ type: 'peer', peer: peerView(views, other) })
  }
  const announcePeer = (contact: ContactRecord): void => {
    events.emit({ type: 'peer', peer: peerView(views, contact) })
    announceTagChanges(contact.peerId)
  }
  const contactSync = new ContactSync<JournalEntry>({
    host, contacts, commit, journal: journal.port, log,
    forgetSession: peer => stores.sessions.forget(peer),
    ownRecord: () => profile.signedRecord,
    changed: announcePeer
  })
  const carrying = await buildCarrying({
    host, db, commit, journal: journal.port, log, send,
    isMember: network.isMember,
    isConnected: network.isConnected,
    guard: handler => limited(CARRY_PROTOCOL, ws.membersOnly(handler)),
    files: files.carried
  })
  const messaging = await buildMessaging({ profile, stores, network, views, contactSync, carrying, channels, presence, now, noteStored: files.noteStored })
  const peerExchange = buildPeerExchange(network)
  const members = buildMembers({ profile, stores, network, contactSync, messenger: messaging.messenger, carrying, peerExchange, dialKnownPeers: options.dialKnownPeers ?? true })
  const updates = buildUpdates({
    home, host, ws, limited, events, log, now,
    self: device,
    journal: async entry => { await commit.write([entry], []) },
    options: options.update ?? {},
    names
  })
  return {
    profile, stores, network, channels, presence, photos, views, announcePeer, contactSync, carrying, messaging, members, peerExchange, updates, files, options,
    profileApi: profileApi({ profile, stores, network, contactSync, renamed: () => { announceTagChanges() }, clock: presence.clock, photoChanged: presence.photoChanged, discovery, desk: options.desk ?? thisDesk() })
  }
}
