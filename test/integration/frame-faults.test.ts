// A colleague whose stream fails is not struck as if it had sent a bad frame (docs/SECURITY.md,
// "Abuse limits"): between a real node and a raw libp2p peer over TCP on loopback, for each protocol
// a peer may open, a stream reset in the middle of a frame (a laptop's lid closed) and one whose
// sender closes it in the middle of a frame (a dropped Wi-Fi link, seen as an early end) earn no
// strike, while a frame that does not decode, or is over its bound, on the same protocol earns one,
// with its code; the node keeps serving. The workspace's protocols likewise, on a workspace service
// whose handlers are wrapped in the per-peer limits as the node wraps them; there a failed stream is
// also neither answered nor reported as refused, while a bad frame is both.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Stream } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import type { Uint8ArrayList } from 'uint8arraylist'
import { ADMISSION_PROTOCOL, CARRY_PROTOCOL, CHANNEL_PROTOCOL, FILE_PROTOCOL, INVITE_PROTOCOL, JOIN_PROTOCOL, MEMBERS_PROTOCOL, MESSAGE_PROTOCOL, PEERS_PROTOCOL, PHOTO_PROTOCOL, PRESENCE_PROTOCOL, RECORD_PROTOCOL, SYNC_PROTOCOL, UPDATE_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { limitStreams, type HandlerLimit } from '../../core/protocol/stream-limiter.js'
import { AdmissionFrame, EntriesFrame } from '../../core/protocol/workspace.js'
import type { CausetteNode } from '../../core/node/node.js'
import { decodeInviteCode } from '../../core/workspace/invite-code.js'
import { addressOf, testNode } from '../helpers/nodes.js'
import { rawPeer } from '../helpers/raw-peer.js'
import { bareNode, workspacePeer } from './workspace-peer.js'

/** The codes each protocol strikes an undecodable frame, then an oversized one, with. */
const STRIKE_CODES: Record<string, string[]> = {
  [SYNC_PROTOCOL]: ['BAD_FRAME', 'FRAME_TOO_LARGE'],
  [CARRY_PROTOCOL]: ['BAD_FRAME', 'FRAME_TOO_LARGE'],
  [FILE_PROTOCOL]: ['TRANSFER_BAD_FRAME', 'TRANSFER_BAD_FRAME'],
  [UPDATE_PROTOCOL]: ['BAD_FRAME', 'FRAME_TOO_LARGE'],
  [CHANNEL_PROTOCOL]: ['BAD_FRAME', 'FRAME_TOO_LARGE'],
  [PHOTO_PROTOCOL]: ['BAD_FRAME', 'FRAME_TOO_LARGE'],
  [PEERS_PROTOCOL]: ['BAD_FRAME', 'FRAME_TOO_LARGE'],
  [PRESENCE_PROTOCOL]: ['PRESENCE_BAD_FRAME', 'PRESENCE_BAD_FRAME'],
  [MESSAGE_PROTOCOL]: ['BAD_FRAME', 'FRAME_TOO_LARGE'],
  [RECORD_PROTOCOL]: ['BAD_FRAME', 'FRAME_TOO_LARGE']
}

/** The start of a frame within every protocol's bound (the invite request's, 16 bytes, is the least): a length prefix of 12 bytes, and 6 of them. */
const FRAME_START = new Uint8Array([12, ...new Array<number>(6).fill(0x0a)])
/** A whole frame that decodes as no message of ours: field 1, length-delimited, of a length past its end. */
const UNDECODABLE = new Uint8Array([6, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])
/** The length prefix of a frame of 256 MiB, past every protocol's bound. */
const OVERSIZED = new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x01])

/** Resolves once the stream has closed both ways (the node ended its side). */
async function ended (stream: Stream): Promise<void> {
  if (stream.status !== 'open') return
  await new Promise(resolve => { stream.addEventListener('close', resolve, { once: true }) })
}

/**
 * On a stream `open` gives each time: one reset mid-frame, one closed mid-frame, then an undecodable
 * frame and an oversized one, each awaited until the node has ended its side.
 */
async function sendFaults (open: () => Promise<Stream>): Promise<void> {
  /** Sends `bytes` on a new stream, closes it, and waits until the node has ended its side too. */
  const sendAndEnd = async (bytes: Uint8Array): Promise<void> => {
    const stream = await open()
    stream.send(bytes)
    await stream.close()
    await ended(stream)
  }
  const reset = await open()
  reset.send(FRAME_START)
  reset.abort(new Error('the lid closed'))
  await sendAndEnd(FRAME_START) // closed mid-frame
  await sendAndEnd(UNDECODABLE)
  await sendAndEnd(OVERSIZED)
}

/** A workspace listener's answer frame: every one can carry a refusal's code. */
type AnswerCodec = { decode: (bytes: Uint8Array | Uint8ArrayList) => { errorCode: string } }

/** What a listener answers a stream that sends `bytes` and closes its side: the answer's code, or undefined when the stream ends with no answer. */
async function answerOf (stream: Stream, bytes: Uint8Array, codec: AnswerCodec): Promise<string | undefined> {
  stream.send(bytes)
  await stream.close()
  return await pbStream(stream).read(codec).then(answer => answer.errorCode, () => undefined)
}

/** The codes of the strikes `node` counts against `peer`, as they come. */
function strikesOf (node: CausetteNode, peer: string, after: (stop: () => void) => void): string[] {
  const codes: string[] = []
  after(node.limits.onRefused((struck, code) => { if (struck === peer) codes.push(code) }))
  return codes
}

test('a stream reset or closed mid-frame earns no strike; an undecodable or oversized frame on the same protocol earns one', { timeout: 120_000 }, async (t) => {
  const node = await testNode(t, { name: 'listener' })
  // Three peers take turns: one would earn all the strikes, near a cut-off (STRIKE_BURST); one per
  // protocol would dial from this host faster than its connection rate allows.
  const peers = [await rawPeer(t), await rawPeer(t), await rawPeer(t)]
  for (const [index, protocol] of Object.keys(STRIKE_CODES).entries()) await t.test(protocol, async () => {
    const peer = peers[index % peers.length]!
    const strikes = strikesOf(node, peer.libp2p.peerId.toString(), stop => { t.after(stop) })
    await sendFaults(async () => await peer.libp2p.dialProtocol(multiaddr(addressOf(node)), protocol))
    assert.deepEqual(strikes, STRIKE_CODES[protocol], `${protocol}: a strike for each bad frame, none for the failed streams`)
  })
  assert.equal(node.limits.counts.coolDowns, 0)
  assert.equal((await node.status()).peerId, node.peerId, 'the node keeps serving')
})

test('a sender that stops mid-frame until the listener\'s deadline earns no strike', { timeout: 120_000 }, async (t) => {
  const node = await testNode(t, { name: 'listener' })
  const peer = await rawPeer(t)
  const strikes = strikesOf(node, peer.libp2p.peerId.toString(), stop => { t.after(stop) })
  // The deadlines of these listeners (5 s and 10 s) are under the stalled-stream bound (30 s).
  await Promise.all([PEERS_PROTOCOL, SYNC_PROTOCOL, PHOTO_PROTOCOL].map(async protocol => {
    const stream = await peer.libp2p.dialProtocol(multiaddr(addressOf(node)), protocol)
    stream.send(FRAME_START)
    await ended(stream) // the node gave up at its deadline
  }))
  assert.deepEqual(strikes, [])
})

test('the workspace protocols: a stream reset or closed mid-frame earns no strike, an undecodable or oversized frame one, an admission request of an unknown kind none', { timeout: 120_000 }, async (t) => {
  const strikes: string[] = []
  const limit: HandlerLimit = (protocol, handler) => limitStreams(handler, { protocol, limits: { admitStream: () => undefined, strike: (_, code) => { strikes.push(code) } } })
  const admin = await workspacePeer(t, 'admin', { limit })
  await admin.workspace.create('Acme')
  const bob = await workspacePeer(t, 'bob')
  await bob.join((await admin.workspace.createInvite()).code)
  await bob.connect(admin)
  // The holder of an invite reaches join and invite, a desk in no workspace admission, a member members.
  const invitee = await bareNode(t, decodeInviteCode((await admin.workspace.createInvite()).code).secret)
  const stranger = await bareNode(t)
  const dialers = { [JOIN_PROTOCOL]: invitee, [INVITE_PROTOCOL]: invitee, [ADMISSION_PROTOCOL]: stranger, [MEMBERS_PROTOCOL]: bob.libp2p }
  /** The frame each listener answers with (members answers nothing it could not read). */
  const answers: Record<string, AnswerCodec> = { [JOIN_PROTOCOL]: EntriesFrame, [INVITE_PROTOCOL]: EntriesFrame, [ADMISSION_PROTOCOL]: AdmissionFrame }
  for (const [protocol, dialer] of Object.entries(dialers)) await t.test(protocol, async () => {
    strikes.length = 0
    const refused = admin.refusals.length
    const open = async (): Promise<Stream> => await dialer.dialProtocol(admin.libp2p.getMultiaddrs()[0]!, protocol)
    await sendFaults(open)
    assert.deepEqual(strikes, ['BAD_FRAME', 'FRAME_TOO_LARGE'], `${protocol}: a strike for each bad frame, none for the failed streams`)
    const reported = protocol === ADMISSION_PROTOCOL ? [] : ['MEMBERS_BAD_FRAME', 'MEMBERS_BAD_FRAME']
    assert.deepEqual(admin.refusals.slice(refused).map(refusal => refusal.code), reported, `${protocol}: the bad frames reported as refused, not the failed streams`)
    const answer = answers[protocol]
    if (answer === undefined) return
    // The dialer that closed its side mid-frame could still read an answer: it gets none, the bad frame its code.
    assert.equal(await answerOf(await open(), FRAME_START, answer), undefined, `${protocol}: no answer to a stream closed mid-frame`)
    assert.equal(await answerOf(await open(), UNDECODABLE, answer), 'MEMBERS_BAD_FRAME', `${protocol}: an undecodable frame answered its code`)
  })

  // A newer desk may ask for a kind this one does not know: refused, not struck.
  strikes.length = 0
  const pb = pbStream(await stranger.dialProtocol(admin.libp2p.getMultiaddrs()[0]!, ADMISSION_PROTOCOL))
  await pb.write({ kind: 'a-kind-from-a-newer-version' } as AdmissionFrame, AdmissionFrame)
  const answer = await pb.read(AdmissionFrame)
  assert.equal(answer.errorCode, 'MEMBERS_BAD_FRAME')
  assert.deepEqual(strikes, [])
})
