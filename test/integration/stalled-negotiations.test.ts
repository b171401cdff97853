// Stalled negotiations (docs/SECURITY.md, "Stalled streams"): a peer opens streams and keeps their
// protocol negotiation from ending (it asks multistream-select for the protocol list, `ls`, over and
// over, and never reads the answers, so the node's answer waits and its negotiation reader stops),
// while it keeps sending: what it sends sits in that reader, before any handler of ours counts it,
// until libp2p's negotiation timeout. The node must let at most MAX_NEGOTIATING_STREAMS negotiate at
// once from the peer, over all its connections, and reset the others as they open; a burst of
// refusals cuts the peer off; a colleague's message must still arrive.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection, Stream, StreamMuxer } from '@libp2p/interface'
import { MAX_NEGOTIATING_STREAMS, STRIKE_BURST } from '../../core/protocol/limits.js'
import type { CausetteNode } from '../../core/node/node.js'
import { addressOf, eventually, testNode, waitForPeer } from '../helpers/nodes.js'
import { rawPeer } from '../helpers/raw-peer.js'

/** libp2p's ping, which every node answers. */
const PING_PROTOCOL = '/ipfs/ping/1.0.0'

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

interface Opened { streams: Stream[], refused: Set<Stream>, answered: (stream: Stream) => boolean }

/**
 * A new connection of the stranger to `target` (a second one too: `force`), made whole by one stream
 * negotiated in full (the node has made its end of the connection, which takes streams as they come;
 * before, its muxer keeps at most 10 waiting, and gives up the connection beyond).
 */
async function connect (stranger: Awaited<ReturnType<typeof rawPeer>>, target: CausetteNode): Promise<Connection> {
  const connection = await eventually(async () => await stranger.libp2p.dial(multiaddr(addressOf(target)), { force: true }).catch(() => undefined), 60_000, 'a connection')
  const ping = await connection.newStream(PING_PROTOCOL, { negotiateFully: true })
  await ping.close()
  return connection
}

/** Opens `count` raw streams on `connection` (no negotiation of ours: the muxer libp2p keeps inside it), unsent. */
async function rawStreams (connection: Connection, count: number, opened: Opened): Promise<void> {
  const muxer = (connection as Connection & { muxer: StreamMuxer }).muxer
  for (let i = 0; i < count; i++) {
    const stream = await muxer.createStream()
    // Refused: reset before the node answered a byte (a stream at the node buffers what arrives unread).
    stream.addEventListener('close', (event) => { if (event.error !== undefined && stream.readBufferLength === 0) opened.refused.add(stream) })
    opened.streams.push(stream)
  }
}

function opened (): Opened {
  return { streams: [], refused: new Set(), answered: stream => stream.readBufferLength > 0 }
}

/** Each stream's first frame (it opens the stream at the node) with multistream-select's header, all in one burst. */
async function openAll (t: TestContext, target: CausetteNode, { streams, answered }: Opened): Promise<void> {
  for (const stream of streams) stream.send(message('/multistream/1.0.0\n'))
  await eventually(() => streams.every(stream => answered(stream) || stream.status !== 'open') || undefined, 60_000, 'every stream answered or ended')
  t.diagnostic(`${streams.filter(answered).length} of ${streams.length} streams answered; the node counts ${JSON.stringify(target.limits.negotiations)}, ${JSON.stringify(target.limits.counts)}`)
}

/** The node under attack, a colleague connected to it, and the stranger (a raw libp2p peer). */
async function office (t: TestContext): Promise<{ target: CausetteNode, colleague: CausetteNode, stranger: Awaited<ReturnType<typeof rawPeer>> }> {
  const target = await testNode(t, { name: 'target' })
  const colleague = await testNode(t, { name: 'colleague', peers: [addressOf(target)] })
  await waitForPeer(target, colleague.peerId)
  return { target, colleague, stranger: await rawPeer(t) }
}

async function colleagueGetsThrough (colleague: CausetteNode, target: CausetteNode): Promise<void> {
  const sent = await colleague.send(target.peerId, 'still there?')
  await eventually(async () => (await target.messages({ with: colleague.peerId, limit: 10 })).find(message => message.id === sent.id), 60_000, 'the colleague\'s message')
}

test('a peer that stalls its streams\' protocol negotiation over two connections: the node lets the bound in from it in all, resets the others as they open; a colleague still gets through', { timeout: 300_000 }, async (t) => {
  const { target, colleague, stranger } = await office(t)
  // The stranger has no protocol of its own (no identify): every inbound stream of these connections at the node is one of these.
  const first = await connect(stranger, target)
  const second = await connect(stranger, target)
  assert.notEqual(first.id, second.id)
  // A few more than the bound, half on each connection: within it on each, beyond it together;
  // fewer refusals than the strikes a peer may earn in a burst, so it is not cut off.
  const beyond = 8
  const streams = opened()
  await rawStreams(first, (MAX_NEGOTIATING_STREAMS + beyond) / 2, streams)
  await rawStreams(second, (MAX_NEGOTIATING_STREAMS + beyond) / 2, streams)
  await openAll(t, target, streams)
  const letIn = streams.streams.filter(streams.answered)
  // All arrive within a moment (a few KB in a burst), long before a negotiation let in can end: none frees its place for another.
  assert.equal(letIn.length, MAX_NEGOTIATING_STREAMS, 'the node negotiates as many streams from the peer as the bound allows, over both connections')
  assert.equal(streams.refused.size, beyond, 'the node resets the others as they open')
  assert.equal(target.limits.negotiations.refused, beyond)
  assert.equal(target.limits.negotiations.mostAtOnce, MAX_NEGOTIATING_STREAMS)
  assert.equal(target.limits.counts.coolDowns, 0, 'a few refusals do not cut the peer off')

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

  await colleagueGetsThrough(colleague, target)
})

test('a burst of streams far beyond the bound: the refusals are strikes, and the peer is cut off; a colleague still gets through', { timeout: 300_000 }, async (t) => {
  const { target, colleague, stranger } = await office(t)
  const connection = await connect(stranger, target)
  const streams = opened()
  await rawStreams(connection, 3 * MAX_NEGOTIATING_STREAMS, streams)
  await openAll(t, target, streams)
  // A refusal beyond the strikes a peer may earn in a burst cuts it off: its connections are closed.
  assert.ok(target.limits.negotiations.refused > STRIKE_BURST, `more refusals than a burst of strikes (${target.limits.negotiations.refused})`)
  assert.equal(target.limits.counts.coolDowns, 1, 'the peer is cut off')
  await eventually(() => connection.status !== 'open' || undefined, 60_000, 'the stranger\'s connection to close')
  // And refused while it cools down: at the handshake, or its connection closed as it opens.
  await assert.rejects(async () => {
    const again = await stranger.libp2p.dial(multiaddr(addressOf(target)), { force: true })
    await again.newStream(PING_PROTOCOL, { negotiateFully: true })
  })
  await colleagueGetsThrough(colleague, target)
})
