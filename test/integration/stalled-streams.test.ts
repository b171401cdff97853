// Stalled streams (docs/SECURITY.md, "Stalled streams"): strangers, each identity free to make,
// talk to a node with no workspace on the carry protocol and never read its answers, so its
// handler blocks while they keep sending. What the node buffers for them, measured by its own
// counter of unread bytes (not RSS), must stay under its total budget, and a colleague's messages
// must still arrive.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import type { Stream } from '@libp2p/interface'
import { MAX_CHANNEL_TIPS_BYTES, MAX_STREAM_WINDOW_BYTES } from '../../core/protocol/limits.js'
import { CARRY_PROTOCOL, CHANNEL_PROTOCOL, SYNC_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { PRESENCE_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { MAX_JOIN_STREAMS_PER_CONNECTION } from '../../core/protocol/workspace-limits.js'
import { JOIN_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { UNREAD_BYTES_TOTAL } from '../../core/protocol/unread-budget.js'
import { CarryDeposit } from '../../core/protocol/wire.js'
import { varint } from '../helpers/fuzz-decoding.js'
import { addressOf, eventually, testNode, waitForPeer } from '../helpers/nodes.js'
import { rawPeer } from '../helpers/raw-peer.js'

const IDENTITIES = 8
const STREAMS_PER_IDENTITY = 10
/** Tiny refused deposits first: their acks fill the window the stranger never reopens, and the handler's writes block. */
const ACK_FILLERS = 20_000
/** Then this much more per stream, in large deposits, for the node to hold. */
const FLOOD_BYTES_PER_STREAM = 2 * 1024 * 1024

function frame (deposit: CarryDeposit): Uint8Array {
  const body = CarryDeposit.encode(deposit)
  const prefix = varint(body.byteLength)
  const bytes = new Uint8Array(prefix.length + body.byteLength)
  bytes.set(prefix)
  bytes.set(body, prefix.length)
  return bytes
}

function attackChunks (): Uint8Array[] {
  const tiny = frame({ recipient: 'nobody', sealed: new Uint8Array(1) as Uint8Array<ArrayBuffer>, files: [] })
  const fillers = new Uint8Array(tiny.byteLength * ACK_FILLERS)
  for (let i = 0; i < ACK_FILLERS; i++) fillers.set(tiny, i * tiny.byteLength)
  const large = frame({ recipient: 'nobody', sealed: new Uint8Array(64 * 1024) as Uint8Array<ArrayBuffer>, files: [] })
  return [fillers, ...Array.from({ length: Math.ceil(FLOOD_BYTES_PER_STREAM / large.byteLength) }, () => large)]
}

/** Why writers were cut off, for the diagnostics. */
const endings = new Set<string>()
type WriterState = 'writing' | 'blocked' | 'done' | 'ended'

/** Sends `chunks` without ever reading; the state says whether it is waiting for window, finished, or was cut off. */
function stallingWriter (stream: Stream, chunks: Uint8Array[]): { state: () => WriterState } {
  let state: WriterState = 'writing'
  void (async () => {
    for (const chunk of chunks) {
      if (stream.send(chunk)) continue
      state = 'blocked'
      await stream.onDrain()
      state = 'writing'
    }
    state = 'done'
  })().catch((error: Error) => {
    state = 'ended'
    endings.add(`${error.name}: ${error.message.slice(0, 80)}`)
  })
  return { state: () => state }
}

// The strangers take turns on a busy node: slower than one test usually may be, never stuck.
test('strangers with stalled carry streams make a node buffer no more than its budget; a colleague still gets through', { timeout: 400_000 }, async (t) => {
  const target = await testNode(t, { name: 'stalled' })
  const colleague = await testNode(t, { name: 'colleague', peers: [addressOf(target)] })
  await waitForPeer(target, colleague.peerId)

  const startedAt = Date.now()
  const chunks = attackChunks()
  // One stranger after another floods its streams while the node is busy with the previous ones.
  const writers: Array<{ state: () => WriterState }> = []
  for (let identity = 0; identity < IDENTITIES; identity++) {
    const stranger = await rawPeer(t)
    // All strangers come from 127.0.0.1, which may open 5 connections a second: retried until let in.
    await eventually(async () => await stranger.libp2p.dial(multiaddr(addressOf(target))).then(() => true, () => undefined), 60_000, 'a connection')
    for (let i = 0; i < STREAMS_PER_IDENTITY; i++) {
      // A node too busy to negotiate the stream in time refuses it: that stranger has one stream fewer.
      const stream = await stranger.libp2p.dialProtocol(multiaddr(addressOf(target)), CARRY_PROTOCOL, { negotiateFully: true }).catch(() => undefined)
      if (stream === undefined) continue
      stream.pause() // never read the acks: the node's writes block once its window is used up
      writers.push(stallingWriter(stream, chunks))
    }
  }
  // Every writer has finished, been cut off, or waits for window the node does not give.
  await eventually(() => writers.every(writer => writer.state() !== 'writing') || undefined, 120_000, 'the strangers to stall')
  t.diagnostic(`stalled after ${Date.now() - startedAt} ms`)
  const sent = await colleague.send(target.peerId, 'still there?')
  await eventually(async () => (await target.messages({ with: colleague.peerId, limit: 10 })).find(message => message.id === sent.id), 60_000, 'the colleague\'s message')

  const counts = target.limits.unread.counts
  t.diagnostic(`unread bytes: peak ${counts.peakBufferedBytes}, now ${counts.bufferedBytes}, streams dropped ${counts.streamsDropped}; writers ${JSON.stringify(writers.map(writer => writer.state()).reduce<Record<string, number>>((tally, state) => ({ ...tally, [state]: (tally[state] ?? 0) + 1 }), {}))}`)
  t.diagnostic(`writers cut off by: ${[...endings].join(' | ')}`)
  assert.ok(counts.peakBufferedBytes <= UNREAD_BYTES_TOTAL + MAX_STREAM_WINDOW_BYTES, `the node held ${counts.peakBufferedBytes} unread bytes at once`)
})

const FLOOD_CHUNK = new Uint8Array(64 * 1024).fill(7)
const flood = (bytes: number): Uint8Array[] => Array.from({ length: Math.ceil(bytes / FLOOD_CHUNK.byteLength) }, () => FLOOD_CHUNK)

/**
 * What a stranger sends on each protocol so that the node holds it unread: on sync, presence and join
 * a request (an empty frame) and then bytes the handler never reads, since it reads one request; on
 * channels the prefix of a frame of its largest size, then less than that: the handler waits mid-frame.
 */
const STALLING_SENDS: Array<{ protocol: string, streams: number, chunks: () => Uint8Array[] }> = [
  { protocol: SYNC_PROTOCOL, streams: 3, chunks: () => [new Uint8Array([0]), ...flood(FLOOD_BYTES_PER_STREAM)] },
  { protocol: PRESENCE_PROTOCOL, streams: 3, chunks: () => [new Uint8Array([0]), ...flood(FLOOD_BYTES_PER_STREAM)] },
  { protocol: JOIN_PROTOCOL, streams: MAX_JOIN_STREAMS_PER_CONNECTION, chunks: () => [new Uint8Array([0]), ...flood(FLOOD_BYTES_PER_STREAM)] },
  { protocol: CHANNEL_PROTOCOL, streams: 3, chunks: () => [varint(MAX_CHANNEL_TIPS_BYTES), ...flood(FLOOD_BYTES_PER_STREAM)] }
]

test('strangers with stalled request streams (sync, presence, join, channels) count against the same budget and are ended; a colleague still gets through', { timeout: 600_000 }, async (t) => {
  const target = await testNode(t, { name: 'stalled' })
  const colleague = await testNode(t, { name: 'colleague', peers: [addressOf(target)] })
  await waitForPeer(target, colleague.peerId)

  const streams: Stream[] = []
  for (let identity = 0; identity < IDENTITIES; identity++) {
    const stranger = await rawPeer(t)
    await eventually(async () => await stranger.libp2p.dial(multiaddr(addressOf(target))).then(() => true, () => undefined), 60_000, 'a connection')
    for (const { protocol, streams: count, chunks } of STALLING_SENDS) {
      for (let i = 0; i < count; i++) {
        const stream = await stranger.libp2p.dialProtocol(multiaddr(addressOf(target)), protocol, { negotiateFully: true }).catch(() => undefined)
        // A node too busy to take the stream in time, or over a limit, refused it: one stream fewer.
        if (stream === undefined || stream.readStatus !== 'readable') continue
        stream.pause() // never reads the answer
        streams.push(stream)
        stallingWriter(stream, chunks())
      }
    }
  }
  t.diagnostic(`${streams.length} stalled streams`)
  assert.ok(streams.length >= IDENTITIES * STALLING_SENDS.length, 'the strangers opened their streams')
  const sent = await colleague.send(target.peerId, 'still there?')
  await eventually(async () => (await target.messages({ with: colleague.peerId, limit: 10 })).find(message => message.id === sent.id), 60_000, 'the colleague\'s message')

  // A stream the node stopped reading is ended by it: dropped over the budget, or left stalled too long.
  const stillOpen = (): string => `${streams.filter(stream => stream.status === 'open').length} of ${streams.length} streams still open`
  await eventually(() => streams.every(stream => stream.status !== 'open') || undefined, 60_000, 'the node to end every stalled stream')
    .catch((error: Error) => { throw new Error(`${error.message}: ${stillOpen()}`) })
  const counts = target.limits.unread.counts
  t.diagnostic(`unread bytes: peak ${counts.peakBufferedBytes}, now ${counts.bufferedBytes}, streams dropped ${counts.streamsDropped}`)
  assert.ok(counts.peakBufferedBytes <= UNREAD_BYTES_TOTAL + MAX_STREAM_WINDOW_BYTES, `the node held ${counts.peakBufferedBytes} unread bytes at once`)
  assert.ok(counts.peakBufferedBytes > 0, 'the bytes held on these protocols were counted')
  await eventually(() => target.limits.unread.counts.bufferedBytes === 0 || undefined, 60_000, 'what the ended streams held to be released')
})
