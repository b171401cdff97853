// Stalled streams (docs/SECURITY.md, "Stalled streams"): strangers, each identity free to make,
// talk to a node with no workspace on the carry protocol and never read its answers, so its
// handler blocks while they keep sending. The node must stop taking their bytes (what it took of
// each stream is read off the stranger's unsent bytes), and a colleague's messages must still
// arrive. Then the request protocols: what the node holds for them, measured by its own counter of
// unread bytes (not RSS), must stay under its total budget, and every such stream is ended.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p, Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { MAX_CHANNEL_TIPS_BYTES, MAX_STREAM_WINDOW_BYTES, MAX_UNREAD_BYTES_PER_STREAM } from '../../core/protocol/limits.js'
import { CARRY_PROTOCOL, CHANNEL_PROTOCOL, SYNC_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { PRESENCE_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { MAX_JOIN_STREAMS_PER_CONNECTION } from '../../core/protocol/workspace-limits.js'
import { JOIN_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { UNREAD_BYTES_TOTAL } from '../../core/protocol/unread-budget.js'
import { CarryAck, CarryDeposit } from '../../core/protocol/wire.js'
import { varint } from '../helpers/fuzz-decoding.js'
import { addressOf, eventually, testNode, waitForPeer } from '../helpers/nodes.js'
import { rawPeer } from '../helpers/raw-peer.js'

const IDENTITIES = 8
/** Carry streams per stranger: 32 in all, which would hold the node's whole budget if each held its 1 MiB window. */
const CARRY_STREAMS_PER_IDENTITY = 4
/**
 * yamux's first window of a stream, and the least it allows. The strangers never let theirs grow:
 * this is all the node may send on a stream they do not read. The node's own window for a stream
 * starts at the same size: what a sender may put in before the node grants more.
 */
const FIRST_WINDOW_BYTES = 256 * 1024
/** What a stranger sends on each request stream past its request (the second test). */
const FLOOD_BYTES_PER_STREAM = 2 * 1024 * 1024

const TINY_DEPOSIT: CarryDeposit = { recipient: 'nobody', sealed: new Uint8Array(1) as Uint8Array<ArrayBuffer>, files: [] }
const LARGE_DEPOSIT: CarryDeposit = { recipient: 'nobody', sealed: new Uint8Array(64 * 1024) as Uint8Array<ArrayBuffer>, files: [] }

function frame (deposit: CarryDeposit): Uint8Array {
  const body = CarryDeposit.encode(deposit)
  const prefix = varint(body.byteLength)
  const bytes = new Uint8Array(prefix.length + body.byteLength)
  bytes.set(prefix)
  bytes.set(body, prefix.length)
  return bytes
}

/** The bytes of the node's answer to a deposit it refuses (length prefix included), asked once on a stream that reads it. */
async function refusalAckBytes (stranger: Libp2p, target: string): Promise<number> {
  const stream = await stranger.dialProtocol(multiaddr(target), CARRY_PROTOCOL)
  const lp = lpStream(stream)
  await lp.write(CarryDeposit.encode(TINY_DEPOSIT))
  const ack = await lp.read()
  assert.notEqual(CarryAck.decode(ack).errorCode, '', 'the node refuses a stranger\'s deposit')
  await stream.close()
  return varint(ack.byteLength).length + ack.byteLength
}

/**
 * The most a node takes of a carry stream beyond what its handler read: its read gate lets half its
 * unread cap sit before it resumes the stream, the stream's buffer (a window) is handed to it at the
 * resume, and yamux grants one more window then. A stranger that sends this and a window more always
 * has bytes left unsent once the node stops reading it.
 */
const MOST_TAKEN_UNREAD_BYTES = MAX_UNREAD_BYTES_PER_STREAM / 2 + 2 * MAX_STREAM_WINDOW_BYTES

/**
 * What each stalling stream sends: tiny refused deposits, just enough that their acks fill the
 * window the stranger never reopens and one more blocks the handler; then large deposits, a window
 * more than the node would ever take of a stream it stopped reading.
 */
function attackBytes (ackBytes: number): Uint8Array[] {
  const tiny = frame(TINY_DEPOSIT)
  const fillerCount = Math.floor(FIRST_WINDOW_BYTES / ackBytes) + 1
  const fillers = new Uint8Array(tiny.byteLength * fillerCount)
  for (let i = 0; i < fillerCount; i++) fillers.set(tiny, i * tiny.byteLength)
  const large = frame(LARGE_DEPOSIT)
  return [fillers, ...Array.from({ length: Math.ceil((MOST_TAKEN_UNREAD_BYTES + MAX_STREAM_WINDOW_BYTES) / large.byteLength) }, () => large)]
}

/**
 * Watches each stream until the node's acks fill the stranger's window (the handler's next write
 * blocks): checked on each poll, and as the node ends it (a reset leaves the stranger's buffers as
 * they were), so a stream the node gives up on after STALLED_STREAM_MS is judged as it stood then.
 * Once its acks are stuck, the node must have stopped taking the stream's bytes: at least a window
 * of them waits unsent. A stream ended before any ack reached its stranger (on a loaded machine
 * libp2p times out a stream's opening or a peer's ping and drops it) shows nothing either way.
 * Not `onDrain()`: in libp2p 3 it resolves at once for ever after a stream's first drain.
 */
function stallWatch (streams: Stream[], ackBytes: number, attack: Uint8Array[]) {
  const sentBytes = attack.reduce((sum, bytes) => sum + bytes.byteLength, 0)
  const fillerBytes = attack[0].byteLength
  const stalled = new Set<Stream>()
  const tookOn = new Set<Stream>()
  const unstalled = new Map<string, number>()
  let mostTaken = 0
  const check = (stream: Stream): void => {
    if (stalled.has(stream) || stream.readBufferLength < Math.floor(FIRST_WINDOW_BYTES / ackBytes) * ackBytes) return
    stalled.add(stream)
    if (stream.writeBufferLength < MAX_STREAM_WINDOW_BYTES) tookOn.add(stream)
    mostTaken = Math.max(mostTaken, sentBytes - stream.writeBufferLength)
  }
  for (const stream of streams) {
    stream.addEventListener('close', (event) => {
      check(stream)
      if (stalled.has(stream)) return
      const why = `${event.error?.name ?? 'connection closed'} with ${stream.readBufferLength} bytes of acks unread`
      unstalled.set(why, (unstalled.get(why) ?? 0) + 1)
    })
  }
  return {
    stalled,
    /** Stalled streams whose bytes the node kept taking. */
    tookOn,
    /**
     * What the stalled streams still open hold on the node, arrived or on their way: all their
     * strangers sent past the fillers, which is all the handler read before its ack got stuck.
     */
    held: (): number => [...stalled].filter(stream => stream.status === 'open')
      .reduce((sum, stream) => sum + sentBytes - stream.writeBufferLength - fillerBytes, 0),
    /** Checks the open streams; true once every stream has stalled or ended. */
    done: (): boolean => {
      for (const stream of streams) if (stream.status === 'open') check(stream)
      return streams.every(stream => stalled.has(stream) || stream.status !== 'open')
    },
    diagnostic: (): string => `the node took at most ${mostTaken} of a stalled stream's ${sentBytes} bytes; ended before they stalled: ${JSON.stringify(Object.fromEntries(unstalled))}`
  }
}

// Every stream is open before any of them sends: they stall together (the node holds them all at
// once), and none can reach the node's ack timeout (STALLED_STREAM_MS) while later ones are dialled.
test('strangers with stalled carry streams: the node stops taking their bytes; a colleague still gets through', { timeout: 400_000 }, async (t) => {
  const target = await testNode(t, { name: 'stalled' })
  const colleague = await testNode(t, { name: 'colleague', peers: [addressOf(target)] })
  await waitForPeer(target, colleague.peerId)

  const startedAt = Date.now()
  const streams: Stream[] = []
  let ackBytes = 0
  for (let identity = 0; identity < IDENTITIES; identity++) {
    const stranger = await rawPeer(t, { maxStreamWindowBytes: FIRST_WINDOW_BYTES })
    // All strangers come from 127.0.0.1, which may open 5 connections a second: retried until let in.
    await eventually(async () => await stranger.libp2p.dial(multiaddr(addressOf(target))).then(() => true, () => undefined), 60_000, 'a connection')
    if (identity === 0) ackBytes = await refusalAckBytes(stranger.libp2p, addressOf(target))
    for (let i = 0; i < CARRY_STREAMS_PER_IDENTITY; i++) {
      // A node too busy to negotiate the stream in time refuses it: that stranger has one stream fewer.
      const stream = await stranger.libp2p.dialProtocol(multiaddr(addressOf(target)), CARRY_PROTOCOL, { negotiateFully: true }).catch(() => undefined)
      if (stream === undefined) continue
      stream.pause() // never read the acks: the node's writes block once its window is used up
      streams.push(stream)
    }
  }
  const attack = attackBytes(ackBytes)
  const watch = stallWatch(streams, ackBytes, attack)
  for (const stream of streams) for (const bytes of attack) stream.send(bytes) // libp2p sends what the node's window allows, keeps the rest
  await eventually(() => watch.done() || undefined, 120_000, 'the strangers to stall')
  const counts = target.limits.unread.counts
  // What a paused stream holds is counted while it is held, not once the node ends the stream: the
  // node's budget sees at least a stalled stream's window (before, only the fillers it had read). Not
  // all of what the strangers hold: under load the node ends stalled streams (its 30 s ack timeout)
  // while their strangers still hold the bytes (a rehearsal counted 19,922,944 of 29,360,128).
  let held = 0
  let mostHeld = { held: 0, counted: 0 }
  const heldIsCounted = (): true | undefined => {
    held = watch.held()
    if (held > mostHeld.held) mostHeld = { held, counted: counts.bufferedBytes }
    return (held > 0 && counts.bufferedBytes >= Math.min(held, MAX_STREAM_WINDOW_BYTES)) || undefined
  }
  await eventually(heldIsCounted, 60_000, 'what the stalled streams hold to be counted')
    .catch((error: Error) => { throw new Error(`${error.message}: ${mostHeld.counted} bytes counted while the stalled streams held ${mostHeld.held}`) })
  t.diagnostic(`${watch.stalled.size} of ${streams.length} streams stalled after ${Date.now() - startedAt} ms, ${ackBytes} bytes an ack; ${watch.diagnostic()}; unread bytes counted: ${counts.bufferedBytes} while stalled streams held ${held}, peak ${counts.peakBufferedBytes}, streams dropped ${counts.streamsDropped}`)
  assert.ok(streams.length >= IDENTITIES * CARRY_STREAMS_PER_IDENTITY / 2, `the strangers opened ${streams.length} streams`)
  assert.ok(watch.stalled.size > 0, 'the strangers\' streams stall: the node\'s acks fill their windows')
  assert.equal(watch.tookOn.size, 0, 'once a stranger\'s acks are stuck, the node stops taking its bytes')

  const sent = await colleague.send(target.peerId, 'still there?')
  await eventually(async () => (await target.messages({ with: colleague.peerId, limit: 10 })).find(message => message.id === sent.id), 60_000, 'the colleague\'s message')
})

const FLOOD_CHUNK = new Uint8Array(64 * 1024).fill(7)
const flood = (bytes: number): Uint8Array[] => Array.from({ length: Math.ceil(bytes / FLOOD_CHUNK.byteLength) }, () => FLOOD_CHUNK)

/** Sends `chunks` without ever reading, as fast as the stream takes them; a stream cut off ends it. */
function stallingWriter (stream: Stream, chunks: Uint8Array[]): void {
  void (async () => {
    for (const chunk of chunks) {
      if (!stream.send(chunk)) await stream.onDrain()
    }
  })().catch(() => {})
}

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
  // Over the total by one charge at most before the largest holder is dropped: a pausing stream's window or a frame's bytes, 1 MiB at most (measured: exactly that).
  assert.ok(counts.peakBufferedBytes <= UNREAD_BYTES_TOTAL + MAX_STREAM_WINDOW_BYTES, `the node held ${counts.peakBufferedBytes} unread bytes at once`)
  assert.ok(counts.peakBufferedBytes > 0, 'the bytes held on these protocols were counted')
  await eventually(() => target.limits.unread.counts.bufferedBytes === 0 || undefined, 60_000, 'what the ended streams held to be released')
})
