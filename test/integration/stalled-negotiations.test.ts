// Stalled negotiations (docs/SECURITY.md, "Stalled streams"): a peer opens streams and keeps their
// protocol negotiation from ending (it asks multistream-select for the protocol list, `ls`, over and
// over, and never reads the answers, so the node's answer waits and its negotiation reader stops),
// while it keeps sending: what it sends sits in that reader, before any handler of ours counts it,
// until libp2p's negotiation timeout. The node must let at most MAX_NEGOTIATING_STREAMS negotiate at
// once on the connection and reset the others as they open, and a colleague's message must still
// arrive.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection, Stream, StreamMuxer } from '@libp2p/interface'
import { MAX_NEGOTIATING_STREAMS } from '../../core/protocol/limits.js'
import { addressOf, eventually, testNode, waitForPeer } from '../helpers/nodes.js'
import { rawPeer } from '../helpers/raw-peer.js'

/** libp2p's ping, which every node answers. */
const PING_PROTOCOL = '/ipfs/ping/1.0.0'

/** Streams the peer opens at once: three times the bound. */
const STREAMS = 3 * MAX_NEGOTIATING_STREAMS
/** What the peer sends on each stream let in, all `ls` requests: enough to show what the node holds, under libp2p's 4 MiB abort. */
const BYTES_PER_STREAM = 1024 * 1024

/** A multistream-select message: its length (one byte here) and its text. */
function message (text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text)
  return Uint8Array.from([bytes.length, ...bytes])
}

function lsRequests (bytes: number): Uint8Array {
  const request = message('ls\n')
  const requests = new Uint8Array(bytes - bytes % request.length)
  for (let at = 0; at < requests.length; at += request.length) requests.set(request, at)
  return requests
}

test('a peer that stalls its streams\' protocol negotiation: the node resets those beyond the bound as they open; a colleague still gets through', { timeout: 300_000 }, async (t) => {
  const target = await testNode(t, { name: 'target' })
  const colleague = await testNode(t, { name: 'colleague', peers: [addressOf(target)] })
  await waitForPeer(target, colleague.peerId)

  const stranger = await rawPeer(t)
  // The stranger has no protocol of its own (no identify): every inbound stream of this connection at the node is one of these.
  const connection = await eventually(async () => await stranger.libp2p.dial(multiaddr(addressOf(target))).catch(() => undefined), 60_000, 'a connection')
  // One stream negotiated in full: the node has made its end of the connection, which takes streams
  // as they come (before, its muxer keeps at most 10 waiting, and gives up the connection beyond).
  const ping = await connection.newStream(PING_PROTOCOL, { negotiateFully: true })
  await ping.close()
  // Raw streams, no negotiation of ours: the muxer libp2p keeps inside the connection.
  const muxer = (connection as Connection & { muxer: StreamMuxer }).muxer
  const streams: Stream[] = []
  for (let i = 0; i < STREAMS; i++) streams.push(await muxer.createStream())
  // Refused: reset before the node answered a byte (a stream at the node buffers what arrives unread).
  const refused = new Set<Stream>()
  for (const stream of streams) {
    stream.addEventListener('close', (event) => { if (event.error !== undefined && stream.readBufferLength === 0) refused.add(stream) })
  }
  // All in one burst, each its first frame (it opens the stream at the node) with multistream-select's header.
  for (const stream of streams) stream.send(message('/multistream/1.0.0\n'))
  const answered = (stream: Stream): boolean => stream.readBufferLength > 0
  await eventually(() => streams.every(stream => answered(stream) || stream.status !== 'open') || undefined, 60_000, 'every stream answered or ended')
  const letIn = streams.filter(answered)
  t.diagnostic(`${letIn.length} of ${STREAMS} streams answered, ${refused.size} reset unanswered; the node counts ${JSON.stringify(target.limits.negotiations)}`)
  // All arrive within a moment (a few KB in a burst), long before a negotiation let in can end: none frees its place for another.
  assert.equal(letIn.length, MAX_NEGOTIATING_STREAMS, 'the node negotiates as many streams as the bound allows')
  assert.equal(refused.size, STREAMS - MAX_NEGOTIATING_STREAMS, 'the node resets the others as they open')
  assert.equal(target.limits.negotiations.refused, STREAMS - MAX_NEGOTIATING_STREAMS)
  assert.equal(target.limits.negotiations.mostAtOnce, MAX_NEGOTIATING_STREAMS)

  // The stall: the node's answers fill the window the stranger never reopens, its next answer waits,
  // and the rest of the requests sit in its negotiation reader.
  const requests = lsRequests(BYTES_PER_STREAM)
  const arrayBuffersBefore = process.memoryUsage().arrayBuffers
  for (const stream of letIn) {
    stream.pause()
    stream.send(requests)
  }
  // What the node took of the streams still open: sent, and not left in the stranger's buffer.
  const held = (): number => letIn.filter(stream => stream.status === 'open')
    .reduce((sum, stream) => sum + requests.byteLength - stream.writeBufferLength, 0)
  let mostHeld = 0
  let arrayBuffersGrowth = 0
  await eventually(() => {
    mostHeld = Math.max(mostHeld, held())
    arrayBuffersGrowth = Math.max(arrayBuffersGrowth, process.memoryUsage().arrayBuffers - arrayBuffersBefore)
    return letIn.every(stream => stream.writeBufferLength === 0 || stream.status !== 'open') || undefined
  }, 60_000, 'the node to take every stream\'s requests')
  t.diagnostic(`the node held at most ${mostHeld} bytes of stalled negotiations (${MAX_NEGOTIATING_STREAMS} x ${requests.byteLength} at most); this process's ArrayBuffers grew by ${arrayBuffersGrowth}`)
  assert.ok(mostHeld >= requests.byteLength, 'the node takes a stalled negotiation\'s bytes (the attack works)')

  const sent = await colleague.send(target.peerId, 'still there?')
  await eventually(async () => (await target.messages({ with: colleague.peerId, limit: 10 })).find(message => message.id === sent.id), 60_000, 'the colleague\'s message')
})
