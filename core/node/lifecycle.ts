// The start and stop phases of a node's built parts (node-parts.ts), in one explicit order each:
// protocols and listeners first, then the host; on stop, what sends first, the database last.
import { isCausetteError } from '../errors.js'
import { systemDesktopNotifier } from '../desk/desktop-notifier.js'
import { wireDesktopNotifications } from './desktop-notifications-wiring.js'
import type { NodeParts } from './node-parts.js'
import { pruneSendIds } from './send-id-pruning.js'

/** Starts the parts; returns the stop, to be called once. */
export async function startNodeParts (parts: NodeParts): Promise<() => Promise<void>> {
  const { stores, network, channels, presence, photos, carrying, messaging, members, peerExchange, updates, files, options } = parts
  const { host, log } = network
  await presence.start({
    peerChanged: parts.announcePeer,
    clockChanged: () => { void parts.profileApi.announceStatus().catch(error => { log('status: %e', error) }) }
  })
  await photos.start({
    changed: peer => { const contact = stores.contacts.get(peer); if (contact !== undefined) parts.announcePeer(contact) },
    readsPhotos: peer => { if (parts.profile.photo !== null) presence.tellPeer(peer) }
  })
  await carrying.start()
  await channels.start(messaging.messenger)
  await messaging.start()
  await network.ws.start(host, network.limited)
  await updates.start()
  await files.start()
  await peerExchange.start()
  members.start()

  await host.start()
  await stores.commit.write([stores.journal.port.startup()], [])
  await members.catchUp()
  const stopPruningSendIds = pruneSendIds(stores.sendOnce, log)
  const stopDesktopNotifications = wireDesktopNotifications({
    events: stores.events,
    notifier: options.desktopNotifier ?? systemDesktopNotifier(log),
    channelName: async id => (await channels.api.channels()).find(channel => channel.id === id)?.name,
    log
  })

  return async () => {
    stopDesktopNotifications()
    await stopPruningSendIds()
    peerExchange.stop()
    updates.stop()
    photos.stop()
    files.stop()
    network.sender.stop()
    messaging.messenger.delivery.stop()
    await carrying.stop()
    await channels.stop()
    await network.ws.stop()
    await members.stop()
    await host.stop()
    await presence.stop()
    await stores.search.close()
    await stores.commit.drain()
    await unlessStorageUnavailable(async () => { await stores.commit.write([stores.journal.port.shutdown()], []) })
    await unlessStorageUnavailable(async () => { await stores.journal.close() })
    await stores.db.close()
  }
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
