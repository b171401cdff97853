// The workspace's members as the node meets them: a member's new connection is greeted (records
// exchanged, what we lack of its messages asked for, what we carry for it handed over, where the
// members we are connected to can be dialled told: peer-exchange-wiring.ts), a desk that joins is
// greeted on the connections it already has, every member becomes a contact and is dialled at start
// where it was met before (remembered-addresses.ts), the membership log is journaled (forks too), a
// rotated prekey is announced in the log, and the app is told when the desks asking to join change
// (admission-events.ts).
import type { Connection } from '@libp2p/interface'
import type { JournalEntry } from '../journal/entry.js'
import type { Messenger } from '../messaging/messenger.js'
import { requestSync } from '../protocol/sync-protocol.js'
import { askUntilServed } from '../messaging/catch-up-request.js'
import { followAdmission } from './admission-events.js'
import type { Carrying } from './carrying-wiring.js'
import type { ContactSync } from './contact-sync.js'
import { MembershipJournal } from './membership-journal.js'
import type { Network } from './network.js'
import type { NodeProfile } from './node-profile.js'
import type { NodeStores } from './node-stores.js'
import type { WiredPeerExchange } from './peer-exchange-wiring.js'
import { sightRemembered } from './remembered-addresses.js'

export interface MembersComponents {
  profile: NodeProfile
  stores: NodeStores
  network: Network
  contactSync: ContactSync<JournalEntry>
  messenger: Messenger<JournalEntry>
  carrying: Pick<Carrying, 'connected'>
  peerExchange: Pick<WiredPeerExchange, 'tell'>
  /** Dial each member where it was met before, at start (NodeOptions.dialKnownPeers). */
  dialKnownPeers: boolean
}

export interface WiredMembers {
  /** Connections kept when a peer, or this desk, joins: those that now link two members are greeted. */
  greetAllowed: (peer?: string) => void
  /** Listens to the host and to the membership log; call before the host starts. */
  start: () => void
  /** Once the host runs: journals what the log gained while stopped, adopts members, dials where they were met, announces our prekey. */
  catchUp: () => Promise<void>
  /** Before the host stops: notes the members still connected as seen until now. */
  stop: () => Promise<void>
}

export function buildMembers (components: MembersComponents): WiredMembers {
  const { profile, stores, network, contactSync, messenger } = components
  const { ws, host, log } = network
  const peerId = profile.device.peerId
  const membershipJournal = new MembershipJournal(stores.db, ws.membership, stores.commit)

  /** A member's connection: exchange records, catch up. Not an invitee's or a stranger's: no record, no name. */
  function greetMember (connection: Connection): void {
    if (!ws.allowed(connection.remotePeer.toString())) return
    components.peerExchange.tell(connection)
    void contactSync.greet(connection).then(contact => {
      if (contact === undefined) return
      messenger.connected(contact.peerId)
      components.carrying.connected(contact.peerId)
      // Ask what we lack of its messages (catch-up); its outbox pushes the rest.
      void askUntilServed({ ask: async heads => await requestSync(connection, heads), heads: () => messenger.catchUp.heads(contact.peerId), open: () => connection.status === 'open' })
        .then(answer => { if (answer.resent > 0) log('%s sends %d messages again', contact.peerId, answer.resent) })
        .catch(error => { log('catch-up with %s failed: %e', contact.peerId, error) })
    })
  }

  function greetAllowed (peer?: string): void {
    for (const connection of host.getConnections()) {
      if (connection.status === 'open' && (peer === undefined || connection.remotePeer.toString() === peer)) greetMember(connection)
    }
  }

  /** Every member becomes a contact, met or not, so that anyone can write to anyone. */
  async function adoptMembers (): Promise<void> {
    for (const member of ws.membership.members()) {
      if (member.peerId !== peerId && stores.contacts.get(member.peerId) === undefined) await contactSync.adopt(member.peerId, member)
    }
  }

  /** The keystore rotates the signed prekey weekly at start: members learn the new one from the log. */
  async function announcePrekey (): Promise<void> {
    const { prekey } = profile.keys
    const self = ws.membership.member(peerId)
    if (self === undefined || self.prekeyId >= prekey.id) return
    await ws.workspace.rotatePrekey(prekey.id, prekey.publicKey).catch(error => { log('could not announce the new prekey: %e', error) })
  }

  return {
    greetAllowed,
    start: () => {
      // Admitted over the network: the connections we kept become members' ones.
      ws.onJoined(() => { greetAllowed() })
      followAdmission(ws, stores.events)
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
      host.addEventListener('peer:disconnect', (event) => { void contactSync.disconnected(event.detail.toString()).catch(() => {}) })
    },
    catchUp: async () => {
      await membershipJournal.catchUp()
      await adoptMembers()
      if (components.dialKnownPeers) sightRemembered(network.remembered, stores.contacts.all())
      await announcePrekey()
    },
    stop: async () => { await contactSync.seenUntilNow() }
  }
}
