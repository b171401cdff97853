// Colleagues' photos, as their nodes sent them: one file per colleague under the profile's
// `peer-photos/` (named by PeerId, mode 0600), replaced when their presence names another photo,
// removed when it names none or they leave the workspace. What arrives is checked before it is
// kept: the size bound, the JPEG or WebP magic of the announced type, and the announced SHA-256.
import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { CausetteError } from '../errors.js'
import { writeSecretFile } from './files.js'
import { checkPhoto, photoRef, readPhotoFile, PHOTO_MAX_BYTES, type Photo, type PhotoRef } from './photo.js'

export const PEER_PHOTOS_DIR = 'peer-photos'
/** A PeerId in base58btc (what libp2p prints): no dot, no slash, so it is a plain file name. */
const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{1,128}$/

/** The bytes a colleague's node answered, checked against what their signed presence announced; throws a CausetteError naming what is wrong. */
export function checkPeerPhoto (bytes: Uint8Array, announced: PhotoRef): Photo {
  if (bytes.length > PHOTO_MAX_BYTES) throw new CausetteError('PAYLOAD_TOO_LARGE', `a photo is at most ${PHOTO_MAX_BYTES} bytes (this one has ${bytes.length})`)
  const photo = checkPhoto(bytes, announced.type)
  if (photoRef(photo).sha256 !== announced.sha256) throw new CausetteError('BAD_REQUEST', `the photo's SHA-256 is not the announced ${announced.sha256.slice(0, 12)}…`)
  return photo
}

export class PeerPhotos {
  readonly #dir: string
  /** What is on disk, read once at open: the API's peer views name each photo synchronously. */
  readonly #refs: Map<string, PhotoRef>

  private constructor (dir: string, refs: Map<string, PhotoRef>) {
    this.#dir = dir
    this.#refs = refs
  }

  static async open (home: string): Promise<PeerPhotos> {
    const dir = join(home, PEER_PHOTOS_DIR)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const refs = new Map<string, PhotoRef>()
    for (const name of await readdir(dir)) {
      if (!PEER_ID.test(name)) continue // a temporary file of an interrupted write, or something put by hand
      const photo = await readPhotoFile(join(dir, name))
      if (photo !== undefined) refs.set(name, photoRef(photo))
    }
    return new PeerPhotos(dir, refs)
  }

  /** The photo we hold of `peer`, undefined if none. */
  ref (peer: string): PhotoRef | undefined {
    return this.#refs.get(peer)
  }

  /** Whether we hold exactly the photo `peer` announced. */
  holds (peer: string, announced: PhotoRef): boolean {
    const held = this.#refs.get(peer)
    return held !== undefined && held.sha256 === announced.sha256 && held.type === announced.type
  }

  async read (peer: string): Promise<Photo | undefined> {
    if (!this.#refs.has(peer)) return undefined
    return await readPhotoFile(join(this.#dir, peer))
  }

  /** Keeps `photo` (checked by checkPeerPhoto) as `peer`'s, replacing the one before. */
  async save (peer: string, photo: Photo): Promise<void> {
    if (!PEER_ID.test(peer)) throw new CausetteError('BAD_REQUEST', 'not a PeerId')
    await writeSecretFile(join(this.#dir, peer), photo.bytes)
    this.#refs.set(peer, photoRef(photo))
  }

  /** Forgets `peer`'s photo; true if there was one. */
  async remove (peer: string): Promise<boolean> {
    if (!this.#refs.delete(peer)) return false
    await rm(join(this.#dir, peer), { force: true })
    return true
  }
}
