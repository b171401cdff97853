// Colleagues' photos between real nodes on loopback: Alice sets a photo, Bruno's node fetches it
// (/causette/photo/1.0.0), checks it and serves the same bytes on its API; Alice changes it and
// removes it, and Bruno follows. A raw peer that answers with bad bytes (another photo than the one
// announced, a PNG or an SVG declared as a JPEG, an answer over the bound, undecodable, a refusal of
// a right request) is refused, each a strike (a NOT_FOUND or a reset stream is none), and the node
// carries on: the next good photo it announces is taken; one that keeps at it is cut off. A member
// removed from the workspace leaves no photo behind. A node from before photos (no
// /causette/photo/1.0.0 in its identify) is sent no photo line, which it would refuse.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import { lpStream } from '@libp2p/utils'
import type { CausetteNode } from '../../core/node/node.js'
import { startApiServer } from '../../core/api/server.js'
import { DOWNLOAD_CSP } from '../../core/api/download-headers.js'
import { API_PREFIX } from '../../core/api/paths.js'
import { toBase64 } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import { pushPresence } from '../../core/presence/protocol.js'
import { signPresence, type SignedPresence } from '../../core/presence/signed-presence.js'
import { photoRef, PHOTO_MAX_BYTES, type PhotoRef } from '../../core/profile/photo.js'
import { PhotoAnswer } from '../../core/protocol/photo.js'
import { PresenceAck, PresenceFrame } from '../../core/protocol/presence.js'
import { STRIKE_BURST } from '../../core/protocol/limits.js'
import { PHOTO_PROTOCOL, PRESENCE_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { fromUtf8 } from '../../crypto/encoding.js'
import { addressOf, eventually, testNode, waitForPeer } from '../helpers/nodes.js'
import { rawPeer } from '../helpers/raw-peer.js'
import { workspaceOf } from '../helpers/channel-workspace.js'
import { mountSmallDisk } from '../helpers/small-disk.js'

/** Bytes with a JPEG's first bytes (SOI, APP0): all a photo's type check reads. */
const jpeg = (size = 2000): Uint8Array => Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...randomBytes(size - 4)])
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')

async function pair (t: TestContext): Promise<[CausetteNode, CausetteNode]> {
  const alice = await testNode(t, { name: 'alice' })
  const bruno = await testNode(t, { name: 'bruno', peers: [addressOf(alice)] })
  await waitForPeer(alice, bruno.peerId)
  await waitForPeer(bruno, alice.peerId)
  return [alice, bruno]
}

async function photoSeen (node: CausetteNode, peer: string, sha256: string | null, ms = 20_000): Promise<void> {
  await eventually(async () => (await node.peers()).find(p => p.peerId === peer && p.photo === sha256), ms, `${peer.slice(-6)}'s photo ${sha256?.slice(0, 8) ?? 'removed'}`)
}

test('a colleague\'s photo reaches Bruno\'s node, which serves the same bytes; a change and a removal follow', async (t) => {
  const [alice, bruno] = await pair(t)
  const api = await startApiServer({ node: bruno, home: bruno.home, port: 0 })
  t.after(async () => { await api.close() })
  const get = async (peer: string): Promise<Response> => await fetch(`${api.url}${API_PREFIX}/peers/${peer}/photo`, { headers: { authorization: `Bearer ${api.token}` } })

  assert.equal((await get(alice.peerId)).status, 404, 'no photo yet')
  const first = jpeg()
  await alice.setPhoto({ type: 'image/jpeg', data: toBase64(first) })
  const firstRef = photoRef({ type: 'image/jpeg', bytes: first })
  await photoSeen(bruno, alice.peerId, firstRef.sha256)
  const response = await get(alice.peerId)
  assert.equal(response.status, 200)
  assert.deepEqual(new Uint8Array(await response.arrayBuffer()), first)
  assert.equal(response.headers.get('content-type'), 'image/jpeg')
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
  assert.equal(response.headers.get('content-security-policy'), DOWNLOAD_CSP)

  const second = Uint8Array.from([...new TextEncoder().encode('RIFF'), 0, 0, 0, 0, ...new TextEncoder().encode('WEBPVP8 '), ...randomBytes(500)])
  await alice.setPhoto({ type: 'image/webp', data: toBase64(second) })
  await photoSeen(bruno, alice.peerId, photoRef({ type: 'image/webp', bytes: second }).sha256)
  const changed = await get(alice.peerId)
  assert.equal(changed.headers.get('content-type'), 'image/webp')
  assert.deepEqual(new Uint8Array(await changed.arrayBuffer()), second)

  await alice.setPhoto(null)
  await photoSeen(bruno, alice.peerId, null)
  assert.equal((await get(alice.peerId)).status, 404)
})

test('a member removed from the workspace leaves no photo behind', async (t) => {
  const { nodes: [alice, bruno] } = await workspaceOf(t, ['alice', 'bruno'])
  const photo = jpeg()
  await bruno!.setPhoto({ type: 'image/jpeg', data: toBase64(photo) })
  await photoSeen(alice!, bruno!.peerId, photoRef({ type: 'image/jpeg', bytes: photo }).sha256)
  await alice!.removeMember(bruno!.peerId)
  await eventually(async () => await alice!.peerPhoto(bruno!.peerId).then(() => undefined, () => true), 20_000, 'the photo removed')
  assert.equal((await alice!.peers()).find(p => p.peerId === bruno!.peerId)?.photo ?? null, null)
})

test('a node that does not serve the photo protocol is sent presences without a photo line', async (t) => {
  const alice = await testNode(t, { name: 'alice' })
  await alice.setPhoto({ type: 'image/jpeg', data: toBase64(jpeg()) })
  const old = await rawPeer(t) // no identify, no photo protocol: as a node from before photos
  const received: string[] = []
  await old.libp2p.handle(PRESENCE_PROTOCOL, (stream) => {
    const lp = lpStream(stream)
    void (async () => {
      received.push(fromUtf8(PresenceFrame.decode(await lp.read()).presence))
      await lp.write(PresenceAck.encode({ errorCode: '', errorMessage: '' }))
      await stream.close()
    })().catch(error => { stream.abort(error as Error) })
  })
  await old.libp2p.dial(multiaddr(addressOf(alice)))
  await eventually(() => received.length > 0 || undefined, 20_000, 'alice\'s presence')
  assert.doesNotMatch(received[0]!, /\nphoto: /)
})

/** What a raw peer answers a photo request with: a photo, a refusal, undecodable bytes, or a reset stream. */
type RawAnswer = { type: string, bytes: Uint8Array } | { refuse: string } | 'garbage' | 'reset'

/**
 * A raw peer connected to `node` that serves the photo protocol with whatever `answer` holds, and
 * signs presences naming a photo; its refusals and strikes as `node` counts them.
 */
async function photoServer (t: TestContext, node: CausetteNode) {
  const raw = await rawPeer(t)
  const id = raw.libp2p.peerId.toString()
  const server = { id, answer: { refuse: 'NOT_FOUND' } as RawAnswer, asked: 0, refusals: [] as string[], beforeAnswer: undefined as (() => Promise<void>) | undefined }
  await raw.libp2p.handle(PHOTO_PROTOCOL, (stream) => {
    server.asked++
    const lp = lpStream(stream, { maxDataLength: 1024 * 1024 })
    const { answer, beforeAnswer } = server
    void (async () => {
      await lp.read()
      await beforeAnswer?.()
      if (answer === 'reset') { stream.abort(new Error('reset by the raw peer')); return }
      if (answer === 'garbage') await lp.write(Uint8Array.from([0xff, 0xff, 0xff]))
      else if ('refuse' in answer) await lp.write(PhotoAnswer.encode({ type: '', photo: new Uint8Array(0), errorCode: answer.refuse, errorMessage: 'raw refusal' }))
      else await lp.write(PhotoAnswer.encode({ type: answer.type, photo: answer.bytes as Uint8Array<ArrayBuffer>, errorCode: '', errorMessage: '' }))
      await stream.close()
    })().catch(error => { stream.abort(error as Error) })
  })
  t.after(node.limits.onRefused((peer, code) => { if (peer === id) server.refusals.push(code) }))
  const connection = await raw.libp2p.dial(multiaddr(addressOf(node)))
  await waitForPeer(node, id)
  let issued = Date.now()
  /** Announces `photo` with `answer` ready for its request, and waits until `node` asked for it. */
  const serve = async (photo: PhotoRef, answer: RawAnswer, what: string): Promise<void> => {
    server.answer = answer
    const before = server.asked
    const presence: SignedPresence = { device: raw.publicKey, status: 'available', text: '', until: null, issued: ++issued, exceptions: [], photo }
    await pushPresence(connection, signPresence(raw.sign, presence))
    await eventually(() => server.asked > before || undefined, 20_000, `the node asks for ${what}`)
  }
  return { raw, server, serve }
}

test('photo answers that are not the announced photo are refused and each is a strike, and the node keeps going', async (t) => {
  const bruno = await testNode(t, { name: 'bruno' })
  const { server, serve } = await photoServer(t, bruno)
  const rawId = server.id
  const seenPhotos: Array<string | null> = []
  t.after(bruno.events.subscribe(undefined, frame => { if (frame.event.type === 'peer' && frame.event.peer.peerId === rawId) seenPhotos.push(frame.event.peer.photo) }))

  const wrongHash = jpeg()
  const oversized = jpeg(PHOTO_MAX_BYTES + 200) // fits in a frame: the photo check refuses it
  const overFrame = jpeg(PHOTO_MAX_BYTES + 4096) // over the frame bound: the stream refuses it
  const bad: Array<[string, PhotoRef, RawAnswer]> = [
    ['another photo than the announced one', photoRef({ type: 'image/jpeg', bytes: jpeg() }), { type: 'image/jpeg', bytes: wrongHash }],
    ['a PNG declared as a JPEG', { type: 'image/jpeg', sha256: photoRef({ type: 'image/jpeg', bytes: PNG }).sha256 }, { type: 'image/jpeg', bytes: PNG }],
    ['an SVG declared as a JPEG', { type: 'image/jpeg', sha256: photoRef({ type: 'image/jpeg', bytes: SVG }).sha256 }, { type: 'image/jpeg', bytes: SVG }],
    ['a photo over 64 KiB', photoRef({ type: 'image/jpeg', bytes: oversized }), { type: 'image/jpeg', bytes: oversized }],
    ['an answer over the frame bound', photoRef({ type: 'image/jpeg', bytes: overFrame }), { type: 'image/jpeg', bytes: overFrame }],
    ['an undecodable answer', photoRef({ type: 'image/jpeg', bytes: jpeg() }), 'garbage'],
    ['a refusal of a right request', photoRef({ type: 'image/jpeg', bytes: jpeg() }), { refuse: 'BAD_FRAME' }],
    // Not the colleague's doing, or honest: no strike.
    ['a photo that changed since (NOT_FOUND)', photoRef({ type: 'image/jpeg', bytes: jpeg() }), { refuse: 'NOT_FOUND' }],
    ['a photo it cannot read now (INTERNAL)', photoRef({ type: 'image/jpeg', bytes: jpeg() }), { refuse: 'INTERNAL' }],
    ['a stream reset', photoRef({ type: 'image/jpeg', bytes: jpeg() }), 'reset']
  ]
  for (const [what, announced, answered] of bad) await serve(announced, answered, what)
  // One fetch per colleague at a time, in order: once the good one is held, every bad one was refused.
  const good = jpeg()
  await serve(photoRef({ type: 'image/jpeg', bytes: good }), { type: 'image/jpeg', bytes: good }, 'the good photo')
  await photoSeen(bruno, rawId, photoRef({ type: 'image/jpeg', bytes: good }).sha256)
  const held = await bruno.peerPhoto(rawId)
  assert.deepEqual({ type: held.type, bytes: new Uint8Array(held.bytes) }, { type: 'image/jpeg', bytes: good })
  assert.deepEqual(seenPhotos.filter(photo => photo !== null), [photoRef({ type: 'image/jpeg', bytes: good }).sha256], 'no bad photo was ever shown')
  assert.deepEqual(server.refusals, ['BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'FRAME_TOO_LARGE', 'BAD_FRAME', 'BAD_FRAME'], 'a strike for each bad photo, none for an honest refusal or a reset')
})

test('a colleague that keeps serving bad photos is cut off for its cool-down, and the node keeps serving', async (t) => {
  const alice = await testNode(t, { name: 'alice' })
  const bruno = await testNode(t, { name: 'bruno', peers: [addressOf(alice)] })
  await waitForPeer(bruno, alice.peerId)
  const { raw, server, serve } = await photoServer(t, bruno)
  // Past the burst of strikes a peer may earn (STRIKE_BURST), at once: each bad photo is one.
  for (let round = 0; !server.refusals.includes('COOLING_DOWN'); round++) {
    assert.ok(round <= 10 * STRIKE_BURST, `still not cut off after ${round} bad photos: ${server.refusals.join(' ')}`)
    const bad = jpeg()
    await serve(photoRef({ type: 'image/jpeg', bytes: jpeg() }), { type: 'image/jpeg', bytes: bad }, `bad photo ${round}`)
    await eventually(() => server.refusals.length > round || undefined, 20_000, `the strike of bad photo ${round}`)
  }
  await eventually(() => raw.libp2p.getConnections().every(connection => connection.remotePeer.toString() !== bruno.peerId) || undefined, 20_000, 'the raw peer\'s connections closed')
  assert.ok(bruno.limits.coolingDown(server.id), 'the gater refuses it both ways for its cool-down')
  // Bruno still takes a colleague's photo.
  const photo = jpeg()
  await alice.setPhoto({ type: 'image/jpeg', data: toBase64(photo) })
  await photoSeen(bruno, alice.peerId, photoRef({ type: 'image/jpeg', bytes: photo }).sha256)
})

// Before, a photo the full disk refused was asked for again only when the colleague's presence changed.
test('a photo the full disk refused is fetched again once there is room, though the colleague\'s presence stays the same', async (t) => {
  const disk = await mountSmallDisk(t)
  const bruno = await testNode(t, { home: join(disk.path, 'home'), name: 'bruno', photoRetryMs: 200 })
  const { server, serve } = await photoServer(t, bruno)
  const photo = jpeg()
  const ref = photoRef({ type: 'image/jpeg', bytes: photo })
  await disk.fill()
  await serve(ref, { type: 'image/jpeg', bytes: photo }, 'the photo') // answered whole; Bruno's disk refuses it
  server.beforeAnswer = async () => { await disk.free() } // room comes back as the next request arrives
  await photoSeen(bruno, server.id, ref.sha256, 60_000) // asked again after photoRetryMs (RETRY_FIRST_MS, 15 s, by default)
  assert.equal(server.asked, 2)
  assert.deepEqual(server.refusals, [], 'no strike: the full disk was not the colleague\'s doing')
})
