// A request/answer handler behind `limitStreams` (core/protocol/stream-limiter.ts) reading through
// `framedStream` (core/protocol/framed-stream.ts): what it reads leaves its peer's share of unread
// bytes, what it leaves unread stays counted until the stream ends, and a frame larger than the
// gate's default pause point still arrives whole.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Connection, Stream } from '@libp2p/interface'
import { pbStream, streamPair } from '@libp2p/utils'
import { framedStream } from '../../core/protocol/framed-stream.js'
import { frameOptions } from '../../core/protocol/length-prefix.js'
import { MAX_UNREAD_BYTES_PER_STREAM } from '../../core/protocol/limits.js'
import { PeerLimits } from '../../core/protocol/peer-limits.js'
import { limitStreams } from '../../core/protocol/stream-limiter.js'
import { SyncAnswer } from '../../core/protocol/wire.js'
import { varint } from '../helpers/fuzz-decoding.js'
import { eventually } from '../helpers/nodes.js'

/** A handler that reads one request and answers it, behind the node's limits; resolves with the inbound stream. */
async function serve (limits: PeerLimits, maxFrameBytes: number): Promise<{ outbound: Stream, inbound: Stream, answered: Promise<SyncAnswer> }> {
  const [outbound, inbound] = await streamPair()
  const connection = { remotePeer: peerIdFromPrivateKey(await generateKeyPair('Ed25519')) } as unknown as Connection
  let answered: Promise<SyncAnswer> | undefined
  const handler = limitStreams(stream => {
    answered = (async () => {
      const pb = framedStream(stream, maxFrameBytes)
      const request = await pb.read(SyncAnswer)
      await pb.write({ ...request, resent: request.resent + 1 }, SyncAnswer)
      return request
    })()
  }, { protocol: '/causette/test/1.0.0', limits })
  await handler(inbound, connection)
  return { outbound, inbound, answered: answered! }
}

test('what the handler read leaves the budget; what it left unread stays counted until the stream ends', async () => {
  const limits = new PeerLimits()
  const { outbound, inbound, answered } = await serve(limits, 1024)
  const pb = pbStream(outbound, frameOptions(1024))
  await pb.write({ resent: 41, errorCode: '', errorMessage: '' }, SyncAnswer)
  const extra = new Uint8Array(10_000).fill(7)
  outbound.send(extra)
  assert.equal((await pb.read(SyncAnswer)).resent, 42)
  await answered
  await eventually(() => limits.unread.counts.bufferedBytes === extra.byteLength || undefined, 10_000, 'the unread bytes to be counted')
  inbound.abort(new Error('done'))
  assert.equal(limits.unread.counts.bufferedBytes, 0, 'an ended stream holds nothing')
})

test('a frame larger than the gate\'s default pause point arrives whole', { timeout: 60_000 }, async () => {
  const limits = new PeerLimits()
  const large = MAX_UNREAD_BYTES_PER_STREAM + 200_000
  const { outbound, answered } = await serve(limits, large + 1024)
  const pb = pbStream(outbound, frameOptions(large + 1024))
  // The frame in two parts, the second once the first is in: by then more than the default pause point is unread.
  const body = SyncAnswer.encode({ resent: 1, errorCode: '', errorMessage: 'x'.repeat(large) })
  const split = MAX_UNREAD_BYTES_PER_STREAM + 100_000
  outbound.send(varint(body.byteLength))
  outbound.send(body.subarray(0, split))
  await eventually(() => limits.unread.counts.bufferedBytes > MAX_UNREAD_BYTES_PER_STREAM || undefined, 10_000, 'the first part to arrive')
  outbound.send(body.subarray(split))
  assert.equal((await answered).errorMessage.length, large)
  assert.equal((await pb.read(SyncAnswer)).resent, 2)
  assert.equal(limits.unread.counts.bufferedBytes, 0, 'all of it was read')
})

test('a handler that awaits before it reads (as membersOnly may) still gets the frame that arrived meanwhile', { timeout: 30_000 }, async () => {
  const limits = new PeerLimits()
  const [outbound, inbound] = await streamPair()
  const connection = { remotePeer: peerIdFromPrivateKey(await generateKeyPair('Ed25519')) } as unknown as Connection
  let letHandlerRead!: () => void
  const mayRead = new Promise<void>(resolve => { letHandlerRead = resolve })
  let answered: Promise<SyncAnswer> | undefined
  const handler = limitStreams(stream => {
    answered = (async () => {
      await mayRead
      return await framedStream(stream, 1024).read(SyncAnswer)
    })()
  }, { protocol: '/causette/test/1.0.0', limits })
  await handler(inbound, connection)
  // The request arrives while the handler is still awaiting: libp2p buffers it only while nobody listens.
  await pbStream(outbound, frameOptions(1024)).write({ resent: 7, errorCode: '', errorMessage: '' }, SyncAnswer)
  await eventually(() => inbound.readBufferLength > 0 || undefined, 10_000, 'the request to reach the inbound stream')
  letHandlerRead()
  assert.equal((await answered!).resent, 7)
})
