// Photos between colleagues, wired into the node: our photo served on /causette/photo/1.0.0 (members
// only, by the SHA-256 our signed presence names), and colleagues' photos fetched when their
// presence names one we do not hold, checked (size, the announced type's magic, the announced
// SHA-256) and kept in the profile (core/profile/peer-photos.ts): one per colleague, replaced when
// theirs changes, removed when their presence names none or they leave the workspace. A photo that
// fails a check, or an answer out of bounds, undecodable or refusing a right request, is refused
// with a log line and counts against the colleague (a strike, PeerLimits.strike); a failed stream
// and an honest NOT_FOUND do not (photoFault). The next presence of that colleague asks again; a
// fetch that failed by no fault of theirs (our full disk, a failed stream) is also tried again after
// RETRY_FIRST_MS, then twice as long each time up to RETRY_LAST_MS, so a photo the full disk refused
// comes once there is room, though their presence does not change. A node
// from before photos refuses a presence with a photo line, so our photo is named only to colleagues
// whose node serves /causette/photo/1.0.0 (as identify tells), and told again once identify says so.
import type { Connection, Libp2p } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { fromHex, toHex } from '../../crypto/encoding.js'
import { codedError } from '../errors.js'
import { checkPeerPhoto, PeerPhotos } from '../profile/peer-photos.js'
import { photoRef, readPhoto, type Photo, type PhotoRef } from '../profile/photo.js'
import type { PeerLimits } from '../protocol/peer-limits.js'
import { fetchPhoto, handlePhotoStream, photoFault } from '../protocol/photo-protocol.js'
import { PHOTO_PROTOCOL } from '../protocol/protocol-ids.js'
import type { HandlerLimit } from '../protocol/stream-limiter.js'
import type { WorkspaceService } from '../workspace/service.js'
import { Port } from './port.js'

/** What the photos tell the node, handed at start. */
export interface PhotoListeners {
  /** A colleague's photo was kept or removed: show the colleague again. */
  changed: (peer: string) => void
  /** Identify says `peer` now reads photo lines: tell it our presence again. */
  readsPhotos: (peer: string) => void
}

export interface PhotoWiring {
  home: string
  host: Libp2p
  ws: Pick<WorkspaceService, 'membersOnly' | 'membership'>
  limited: HandlerLimit
  /** Counts a bad photo against the colleague who served it. */
  limits: Pick<PeerLimits, 'strike'>
  isMember: (peer: string) => boolean
  /** Our photo as we announce it (NodeProfile.photo). */
  ownPhoto: () => PhotoRef | null
  log: (format: string, ...args: unknown[]) => void
  /** The first wait before a failed fetch is tried again; default RETRY_FIRST_MS (NodeOptions.photoRetryMs). */
  retryFirstMs?: number
}

export interface WiredPhotos {
  /** A colleague's checked presence named this photo (null: none): fetch it if we lack it, or forget theirs. */
  announced: (peer: string, photo: PhotoRef | null) => void
  /** The SHA-256 of the photo we hold of `peer`, null if none (PeerView). */
  photoOf: (peer: string) => string | null
  /** The photo we hold of `peer` (the API serves it). */
  read: (peer: string) => Promise<Photo | undefined>
  /** Whether `peer`'s node reads a photo line in our presence (its identify named /causette/photo/1.0.0). */
  readsPhotos: (peer: string) => boolean
  /** Registers the protocol and the node's listeners. */
  start: (listeners: PhotoListeners) => Promise<void>
  stop: () => void
}

/** A fetch that failed by no fault of the colleague is tried again after this, then twice as long each time, up to RETRY_LAST_MS. */
export const RETRY_FIRST_MS = 15_000
const RETRY_LAST_MS = 15 * 60_000

export async function buildPhotos (components: PhotoWiring): Promise<WiredPhotos> {
  const { host, log } = components
  const photos = await PeerPhotos.open(components.home)
  const listeners = new Port<PhotoListeners>('the listeners of colleagues\' photos')
  /** Colleagues whose node serves the photo protocol, as identify last said (a few dozen in an office). */
  const readers = new Set<string>()
  /** The photo each colleague last announced, and whether a fetch of it is under way. */
  const wanted = new Map<string, { ref: PhotoRef, fetching: boolean }>()
  /** The next try of a photo whose fetch failed by no fault of the colleague. */
  const retries = new Map<string, NodeJS.Timeout>()
  let unsubscribe: (() => void) | undefined

  async function ourPhoto (sha256: Uint8Array): Promise<{ type: string, bytes: Uint8Array } | undefined> {
    const own = components.ownPhoto()
    if (own === null || own.sha256 !== toHex(sha256)) return undefined
    const photo = await readPhoto(components.home)
    return photo !== undefined && photoRef(photo).sha256 === own.sha256 ? photo : undefined
  }

  /** The announced photo from `connection`'s peer, checked; what fails by the peer's doing is a strike. */
  async function fetchChecked (connection: Connection, ref: PhotoRef): Promise<Photo> {
    try {
      return checkPeerPhoto((await fetchPhoto(connection, fromHex(ref.sha256))).bytes, ref)
    } catch (error) {
      const fault = photoFault(error)
      if (fault !== undefined) components.limits.strike(connection.remotePeer.toString(), fault.code, `a bad photo: ${fault.message}`)
      throw error
    }
  }

  async function fetchFrom (peer: string, ref: PhotoRef): Promise<void> {
    const connection = host.getConnections(peerIdFromString(peer)).find(x => x.status === 'open')
    if (connection === undefined) return // their next presence, on their next connection, asks again
    const photo = await fetchChecked(connection, ref)
    if (wanted.get(peer)?.ref.sha256 !== ref.sha256 || !components.isMember(peer)) return // changed or left meanwhile
    await photos.save(peer, photo)
    listeners.get().changed(peer)
  }

  function fetch (peer: string, ref: PhotoRef, waitedMs = 0): void {
    const entry = { ref, fetching: true }
    wanted.set(peer, entry)
    clearRetry(peer)
    void fetchFrom(peer, ref).catch(error => {
      log('refused the photo of %s (announced %s %s): %s', peer, ref.type, ref.sha256.slice(0, 12), codedError(error)?.message ?? (error as Error).message)
      if (photoFault(error) === undefined) retryLater(peer, entry, waitedMs === 0 ? components.retryFirstMs ?? RETRY_FIRST_MS : Math.min(2 * waitedMs, RETRY_LAST_MS))
    }).finally(() => {
      entry.fetching = false
      const latest = wanted.get(peer)
      if (latest !== undefined && latest !== entry && !latest.fetching && !photos.holds(peer, latest.ref)) fetch(peer, latest.ref)
    })
  }

  /** Fetches `entry` again in `waitMs`, if it is still the photo wanted then and not held. */
  function retryLater (peer: string, entry: { ref: PhotoRef }, waitMs: number): void {
    clearRetry(peer)
    const timer = setTimeout(() => {
      retries.delete(peer)
      if (wanted.get(peer) !== entry || photos.holds(peer, entry.ref) || !components.isMember(peer)) return
      fetch(peer, entry.ref, waitMs)
    }, waitMs)
    timer.unref()
    retries.set(peer, timer)
  }

  function clearRetry (peer: string): void {
    clearTimeout(retries.get(peer))
    retries.delete(peer)
  }

  async function forget (peer: string): Promise<void> {
    wanted.delete(peer)
    clearRetry(peer)
    if (await photos.remove(peer)) listeners.get().changed(peer)
  }

  function announced (peer: string, ref: PhotoRef | null): void {
    if (ref === null || !components.isMember(peer)) {
      void forget(peer).catch(error => { log('could not remove the photo of %s: %e', peer, error) })
      return
    }
    if (photos.holds(peer, ref)) {
      wanted.set(peer, { ref, fetching: false })
      return
    }
    const current = wanted.get(peer)
    if (current?.fetching === true) {
      // One fetch per colleague at a time: the newest announcement is fetched when this one ends.
      if (current.ref.sha256 !== ref.sha256) wanted.set(peer, { ref, fetching: false })
      return
    }
    fetch(peer, ref)
  }

  return {
    announced,
    photoOf: peer => photos.ref(peer)?.sha256 ?? null,
    read: async peer => await photos.read(peer),
    readsPhotos: peer => readers.has(peer),
    start: async handed => {
      listeners.connect(handed)
      await host.handle(PHOTO_PROTOCOL, components.limited(PHOTO_PROTOCOL, components.ws.membersOnly(stream => {
        void handlePhotoStream(stream, ourPhoto)
      })))
      host.addEventListener('peer:identify', ({ detail }) => {
        const peer = detail.peerId.toString()
        const reads = detail.protocols.includes(PHOTO_PROTOCOL)
        if (reads === readers.has(peer)) return
        if (reads) readers.add(peer)
        else readers.delete(peer)
        if (reads && components.isMember(peer)) listeners.get().readsPhotos(peer)
      })
      unsubscribe = components.ws.membership.onChange(change => {
        if (change.kind === 'remove' && change.peerId !== undefined) void forget(change.peerId).catch(error => { log('could not remove the photo of %s: %e', change.peerId, error) })
      })
    },
    stop: () => {
      unsubscribe?.()
      for (const peer of [...retries.keys()]) clearRetry(peer)
    }
  }
}
