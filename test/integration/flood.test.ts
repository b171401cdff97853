// A flood from one member (connections, streams, messages) leaves the others' conversations
// responsive (issue 6, "Abuse limits"). Three real nodes and a hand-made peer with a legitimate
// identity (open mode: no workspace, so any causette peer is a member). First the peer sends valid
// messages as fast as it can: it is slowed (we stop reading it) but nothing of it is refused. Then it
// turns abusive (garbage frames, streams opened and dropped, connection after connection): it is
// refused, cut off, and refused again when it comes back during its cool-down. Throughout, two
// colleagues converse with the flooded node, which answers its API; every message arrives.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import { peerIdFromString } from '@libp2p/peer-id'
import { MESSAGE_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { Ack, Envelope } from '../../core/protocol/wire.js'
import type { CausetteNode } from '../../core/node/node.js'
import { addressOf, eventually, testNode, waitForPeer } from '../helpers/nodes.js'
import { rawPeer } from '../helpers/raw-peer.js'

type Flooder = Awaited<ReturnType<typeof rawPeer>>

const PING_PROTOCOL = '/ipfs/ping/1.0.0'

const FINAL = new Set(['delivered', 'read'])

/** Each colleague and the flooded node send each other `rounds` messages; resolves once all are delivered. */
async function converse (target: CausetteNode, colleagues: CausetteNode[], rounds: number, apiCalls: { count: number }): Promise<number> {
  const sent: Array<{ from: CausetteNode, to: CausetteNode, id: string }> = []
  for (let i = 0; i < rounds; i++) {
    for (const colleague of colleagues) {
      sent.push({ from: colleague, to: target, id: (await colleague.send(target.peerId, `to the flooded node ${i}`)).id })
      sent.push({ from: target, to: colleague, id: (await target.send(colleague.peerId, `from the flooded node ${i}`)).id })
      // The flooded node's API answers while the flood goes on.
      await target.status()
      await target.conversations()
      apiCalls.count += 2
    }
  }
  for (const { from, to, id } of sent) {
    await eventually(async () => (await from.messages({ with: to.peerId, limit: 200 })).find(m => m.id === id && FINAL.has(m.state)), 60_000, `delivery of ${id.slice(0, 6)}`)
    await eventually(async () => (await to.messages({ with: from.peerId, limit: 200 })).find(m => m.id === id), 60_000, `arrival of ${id.slice(0, 6)}`)
  }
  return sent.length
}

/** Valid sealed messages, as fast as the flooder can seal them, on several streams until `stop()`. */
async function floodValidMessages (flooder: Flooder, target: CausetteNode, stop: () => boolean) {
  const counts = { sent: 0, stored: 0, refused: new Map<string, number>() }
  const streams = await Promise.all(Array.from({ length: 4 }, async () => await flooder.libp2p.dialProtocol(multiaddr(addressOf(target)), MESSAGE_PROTOCOL)))
  const acks = streams.map(async (stream) => {
    const lp = lpStream(stream)
    while (true) {
      const frame = await lp.read().catch(() => null)
      if (frame === null) return
      const { errorCode } = Ack.decode(frame)
      if (errorCode === '') counts.stored++
      else counts.refused.set(errorCode, (counts.refused.get(errorCode) ?? 0) + 1)
    }
  })
  const writers = streams.map(stream => lpStream(stream))
  for (let turn = 0; !stop(); turn++) {
    const batch: Uint8Array[] = []
    for (let i = 0; i < 50; i++) batch.push(Envelope.encode({ sealed: await flooder.seal(target, `flood ${counts.sent + i}`) as Uint8Array<ArrayBuffer> }))
    await writers[turn % writers.length]!.writeV(batch)
    counts.sent += batch.length
  }
  await Promise.all(streams.map(async stream => { await stream.close() }))
  await Promise.all(acks)
  return counts
}

/** Reads frames until the stream ends: 'reset' if the node aborted it, 'ended' if it closed it. */
async function streamEnd (lp: LengthPrefixedStream, onFrame = (): void => {}): Promise<'reset' | 'ended'> {
  try {
    while (true) { await lp.read(); onFrame() }
  } catch (error) {
    return (error as Error).name === 'UnexpectedEOFError' ? 'ended' : 'reset'
  }
}

/**
 * Whether a new connection of the flooder's gets through: libp2p's dialer may resolve before the
 * node's gater hangs up, so a stream (ping: not ours, not rate limited) must open on it.
 */
async function connects (flooder: Flooder, target: CausetteNode): Promise<boolean> {
  try {
    const connection = await flooder.libp2p.dial(multiaddr(addressOf(target)), { force: true })
    const probe = await connection.newStream(PING_PROTOCOL)
    probe.abort(new Error('probe only'))
    return true
  } catch {
    return false
  }
}

function abuseCounts () {
  return { garbageFramesWritten: 0, garbageAnswered: 0, streamsOpened: 0, streamsReset: 0, streamsEnded: 0, connections: 0, connectionsRefused: 0, refusedWhileCutOff: 0 }
}

/** Garbage frames, streams opened and dropped, and connection after connection, until `stop()`. */
async function floodAbuse (flooder: Flooder, target: CausetteNode, stop: () => boolean, counts: ReturnType<typeof abuseCounts>): Promise<void> {
  const address = multiaddr(addressOf(target))
  const targetId = peerIdFromString(target.peerId)
  const cutOff = (): boolean => flooder.libp2p.getConnections(targetId).length === 0

  // Garbage once a limit has been seen at work (garbage alone gets a peer cut off at once).
  const garbage = async (): Promise<void> => {
    while (!stop() && counts.streamsReset + counts.connectionsRefused === 0) await pause(20)
    while (!stop()) {
      const stream = await flooder.libp2p.dialProtocol(address, MESSAGE_PROTOCOL).catch(() => undefined)
      if (stream === undefined) { await pause(20); continue }
      const lp = lpStream(stream)
      const ended = streamEnd(lp, () => { counts.garbageAnswered++ })
      try {
        while (!stop()) {
          await lp.writeV(Array.from({ length: 20 }, () => Uint8Array.from([0x0a, 0x64, 1, 2, 3])))
          counts.garbageFramesWritten += 20
        }
      } catch {}
      await ended
    }
  }
  // Streams opened and dropped, four at a time (libp2p's own bound on message streams per connection).
  const streams = async (): Promise<void> => {
    while (!stop()) {
      const opened = await Promise.all(Array.from({ length: 4 }, async () => await flooder.libp2p.dialProtocol(address, MESSAGE_PROTOCOL).catch(() => undefined)))
      if (opened.includes(undefined)) await pause(20)
      await Promise.all(opened.map(async stream => {
        if (stream === undefined) return
        counts.streamsOpened++
        await stream.close().catch(() => {})
        if (await streamEnd(lpStream(stream)) === 'reset') counts.streamsReset++
        else counts.streamsEnded++
      }))
    }
  }
  const connections = async (): Promise<void> => {
    while (!stop()) {
      if (await connects(flooder, target)) {
        counts.connections++
      } else {
        counts.connectionsRefused++
        if (cutOff()) counts.refusedWhileCutOff++
        await pause(20)
      }
    }
  }
  await Promise.all([garbage(), streams(), connections()])
}

async function pause (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}

async function threeNodes (t: TestContext) {
  const target = await testNode(t, { name: 'flooded' })
  const bob = await testNode(t, { name: 'bob', peers: [addressOf(target)] })
  const carol = await testNode(t, { name: 'carol', peers: [addressOf(target)] })
  for (const colleague of [bob, carol]) {
    await waitForPeer(target, colleague.peerId)
    await waitForPeer(colleague, target.peerId)
  }
  return { target, colleagues: [bob, carol] }
}

test('a flood from one member (connections, streams, messages) leaves the others\' conversations responsive', async (t) => {
  const { target, colleagues } = await threeNodes(t)
  const flooder = await rawPeer(t)
  const apiCalls = { count: 0 }

  // 1. Valid messages as fast as the flooder can make them, while the colleagues converse. Three
  // rounds are tens of thousands of flood messages, far past what the node reads at once; ten took
  // the suite's longest two and a half minutes and proved nothing more.
  let conversing = true
  const flooding = floodValidMessages(flooder, target, () => !conversing)
  flooding.catch(() => {}) // awaited below, once the colleagues are done
  const deliveredDuringMessages = await converse(target, colleagues, 3, apiCalls)
  conversing = false
  const messages = await flooding
  t.diagnostic(`valid flood: ${messages.sent} sent, ${messages.stored} stored, refused ${JSON.stringify(Object.fromEntries(messages.refused))}; colleagues' messages delivered meanwhile: ${deliveredDuringMessages}`)
  assert.ok(messages.sent > 0)
  assert.equal(messages.stored, messages.sent, 'a fast sender is slowed, never refused')

  // 2. Abuse: it is refused, cut off, and refused again while it keeps coming back.
  let abusing = true
  let deliveredDuringAbuse = 0
  const counts = abuseCounts()
  const abuse = floodAbuse(flooder, target, () => !abusing, counts)
  abuse.catch(() => {}) // awaited below
  try {
    deliveredDuringAbuse = await converse(target, colleagues, 5, apiCalls)
    // Refused while cut off, now (a cool-down that ended during a slow conversation does not count).
    const refusedBefore = counts.refusedWhileCutOff
    await eventually(() => counts.refusedWhileCutOff > refusedBefore || undefined, 60_000, 'the flooder refused while cut off')
  } finally {
    abusing = false
  }
  await abuse
  t.diagnostic(`abuse: ${JSON.stringify(counts)}; colleagues' messages delivered meanwhile: ${deliveredDuringAbuse}; API calls answered during the floods: ${apiCalls.count}`)
  // Past libp2p's per-host window (one second), a new connection is refused by the cool-down alone.
  await pause(1_100)
  assert.equal(await connects(flooder, target), false, 'a peer in its cool-down is refused')
  // The colleagues were never touched.
  for (const colleague of colleagues) assert.ok((await target.peers()).find(p => p.peerId === colleague.peerId)?.connected)
  assert.equal(await converse(target, colleagues, 1, apiCalls), 4)
})
