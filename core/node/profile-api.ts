// The part of NodeApi about this desk: its status (name, addresses, peers, journal, storage,
// workspace, clock, autostart, version), its name, its photo and whether it starts at login.
import type { NodeApi } from '../api/node-api.js'
import type { AutostartView, ClockView, NodeStatus } from '../api/schema.js'
import { setStartAtLogin, startAtLoginState, type ThisDesk } from '../desk/start-at-login.js'
import { photoRef, photoView, readPhoto, replacePhoto } from '../profile/photo.js'
import { VERSION } from '../runtime/build-info.js'
import { diagnoseDiscovery } from '../../discovery/index.js'
import type { JournalEntry } from '../journal/entry.js'
import type { ContactSync } from './contact-sync.js'
import type { Network } from './network.js'
import type { NodeProfile } from './node-profile.js'
import type { NodeStores } from './node-stores.js'
import { workspaceSummary } from './views.js'

export interface ProfileApiComponents {
  profile: NodeProfile
  stores: NodeStores
  network: Network
  contactSync: ContactSync<JournalEntry>
  /** We renamed ourselves: colleagues whose name ours now shares, or no longer, are shown anew. */
  renamed: () => void
  /** Our clock against our colleagues' (core/presence). */
  clock: () => ClockView
  discovery: { mdns: boolean, peers: string[] }
  /** Our photo changed: colleagues are told (core/presence). */
  photoChanged: () => void
  /** Where start at login acts: this user's desk, or a test's. */
  desk: ThisDesk
}

export type ProfileApi = Pick<NodeApi, 'status' | 'setName' | 'photo' | 'setPhoto' | 'setStartAtLogin'> & {
  /** Emits the status again (a 'status' event). */
  announceStatus: () => Promise<void>
}

export function profileApi (components: ProfileApiComponents): ProfileApi {
  const { profile, stores, network, discovery, desk } = components
  const { db, journal, contacts, events } = stores

  async function status (): Promise<NodeStatus> {
    const all = contacts.all()
    return {
      peerId: profile.device.peerId,
      name: profile.settings.name,
      nameChosen: profile.settings.nameChosen,
      journalKey: journal.journal.verifierKey,
      photo: profile.photoSet,
      passphrase: profile.passphraseSet,
      color: profile.color,
      addresses: network.addresses(),
      mdns: discovery.mdns,
      discoveryProblems: await diagnoseDiscovery(discovery),
      peers: { known: all.length, connected: all.filter(c => network.isConnected(c.peerId)).length },
      queued: stores.outbox.size,
      journal: { size: journal.journal.size, key: journal.journal.verifierKey },
      storage: { ...db.health(), damage: db.damage },
      workspace: workspaceSummary(network.ws.membership, profile.device.peerId),
      clock: components.clock(),
      autostart: await startAtLoginState(desk),
      version: VERSION
    }
  }

  async function announceStatus (): Promise<void> {
    events.emit({ type: 'status', status: await status() })
  }

  return {
    status,
    announceStatus,

    async setName (name: string): Promise<void> {
      await profile.rename(name)
      components.renamed()
      await Promise.all([components.contactSync.announce(), network.ws.joinOffers.renamed()])
      await announceStatus()
    },

    async photo () { return await photoView(profile.home) },

    async setPhoto (photo) {
      await replacePhoto(profile.home, photo)
      const stored = photo === null ? undefined : await readPhoto(profile.home)
      profile.photo = stored === undefined ? null : photoRef(stored)
      components.photoChanged()
      await announceStatus()
    },

    async setStartAtLogin (enabled: boolean): Promise<AutostartView> {
      try {
        await setStartAtLogin(desk, profile.home, enabled)
      } finally {
        // A failed step may have done part of it: every tab shows where it stands.
        await announceStatus()
      }
      return await startAtLoginState(desk)
    }
  }
}
