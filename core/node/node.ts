// A causette node: one per workstation and profile. startNode opens the profile (keys, settings,
// database), builds the node's parts in dependency order (node-parts.ts), starts them
// (lifecycle.ts), and offers them as one CausetteNode: the NodeApi of the local API and CLI.
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { ed25519Signer } from '../../crypto/ed25519.js'
import { CausetteError } from '../errors.js'
import { ensureProfileDir, resolveHome } from '../profile/files.js'
import { loadOrCreateDeviceKeys } from '../profile/keystore.js'
import { hasPassphrase } from '../profile/passphrase.js'
import { photoRef, readPhoto } from '../profile/photo.js'
import { loadSettings } from '../profile/settings.js'
import { tuneGarbageCollector } from '../runtime/gc-tuning.js'
import { openDatabase } from '../store/database.js'
import { valueEncryption } from '../store/value-encryption.js'
import { contactsApi } from './contacts-api.js'
import { conversationsApi } from './conversations-api.js'
import { filesApi } from './files-api.js'
import { removeProfileLeftovers } from './leftover-temporaries.js'
import { startNodeParts } from './lifecycle.js'
import type { CausetteNode, NodeOptions } from './node-options.js'
import { buildNodeParts, type NodeParts } from './node-parts.js'
import { NodeProfile } from './node-profile.js'
import { DEFAULT_P2P_PORT } from './p2p-host.js'
import { workspaceApi } from './workspace-api.js'

export { DEFAULT_P2P_PORT }
export type { CausetteNode, NodeOptions }

export async function startNode (options: NodeOptions = {}): Promise<CausetteNode> {
  tuneGarbageCollector()
  const home = resolveHome(options.home)
  await ensureProfileDir(home)
  const now = options.now ?? Date.now
  // A wrong passphrase stops here, before anything in the profile is written.
  const { keys, masterKey } = await loadOrCreateDeviceKeys(home, now(), options.passphrase)
  const settings = await loadSettings(home, options.name === undefined ? {} : { name: options.name })
  const db = await openDatabase(home, valueEncryption(masterKey), options.held)
  for (const line of db.damage) console.error(`causette store: LevelDB found a damaged file while opening the database and dropped what it could not read: ${line}. Run 'causette doctor' with the node stopped`)
  await removeProfileLeftovers(home, line => { console.error(line) }) // the profile is ours now: no other node writes in it
  try {
    const profile = new NodeProfile({
      home,
      keys,
      device: { peerId: peerIdFromPublicKey(publicKeyFromRaw(keys.device.publicKey)).toString(), deviceKey: keys.device.publicKey, sign: ed25519Signer(keys.device.seed) },
      settings,
      passphraseSet: await hasPassphrase(home), // only a stopped node's profile can change it
      photo: await readPhoto(home).then(photo => photo === undefined ? null : photoRef(photo)),
      now
    })
    const parts = await buildNodeParts(profile, db, options)
    const stopParts = await startNodeParts(parts)
    return causetteNode(parts, stopParts)
  } catch (error) {
    // A profile the caller held stays held: a locked node tries the next unlock with no window for another process.
    if (options.held === undefined) await db.close()
    throw error
  }
}

/** The started parts as one node: each part of NodeApi from the parts it needs. */
function causetteNode (parts: NodeParts, stopParts: () => Promise<void>): CausetteNode {
  const { profile, stores, network, views, messaging } = parts
  const peerId = profile.device.peerId
  const { status, setName, photo, setPhoto, setStartAtLogin } = parts.profileApi
  let stopping: Promise<void> | undefined
  return {
    peerId,
    home: profile.home,
    workspace: network.ws,
    events: stores.events,
    addresses: network.addresses,
    limits: network.limits,
    status,
    setName,
    photo,
    setPhoto,
    async peerPhoto (peer: string) {
      const photo = await parts.photos.read(peer)
      if (photo === undefined) throw new CausetteError('NOT_FOUND', `no photo of ${peer.slice(0, 60)} here`)
      return photo
    },
    setStartAtLogin,
    ...parts.presence.api,
    ...parts.channels.api,
    ...parts.updates.api,
    ...filesApi(parts.files.service),
    ...contactsApi({ deviceKey: profile.device.deviceKey, contacts: stores.contacts, contactSync: parts.contactSync, messenger: messaging.messenger, views }),
    ...conversationsApi({ peerId, stores, messenger: messaging.messenger, shownView: messaging.shownView, channels: parts.channels.api, views, files: parts.files.service }),
    ...workspaceApi({ stores, network, members: parts.members, views }),
    async stop (): Promise<void> {
      stopping ??= stopParts()
      await stopping
    }
  }
}
