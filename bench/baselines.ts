// The floors our figures are compared with, measured the same way in the same run: 100-byte
// frames echoed by a peer process over raw TCP and over a bare libp2p stream (TCP + Noise + yamux).
import { connect, type Socket } from 'node:net'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { byteStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { ECHO_PROTOCOL, startPeer } from './peer.js'
import { latency, timeEach, type Latency } from './stats.js'

export const FRAME_BYTES = 100

export interface TransportFigures extends Latency { perSecond: number }

export interface BenchSizes { roundTrips: number, throughputMessages: number }

/** Round trips one at a time, then `throughputMessages` frames pipelined until the last echo. */
export async function measure (exchange: { send: () => Promise<void> | void, receive: (frames: number) => Promise<void> }, sizes: BenchSizes): Promise<TransportFigures> {
  const samples = await timeEach(sizes.roundTrips, async () => { await exchange.send(); await exchange.receive(1) })
  const start = performance.now()
  const received = exchange.receive(sizes.throughputMessages)
  for (let i = 0; i < sizes.throughputMessages; i++) await exchange.send()
  await received
  return { ...latency(samples), perSecond: Math.round(sizes.throughputMessages / ((performance.now() - start) / 1000)) }
}

/** Counts echoed bytes on a socket and resolves waiters once enough frames came back. */
function socketCounter (socket: Socket): (frames: number) => Promise<void> {
  let buffered = 0
  let waiter: { bytes: number, resolve: () => void } | undefined
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.length
    if (waiter !== undefined && buffered >= waiter.bytes) { buffered -= waiter.bytes; const w = waiter; waiter = undefined; w.resolve() }
  })
  return async (frames) => {
    await new Promise<void>(resolve => {
      const bytes = frames * FRAME_BYTES
      if (buffered >= bytes) { buffered -= bytes; resolve() } else waiter = { bytes, resolve }
    })
  }
}

export async function benchRawTcp (sizes: BenchSizes): Promise<TransportFigures> {
  const peer = await startPeer<{ port: number }>('tcp')
  const socket = connect({ host: '127.0.0.1', port: peer.ready.port, noDelay: true })
  await new Promise(resolve => socket.once('connect', resolve))
  const frame = Buffer.alloc(FRAME_BYTES, 7)
  try {
    return await measure({ send: () => { socket.write(frame) }, receive: socketCounter(socket) }, sizes)
  } finally {
    socket.destroy()
    await peer.stop()
  }
}

export async function benchLibp2pStream (sizes: BenchSizes): Promise<TransportFigures> {
  const peer = await startPeer<{ address: string }>('libp2p')
  const node = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  const stream = await node.dialProtocol(multiaddr(peer.ready.address), ECHO_PROTOCOL)
  const bytes = byteStream(stream)
  const frame = new Uint8Array(FRAME_BYTES).fill(7)
  try {
    return await measure({
      send: async () => { await bytes.write(frame) },
      receive: async (frames) => { await bytes.read({ bytes: frames * FRAME_BYTES }) }
    }, sizes)
  } finally {
    await node.stop()
    await peer.stop()
  }
}
