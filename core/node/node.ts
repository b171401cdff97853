// A causette node: one per workstation and profile. It wires the keys, the store, the journal, the
// libp2p host, the protocols and the messaging logic, and offers NodeApi to the local API and CLI.
import type { Connection } from '@libp2p/interface'
import { VERSION } from '../runtime/build-info.js'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { defaultColor, signDeviceRecord } from '../../crypto/device-record.js'
import { fromBase64, toBase64 } from '../../crypto/encoding.js'
import { formatSafetyNumber, safetyNumber, safetyQrPayload } from '../../crypto/safety-number.js'
import { ed25519Signer } from '../../crypto/ed25519.js'
import type { DeviceKeys } from '../../crypto/device-keys.js'
import type { ConversationView, MessagesQuery, MessageView, NodeStatus, SearchResults, PeerView, SafetyNumberView, TrustView, WorkspaceView } from '../api/schema.js'
import { ContactBook } from '../messaging/contact-book.js'
import { Messenger, type MessageChange } from '../messaging/messenger.js'
import { Outbox } from '../messaging/outbox.js'
import { Sessions } from '../messaging/sessions.js'
import { SignatureChecker } from '../messaging/signature-checker.js'
import { Ed25519Pool } from '../workers/ed25519-pool.js'
import { loadSodium } from '../../crypto/sodium.js'
import { ensureProfileDir, resolveHome } from '../profile/files.js'
import { loadOrCreateDeviceKeys } from '../profile/keystore.js'
import type { PassphraseSource } from '../profile/master-key.js'
import { hasPassphrase } from '../profile/passphrase.js'
import { photoView, readPhoto, replacePhoto } from '../profile/photo.js'
import { checkName, loadSettings, saveSettings, type Settings } from '../profile/settings.js'
import type { PeerLimits } from '../protocol/peer-limits.js'
import { handleMessageStream } from '../protocol/message-handler.js'
import { routeInbound } from '../protocol/inbound-router.js'
import { limitStreams, type HandlerLimit } from '../protocol/stream-limiter.js'
import { PRESENCE_PROTOCOL } from '../protocol/protocol-ids.js'
import { MessageSender } from '../protocol/message-sender.js'
import { MAX_MESSAGE_STREAMS_PER_CONNECTION } from '../protocol/limits.js'
import { CARRY_PROTOCOL, CHANNEL_PROTOCOL, MESSAGE_PROTOCOL, RECORD_PROTOCOL, SYNC_PROTOCOL } from '../protocol/protocol-ids.js'
import { handleSyncStream, requestSync } from '../protocol/sync-protocol.js'
import type { SignedRecord } from '../protocol/frames.js'
import { SearchIndex } from '../search/search-index.js'
import { searchTextOf } from './search-text.js'
import { searchResults } from './search-views.js'
import { openDatabase, type Database } from '../store/database.js'
import { valueEncryption } from '../store/value-encryption.js'
import { lastWriteWins, type BatchOp } from '../store/batch.js'
import { GroupCommit } from '../store/group-commit.js'
import type { ContactRecord, MessageRecord } from '../store/records.js'
import { CausetteError, isCausetteError } from '../errors.js'
import { startCarrying } from './carrying.js'
import { ContactSync } from './contact-sync.js'
import { MembershipJournal } from './membership-journal.js'
import { decodeInviteCode } from '../workspace/invite-code.js'
import { createdInviteView, inviteListItems, invitePreviewView } from './invite-views.js'
import { WorkspaceService } from '../workspace/service.js'
import { EventLog } from './events.js'
import type { JournalEntry } from '../journal/entry.js'
import { openNodeJournal } from './journal.js'
import type { JournalExportFilter, NodeApi } from './node-api.js'
import { createHost, DEFAULT_P2P_PORT, type Host } from './p2p-host.js'
import { diagnoseDiscovery } from '../../discovery/index.js'
import { conversationView, messageView, nameOf, peerView, silentOf, workspaceSummary, workspaceView, type ViewContext } from './views.js'
import { wirePresence } from './presence-wiring.js'
import { wireChannels } from './channels-wiring.js'
import { wireDesktopNotifications } from './desktop-notifications.js'
import { announceStored } from './amended-events.js'
import { amendmentBody, shownMessage } from '../messaging/amendments.js'
import { systemDesktopNotifier, type DesktopNotifier } from '../desk/desktop-notifier.js'
import { autostartState } from '../desk/autostart.js'
import { wireUpdates, type UpdateOptions } from './update-wiring.js'

export { DEFAULT_P2P_PORT }

export interface NodeOptions {
  /** Profile directory; default $CAUSETTE_HOME or ~/.causette */
  home?: string
  /** Display name; saved in the profile. Default: the saved one, else the OS user name. */
  name?: string
  /** libp2p TCP port; default DEFAULT_P2P_PORT, 0 for a random one. */
  port?: number
  listenHost?: string
  /** mDNS discovery; only ever on for a real LAN or a test's network namespace. Default true. */
  mdns?: boolean
  /** Static peer multiaddrs for networks where multicast does not pass. */
  peers?: string[]
  /** An invite code: join its workspace before starting (`causette start --join <code>`). */
  join?: string
  /** Gives the profile's passphrase; asked only if the profile has one (`causette passphrase set`). */
  passphrase?: PassphraseSource
  /** The node's clock (Unix ms); default Date.now. Tests shift it to play a machine whose clock is wrong. */
  now?: () => number
  /** Told what the person running the node should know now (the daemon's stderr): a connection flood. */
  warn?: (line: string) => void
  /** Updates: the release key, this node's version and target, and the installer (core/node/update-wiring.ts). */
  update?: UpdateOptions
  /** Shows a notification through the OS while no app tab is open; default this computer's (core/desk/desktop-notifier.ts). */
  desktopNotifier?: DesktopNotifier
}

export interface CausetteNode extends NodeApi {
  readonly peerId: string
  readonly home: string
  /** The workspace: create, invite, remove, members (for the API and CLI). */
  readonly workspace: WorkspaceService
  addresses: () => string[]
  /** The per-peer abuse limits and their counts (core/protocol/peer-limits.ts): for diagnostics and tests. */
  readonly limits: PeerLimits
  stop: () => Promise<void>
}

export async function startNode (options: NodeOptions = {}): Promise<CausetteNode> {
  const home = resolveHome(options.home)
  await ensureProfileDir(home)
  // A wrong passphrase stops here, before anything in the profile is written.
  const { keys, masterKey } = await loadOrCreateDeviceKeys(home, (options.now ?? Date.now)(), options.passphrase)
  let settings = await loadSettings(home, options.name === undefined ? {} : { name: options.name })
  const db = await openDatabase(home, valueEncryption(await loadSodium(), masterKey))
  for (const line of db.damage) console.error(`causette store: LevelDB found a damaged file while opening the database and dropped what it could not read: ${line}. Run 'causette doctor' with the node stopped`)
  try {
    return await assemble(home, keys, settings, db, options, s => { settings = s })
  } catch (error) {
    await db.close()
    throw error
  }
}

async function assemble (home: string, keys: DeviceKeys, initialSettings: Settings, db: Database, options: NodeOptions, onSettings: (s: Settings) => void): Promise<CausetteNode> {
  let settings = initialSettings
  const now = options.now ?? Date.now
  const sign = ed25519Signer(keys.device.seed)
  const peerId = peerIdFromPublicKey(publicKeyFromRaw(keys.device.publicKey)).toString()
  const journal = await openNodeJournal(db, keys, sign, peerId)
  const passphraseSet = await hasPassphrase(home) // only a stopped node's profile can change it
  let photoSet = await readPhoto(home) !== undefined
  const commit = new GroupCommit<JournalEntry, BatchOp>(journal.journal, lastWriteWins)
  const search = await SearchIndex.open({ db, write: async ops => { await commit.write([], ops) }, text: searchTextOf(db), log: (message, error) => { console.error(`causette ${message}: ${String(error)}`) } })
  const contacts = await ContactBook.load(db)
  const outbox = await Outbox.load(db)
  const sessions = await Sessions.load(db, await loadSodium(), keys)
  const verifierPool = new Ed25519Pool()
  const events = new EventLog()
  const mdns = options.mdns ?? true
  const ws = await WorkspaceService.open({
    db: db.membership,
    // The name as it is when the device creates or joins a workspace (it may be renamed first).
    device: { publicKey: keys.device.publicKey, sign, identityKey: keys.identity.publicKey, prekeyId: keys.prekey.id, prekey: keys.prekey.publicKey, get name () { return settings.name } },
    // A node in no workspace yet stays open as before; members refuse it all the same.
    openWithoutWorkspace: true,
    now,
    // Admitted over the network: the connections we kept become members' ones.
    joined: () => { greetAllowed() }
  })
  if (options.join !== undefined) await ws.join(options.join)
  const host: Host = await createHost({
    connectionGater: ws.gater(),
    wanted: ws.allowed,
    deviceSeed: keys.device.seed,
    listenHost: options.listenHost ?? '0.0.0.0',
    port: options.port ?? DEFAULT_P2P_PORT,
    mdns,
    peers: options.peers ?? []
  })
  const sender = new MessageSender(host)
  // Every causette handler goes through the per-peer abuse limits (core/protocol/peer-limits.ts).
  const limits = host.services.limits
  const limited: HandlerLimit = (protocol, handler) => limitStreams(handler, { protocol, limits })
  limits.inbound.onFlood(message => { options.warn?.(message) })
  const log = host.logger.forComponent('causette:node') // DEBUG=causette:* shows it
  // A desk not in our workspace is not connected for messaging, even over a connection kept since before it.
  const isConnected = (peer: string): boolean => ws.allowed(peer) && contactSync.isConnected(peer)
  const presence = await wirePresence({
    home, db, host, events, now, deviceKey: keys.device.publicKey, sign, membersOnly: h => limited(PRESENCE_PROTOCOL, ws.membersOnly(h)), allowed: ws.allowed, isConnected, contacts, log,
    peerChanged: contact => { events.emit({ type: 'peer', peer: peerView(views, contact) }) },
    clockChanged: () => { void node.status().then(status => { events.emit({ type: 'status', status }) }).catch(error => { log('status: %e', error) }) },
    settings: { get: () => settings, set: async s => { settings = s; onSettings(s); await saveSettings(home, s) } },
    channels: async () => await channels.api.channels() // `node` is not defined yet when the host starts
  })
  const views: ViewContext = { selfPeerId: peerId, selfName: () => settings.name, contact: p => contacts.get(p), connected: isConnected, presence: presence.peerPresence, clockOffset: presence.peerClockOffset }

  let signedRecord = makeRecord()
  function makeRecord (): SignedRecord {
    const { bytes, signature } = signDeviceRecord(sign, {
      device: keys.device.publicKey,
      identityKey: keys.identity.publicKey,
      prekeyId: keys.prekey.id,
      prekey: keys.prekey.publicKey,
      name: settings.name,
      color: defaultColor(keys.device.publicKey),
      updated: now()
    })
    return { record: bytes as Uint8Array<ArrayBuffer>, signature: signature as Uint8Array<ArrayBuffer> }
  }

  const contactSync: ContactSync<JournalEntry> = new ContactSync({
    host,
    contacts,
    commit,
    journal: journal.port,
    forgetSession: peer => sessions.forget(peer),
    ownRecord: () => signedRecord,
    changed: contact => { events.emit({ type: 'peer', peer: peerView(views, contact) }) },
    log
  })

  /** Members we carry for and who carry for us; without a workspace, the peers we know. */
  const isMember = (peer: string): boolean => peer !== peerId && (ws.membership.workspace !== undefined ? ws.membership.isMember(peer) : contacts.get(peer) !== undefined)
  const carrying = await startCarrying({
    host, db, commit, journal: journal.port, isMember, isConnected, log,
    send: async (peer, envelope) => await sender.send(peer, envelope),
    guard: handler => limited(CARRY_PROTOCOL, ws.membersOnly(handler))
  })

  const channels = await wireChannels({
    host, db, contacts, outbox, sessions, sodium: await loadSodium(), commit, journal: journal.port, events, log, now,
    me: { peerId, deviceKey: keys.device.publicKey, sign },
    nameOf: peer => nameOf(views, peer),
    workspaceId: () => ws.membership.workspace?.id,
    inWorkspace: isMember,
    allowed: ws.allowed,
    guard: handler => limited(CHANNEL_PROTOCOL, ws.membersOnly(handler)),
    flush: peer => { messenger.flush(peer) },
    receipts: () => messenger.receipts,
    readReceipts: () => settings.readReceipts,
    search,
    send: async (peer, envelope) => await sender.send(peer, envelope)
  })

  const messenger = await Messenger.load({
    db,
    contacts,
    outbox,
    sessions,
    signatures: new SignatureChecker(verifierPool),
    commit,
    journal: journal.port,
    transport: {
      isConnected,
      send: async (peer, envelope) => await sender.send(peer, envelope),
      ...carrying.transport
    },
    changed: (change: MessageChange) => {
      if (change.type === 'conversation') {
        events.emit({ type: 'conversation', conversation: conversationView(views, change.conversation, undefined) })
      } else if (change.type === 'message') {
        announceStored(db, change.message, { first: m => messageView(views, m), current: shownView }, {
          added: message => { events.emit({ type: 'message', message }) },
          updated: message => { events.emit({ type: 'message-updated', message }) }
        }, log)
      } else if (change.message.channel !== undefined) {
        channels.messageStateChanged(change.message)
      } else {
        const m = change.message
        events.emit({ type: 'message-state', id: m.id, conversation: m.conversation, state: m.state, stateTime: m.stateTime, stateTimes: m.stateTimes, ...(m.stateReason !== undefined ? { stateReason: m.stateReason } : {}), ...silentOf(m) })
      }
    },
    workspaceId: () => ws.membership.workspace?.id,
    ensureContact: async (peer, relayed) => relayed ? await memberContact(peer) : await contactSync.ensure(peer),
    readReceipts: () => settings.readReceipts,
    channels: channels.inbound,
    search,
    silentUntil: (peer, conversation) => presence.focusUntil(peer, conversation)
  }, { peerId, deviceKey: keys.device.publicKey, sign }, now)

  /** The contact of a member, from the membership log if we never met it (a carried message's author). */
  async function memberContact (peer: string): Promise<ContactRecord> {
    const member = ws.membership.member(peer)
    if (!isMember(peer)) throw new CausetteError('NOT_A_MEMBER', 'a carried message from someone who is not a member')
    return contacts.get(peer) ?? await contactSync.adopt(peer, member!)
  }

  /** Every member becomes a contact, met or not, so that anyone can write to anyone. */
  async function adoptMembers (): Promise<void> {
    for (const member of ws.membership.members()) {
      if (member.peerId !== peerId && contacts.get(member.peerId) === undefined) await contactSync.adopt(member.peerId, member)
    }
  }

  ws.useAddresses(() => host.getMultiaddrs())
  const inbound = routeInbound({ pairwise: messenger, channels: channels.inbound })
  await host.handle(MESSAGE_PROTOCOL, limited(MESSAGE_PROTOCOL, ws.membersOnly((stream, connection) => {
    void handleMessageStream(stream, connection, inbound, limits)
  })), { maxInboundStreams: MAX_MESSAGE_STREAMS_PER_CONNECTION })
  await host.handle(SYNC_PROTOCOL, limited(SYNC_PROTOCOL, ws.membersOnly((stream, connection) => { void handleSyncStream(stream, connection, messenger.catchUp) })))
  await host.handle(RECORD_PROTOCOL, limited(RECORD_PROTOCOL, ws.membersOnly((stream, connection) => { contactSync.handle(stream, connection) })))
  await ws.start(host, limited)
  const updates = await wireUpdates({
    home, host, ws, limited, events, log, now,
    self: { peerId, deviceKey: keys.device.publicKey, sign },
    journal: async entry => { await commit.write([entry], []) },
    options: options.update ?? {}
  })
  const membershipJournal = new MembershipJournal(db, ws.membership, commit)
  ws.membership.onFork(fork => {
    log('membership fork at entry %d: %s', fork.seq, fork.switched ? 'switched to the other branch' : 'kept ours')
    void membershipJournal.catchUp().catch(error => { log('could not journal a membership fork: %e', error) })
  })
  ws.membership.onChange(change => {
    if (change.kind === 'admit' && change.peerId !== undefined) greetAllowed(change.peerId)
    void membershipJournal.catchUp().catch(error => { log('could not journal a membership change: %e', error) })
    void adoptMembers().catch(error => { log('could not add the members as contacts: %e', error) })
  })
  host.addEventListener('connection:open', (event) => { greetMember(event.detail) })
  /** A member's connection: exchange records, catch up. Not an invitee's or a stranger's: no record, no name. */
  function greetMember (connection: Connection): void {
    if (!ws.allowed(connection.remotePeer.toString())) return
    void contactSync.greet(connection).then(contact => {
      if (contact === undefined) return
      messenger.connected(contact.peerId)
      carrying.connected(contact.peerId)
      // Ask what we lack of its messages (catch-up); its outbox pushes the rest.
      void requestSync(connection, messenger.catchUp.heads(contact.peerId))
        .then(answer => { if (answer.resent > 0) log('%s sends %d messages again', contact.peerId, answer.resent) })
        .catch(error => { log('catch-up with %s failed: %e', contact.peerId, error) })
    })
  }
  /**
   * Connections kept when a peer, or this desk, joins (nobody is cut off by a join): those that now
   * link two members are greeted as a new one would be.
   */
  function greetAllowed (peer?: string): void {
    for (const connection of host.getConnections()) {
      if (connection.status === 'open' && (peer === undefined || connection.remotePeer.toString() === peer)) greetMember(connection)
    }
  }
  host.addEventListener('peer:disconnect', (event) => { void contactSync.disconnected(event.detail.toString()).catch(() => {}) })

  await host.start()
  await commit.write([journal.port.startup()], [])
  await membershipJournal.catchUp()
  await adoptMembers()
  await announcePrekey()

  /** The keystore rotates the signed prekey weekly at start: members learn the new one from the log. */
  async function announcePrekey (): Promise<void> {
    const self = ws.membership.member(peerId)
    if (self === undefined || self.prekeyId >= keys.prekey.id) return
    await ws.workspace.rotatePrekey(keys.prekey.id, keys.prekey.publicKey).catch(error => { log('could not announce the new prekey: %e', error) })
  }

  /** A 1:1 message as the API shows it, with what later messages did to it (core/messaging/amendments.ts). */
  async function shownView (message: MessageRecord): Promise<MessageView> {
    return messageView(views, message, await shownMessage(db, message, peer => nameOf(views, peer), peerId))
  }

  async function lastMessage (id: string | null): Promise<MessageRecord | undefined> {
    if (id === null) return undefined
    const key = await db.messageIndex.get(id)
    return key === undefined ? undefined : await db.messages.get(key)
  }

  const stopDesktopNotifications = wireDesktopNotifications({
    events,
    notifier: options.desktopNotifier ?? systemDesktopNotifier(log),
    channelName: async id => (await channels.api.channels()).find(channel => channel.id === id)?.name,
    log
  })

  let stopping: Promise<void> | undefined
  const node: CausetteNode = {
    peerId,
    home,
    workspace: ws,
    events,
    addresses: () => host.getMultiaddrs().map(a => a.toString()),
    limits,
    ...presence.api,
    ...channels.api,
    ...updates.api,

    async status (): Promise<NodeStatus> {
      const all = contacts.all()
      return {
        peerId,
        name: settings.name,
        nameChosen: settings.nameChosen,
        journalKey: journal.journal.verifierKey,
        photo: photoSet,
        passphrase: passphraseSet,
        color: defaultColor(keys.device.publicKey),
        addresses: node.addresses(),
        mdns,
        discoveryProblems: await diagnoseDiscovery({ mdns, peers: options.peers ?? [] }),
        peers: { known: all.length, connected: all.filter(c => isConnected(c.peerId)).length },
        queued: outbox.size,
        journal: { size: journal.journal.size, key: journal.journal.verifierKey },
        storage: { ...db.health(), damage: db.damage },
        workspace: workspaceSummary(ws.membership, peerId),
        clock: presence.clock(),
        autostart: await autostartState(),
        version: VERSION
      }
    },

    async peers (): Promise<PeerView[]> {
      return contacts.all().map(c => peerView(views, c)).sort((a, b) => Number(b.connected) - Number(a.connected) || a.name.localeCompare(b.name))
    },

    async conversations (): Promise<ConversationView[]> {
      return await Promise.all(messenger.listConversations().map(async c => {
        const last = await lastMessage(c.lastMessageId)
        // The preview shows the last message as it is now (edited, or deleted: no text).
        return conversationView(views, c, last, last === undefined ? undefined : await shownView(last))
      }))
    },

    async messages (query: MessagesQuery): Promise<MessageView[]> {
      const conversation = query.with !== undefined ? messenger.conversationWith(contacts.resolve(query.with)) : query.conversation
      const found = await messenger.messages({
        limit: query.limit,
        ...(conversation !== undefined ? { conversation } : {}),
        ...(query.q !== undefined ? { q: query.q } : {}),
        ...(query.before !== undefined ? { before: query.before } : {}),
        ...(query.after !== undefined ? { after: query.after } : {}),
        ...(query.around !== undefined ? { around: query.around } : {})
      })
      const shown = await Promise.all(found.map(shownView))
      // A search finds what is shown now: not an earlier version, nor a deleted message.
      const needle = query.q?.toLowerCase()
      return needle === undefined ? shown : shown.filter(m => m.text.toLowerCase().includes(needle))
    },

    async search (query): Promise<SearchResults> {
      return await searchResults(search, query, { views, channelNames: async () => new Map((await channels.api.channels()).map(channel => [channel.id, channel.name])) })
    },

    async send (to, text, options = {}): Promise<MessageView> {
      const { quote, ...rest } = options
      return await shownView(await messenger.send(to, { text, ...(quote !== undefined ? { quote } : {}) }, rest))
    },

    async amendMessage (id, request): Promise<MessageView> {
      const { target, body } = await amendmentBody(db, id, request, peerId)
      if (target.channel !== undefined) throw new CausetteError('NOT_FOUND', 'no such message in a 1:1 conversation (a channel message is changed through its channel)')
      await messenger.send(target.peer, body)
      return await shownView(target)
    },

    async markRead (conversation: string): Promise<void> {
      await messenger.markRead(conversation)
    },

    async safetyNumber (peer: string): Promise<SafetyNumberView> {
      const contact = contacts.resolve(peer)
      const theirs = fromBase64(contact.deviceKey)
      return {
        peerId: contact.peerId,
        name: contact.name,
        digits: formatSafetyNumber(safetyNumber(keys.device.publicKey, theirs)),
        qr: toBase64(safetyQrPayload(keys.device.publicKey, theirs)),
        verified: peerView(views, contact).verified,
        keyChanged: contact.keyChanged !== undefined
      }
    },

    async trust (peer: string): Promise<TrustView> {
      const { contact, accepted } = await contactSync.trust(contacts.resolve(peer).peerId)
      if (accepted) messenger.flush(contact.peerId) // what waited in the outbox may go now
      return { peer: peerView(views, contact), acceptedKeyChange: accepted }
    },

    async setName (name: string): Promise<void> {
      settings = { ...settings, name: checkName(name), nameChosen: true }
      onSettings(settings)
      await saveSettings(home, settings)
      signedRecord = makeRecord()
      await contactSync.announce()
      events.emit({ type: 'status', status: await node.status() })
    },

    async photo () { return await photoView(home) },

    async setPhoto (photo) {
      await replacePhoto(home, photo)
      photoSet = photo !== null
      events.emit({ type: 'status', status: await node.status() })
    },

    exportJournal (filter: JournalExportFilter): AsyncIterable<string> {
      const peer = filter.with !== undefined ? contacts.resolve(filter.with).peerId : undefined
      return journal.export({ ...filter, ...(peer !== undefined ? { with: peer } : {}) }, async (id) => {
        const key = await db.messageIndex.get(id)
        return key === undefined ? undefined : await db.messages.get(key)
      })
    },

    async workspaceView (): Promise<WorkspaceView | null> {
      return workspaceView(ws.membership, peerId)
    },

    async createWorkspace (name: string): Promise<WorkspaceView> {
      await ws.workspace.create(name)
      // Those connected now stay connected (only the admission protocol answers them) and are asked
      // whether they want to join: the admin admits them with a click each.
      ws.solicitConnected()
      // Those not in it are no longer "connected" for messaging: say so to the app.
      for (const contact of contacts.all()) events.emit({ type: 'peer', peer: peerView(views, contact) })
      return workspaceView(ws.membership, peerId)!
    },

    async joinWorkspace (code: string): Promise<WorkspaceView> {
      await ws.join(code)
      greetAllowed()
      // The inviter knows us now: connect at once rather than when discovery next tries.
      void host.dial(decodeInviteCode(code).address).catch(error => { log('could not reach the inviter after joining: %e', error) })
      return workspaceView(ws.membership, peerId)!
    },

    async admission () {
      return { requests: ws.joinRequests.list(), offers: ws.joinOffers.list() }
    },
    admitDesk: async peer => await ws.joinRequests.admit(peer),
    confirmAdmission: async (peer, code) => await ws.joinRequests.confirm(peer, code),
    declineAdmission: async peer => await ws.joinRequests.decline(peer),
    confirmJoinOffer: async (peer, code) => await ws.joinOffers.confirm(peer, code),
    declineJoinOffer: async peer => await ws.joinOffers.decline(peer),
    connections: async () => host.getConnections().map(connection => ({ id: connection.id, peerId: connection.remotePeer.toString(), direction: connection.direction, opened: connection.timeline.open })),

    async createInvite ({ role, expiresMs, address }) {
      return createdInviteView(await ws.workspace.createInvite({ role, expiresMs, ...(address === undefined ? {} : { address }) }))
    },

    async listInvites () {
      return { invites: inviteListItems(ws.membership.requireLog(), ws.workspace.invites()) }
    },

    async revokeInvite (id: string) {
      return inviteListItems(ws.membership.requireLog(), [await ws.workspace.revokeInvite(id)])[0]!
    },

    async previewInvite (code: string) {
      return invitePreviewView(await ws.previewInvite(code))
    },

    async removeMember (member: string, reason?: string): Promise<WorkspaceView> {
      await ws.workspace.remove(member, reason)
      return workspaceView(ws.membership, peerId)!
    },

    async setMemberRole (member, role): Promise<WorkspaceView> {
      await ws.workspace.setRole(member, role)
      return workspaceView(ws.membership, peerId)!
    },

    async stop (): Promise<void> {
      stopping ??= (async () => {
        stopDesktopNotifications()
        sender.stop()
        messenger.delivery.stop()
        await carrying.stop()
        await channels.stop()
        await ws.stop()
        await host.stop()
        await presence.stop()
        await search.close()
        await commit.drain()
        await unlessStorageUnavailable(async () => { await commit.write([journal.port.shutdown()], []) })
        await unlessStorageUnavailable(async () => { await journal.close() })
        await verifierPool.close()
        await db.close()
      })()
      await stopping
    }
  }
  return node
}

/**
 * On a full disk a stop still closes the database: the shutdown entry and the last checkpoint are
 * left out (nothing acknowledged depends on them), so the profile opens again at once.
 */
async function unlessStorageUnavailable (write: () => Promise<void>): Promise<void> {
  try {
    await write()
  } catch (error) {
    if (!isCausetteError(error, 'STORAGE_UNAVAILABLE')) throw error
    console.error(`causette: stopping without journaling the shutdown: ${error.message}`)
  }
}
