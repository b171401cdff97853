// Colleagues' photos in the profile: what a colleague's node sent is kept only when it is the photo
// their presence announced (size, type magic, SHA-256); one file per colleague, read back at open,
// replaced, removed; a damaged file or a stray name is not shown.
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { CausetteError } from '../../core/errors.js'
import { checkPeerPhoto, PeerPhotos, PEER_PHOTOS_DIR } from '../../core/profile/peer-photos.js'
import { photoRef, PHOTO_MAX_BYTES, type Photo } from '../../core/profile/photo.js'
import { MAX_PHOTO_FRAME_BYTES } from '../../core/protocol/limits.js'
import { PhotoAnswer } from '../../core/protocol/photo.js'
import { randomBytes } from '../../crypto/random.js'
import { tempHome } from '../helpers/nodes.js'

const jpeg = (size = 1000): Photo => ({ type: 'image/jpeg', bytes: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...randomBytes(size - 4)]) })
const PEER = '12D3KooWPKMEdYyfxx9sT2nEDoSWUNN76fVTaMtWscrznzXpCG52'
const refusedWith = (code: string) => (error: unknown) => error instanceof CausetteError && error.code === code

describe('peer photos', () => {
  it('takes only the announced photo: its size, its type\'s magic and its SHA-256', () => {
    const photo = jpeg()
    assert.deepEqual(checkPeerPhoto(photo.bytes, photoRef(photo)), photo)
    assert.throws(() => checkPeerPhoto(jpeg().bytes, photoRef(photo)), refusedWith('BAD_REQUEST'), 'another photo')
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    assert.throws(() => checkPeerPhoto(png, { type: 'image/jpeg', sha256: photoRef({ type: 'image/jpeg', bytes: png }).sha256 }), refusedWith('BAD_REQUEST'), 'a PNG')
    const webp = { type: 'image/webp' as const, bytes: photo.bytes }
    assert.throws(() => checkPeerPhoto(photo.bytes, photoRef(webp)), refusedWith('BAD_REQUEST'), 'a JPEG announced as WebP')
    const big = jpeg(PHOTO_MAX_BYTES + 1)
    assert.throws(() => checkPeerPhoto(big.bytes, photoRef(big)), refusedWith('PAYLOAD_TOO_LARGE'))
  })

  it('a frame holds the largest photo with its type and error fields', () => {
    const largest = PhotoAnswer.encode({ type: 'image/webp', photo: new Uint8Array(PHOTO_MAX_BYTES), errorCode: 'PAYLOAD_TOO_LARGE', errorMessage: 'x'.repeat(200) })
    assert.ok(largest.length <= MAX_PHOTO_FRAME_BYTES, `${largest.length} > ${MAX_PHOTO_FRAME_BYTES}`)
  })

  it('keeps one per colleague, read back at open, replaced and removed; a damaged file or a stray name is not shown', async (t) => {
    const home = await tempHome(t)
    const photos = await PeerPhotos.open(home)
    const first = jpeg()
    await photos.save(PEER, first)
    assert.ok(photos.holds(PEER, photoRef(first)))
    const second = jpeg()
    await photos.save(PEER, second)
    const reopened = await PeerPhotos.open(home)
    assert.deepEqual(reopened.ref(PEER), photoRef(second))
    assert.deepEqual(new Uint8Array((await reopened.read(PEER))!.bytes), second.bytes)
    await assert.rejects(photos.save('../photo', first), refusedWith('BAD_REQUEST'))

    await writeFile(join(home, PEER_PHOTOS_DIR, PEER), '<svg/>')
    await writeFile(join(home, PEER_PHOTOS_DIR, '.123-4.tmp'), first.bytes)
    const damaged = await PeerPhotos.open(home)
    assert.equal(damaged.ref(PEER), undefined)
    assert.equal(damaged.ref('.123-4.tmp'), undefined)

    assert.equal(await reopened.remove(PEER), true)
    assert.equal(await reopened.remove(PEER), false)
    assert.equal((await PeerPhotos.open(home)).ref(PEER), undefined)
  })
})
