// A bare libp2p peer that throws fuzzed input at any protocol of a node: raw bytes, length-prefixed
// frames, a frame cut short, a length prefix past every limit, a length prefix that never ends, a
// stream closed before anything was sent, or one reset half-way. Each interaction is read to its end
// (the node closes or resets the stream) within a bound; a stream still open after it is a hang.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import type { Connection, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import fc from 'fast-check'
import { createLibp2p } from 'libp2p'
import type { TestContext } from 'node:test'
import { ed25519FromSeed, ed25519Signer } from '../../crypto/ed25519.js'
import { concat } from '../../crypto/encoding.js'
import { randomBytes } from '../../crypto/random.js'
import type { CausetteNode } from '../../core/node/node.js'
import { fuzzBytes, varint } from './fuzz-decoding.js'
import { addressOf, eventually } from './nodes.js'

export type Interaction =
  /** Bytes as they are, without framing. */
  | { kind: 'raw', bytes: Uint8Array }
  /** Each frame behind its varint length prefix. */
  | { kind: 'frames', frames: Uint8Array[] }
  /** A length prefix, then only the first `keep` bytes of the frame. */
  | { kind: 'truncated', frame: Uint8Array, keep: number }
  /** A length prefix past every limit, then a few bytes. */
  | { kind: 'oversized', length: number, bytes: Uint8Array }
  /** A varint length prefix that never ends: `count` continuation bytes. */
  | { kind: 'unterminated', count: number }
  /** The same, with our side left open: the node must refuse the prefix, not wait for its end. */
  | { kind: 'endless', count: number }
  /** The write side closed before anything was sent. */
  | { kind: 'silent' }
  /** Frames, then the stream reset by us instead of closed. */
  | { kind: 'reset', frames: Uint8Array[] }

/** How the node ended the stream (or refused to open it: `why`), and the frames it wrote before. */
export interface Ending { how: 'closed' | 'reset' | 'refused', frames: Uint8Array[], why?: string }

const lengthPrefixed = (frames: Uint8Array[]): Uint8Array => concat(frames.flatMap(f => [varint(f.length), f]))

/** Splits what the node wrote into its length-prefixed frames (a cut-off last frame is dropped). */
function splitFrames (bytes: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = []
  let at = 0
  while (at < bytes.length) {
    let length = 0
    let shift = 0
    let byte: number
    do {
      if (at >= bytes.length) return frames
      byte = bytes[at++]!
      length += (byte & 0x7f) * 2 ** shift
      shift += 7
    } while ((byte & 0x80) !== 0)
    if (at + length > bytes.length) return frames
    frames.push(bytes.subarray(at, at + length))
    at += length
  }
  return frames
}

/**
 * What a fuzzer sends to a protocol, drawn from `valid` frames of that protocol (random ones when
 * empty). `endless`: also length prefixes that never end on a stream we leave open.
 */
export function interactions (valid: Uint8Array[], options: { endless?: boolean } = {}): fc.Arbitrary<Interaction> {
  const frame = valid.length === 0 ? fc.uint8Array({ maxLength: 512 }) : fuzzBytes(valid)
  const frames = fc.array(frame, { minLength: 1, maxLength: 4 })
  return fc.oneof(
    { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 1024 }).map(bytes => ({ kind: 'raw' as const, bytes })) },
    { weight: 4, arbitrary: frames.map(f => ({ kind: 'frames' as const, frames: f })) },
    { weight: 2, arbitrary: frame.filter(f => f.length > 0).chain(f => fc.nat({ max: f.length - 1 }).map(keep => ({ kind: 'truncated' as const, frame: f, keep }))) },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1 << 20, max: 2 ** 40 }), fc.uint8Array({ maxLength: 64 })).map(([length, bytes]) => ({ kind: 'oversized' as const, length, bytes })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 512 }).map(count => ({ kind: 'unterminated' as const, count })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'silent' as const }) },
    { weight: 1, arbitrary: frames.map(f => ({ kind: 'reset' as const, frames: f })) },
    { weight: options.endless === true ? 1 : 0, arbitrary: fc.integer({ min: 8, max: 4096 }).map(count => ({ kind: 'endless' as const, count })) }
  )
}

function bytesOf (i: Interaction): Uint8Array {
  switch (i.kind) {
    case 'raw': return i.bytes
    case 'frames': case 'reset': return lengthPrefixed(i.frames)
    case 'truncated': return concat([varint(i.frame.length), i.frame.subarray(0, i.keep)])
    case 'oversized': return concat([varint(i.length), i.bytes])
    case 'unterminated': case 'endless': return new Uint8Array(i.count).fill(0x80)
    case 'silent': return new Uint8Array(0)
  }
}

/** Reads the stream to its end; rejects with `signal`'s reason if the node neither closes nor resets it. */
async function readToEnd (stream: Stream, signal: AbortSignal): Promise<Ending> {
  const chunks: Uint8Array[] = []
  const onAbort = (): void => { stream.abort(new Error('the node neither closed nor reset the stream in time')) }
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    for await (const chunk of stream) chunks.push(chunk instanceof Uint8Array ? chunk : chunk.subarray())
    // The iteration also ends quietly when the node resets the stream: its status tells.
    const how = stream.status === 'reset' || stream.status === 'aborted' ? 'reset' : 'closed'
    return { how, frames: splitFrames(concat(chunks)) }
  } catch (error) {
    if (signal.aborted) throw new Error(`hung: ${String(signal.reason)}`, { cause: error })
    return { how: 'reset', frames: splitFrames(concat(chunks)) }
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

export async function fuzzPeer (t: TestContext, seed = randomBytes(32)) {
  const libp2p = await createLibp2p({
    privateKey: await generateKeyPairFromSeed('Ed25519', seed),
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
  t.after(async () => { await libp2p.stop() })
  return {
    libp2p,
    publicKey: ed25519FromSeed(seed).publicKey,
    sign: ed25519Signer(seed),

    async connect (node: CausetteNode): Promise<Connection> {
      return await libp2p.dial(multiaddr(addressOf(node)))
    },

    /** The protocols the node announces over identify (once a connection is open): ours among them. */
    async protocolsOf (node: CausetteNode): Promise<string[]> {
      const peer = peerIdFromString(node.peerId)
      return await eventually(async () => {
        // Before identify answers, the store may know only the protocols negotiated so far.
        const protocols = await libp2p.peerStore.get(peer).then(p => p.protocols, () => [])
        return protocols.some(p => p.startsWith('/causette/')) ? protocols : undefined
      }, 30_000, 'identify')
    }
  }
}

/** Opens a stream on `connection`, sends the interaction, ends our side, and reads the node's answer to the end. */
export async function interact (connection: Connection, protocol: string, interaction: Interaction, boundMs: number): Promise<Ending> {
  const signal = AbortSignal.timeout(boundMs)
  let stream: Stream
  try {
    stream = await connection.newStream(protocol, { signal })
  } catch (error) {
    // A connection the node closed (a peer it cut off), or a stream it refused at negotiation.
    if (signal.aborted) throw new Error(`hung opening a ${protocol} stream`, { cause: error })
    return { how: 'refused', frames: [], why: (error as Error).name }
  }
  const ending = readToEnd(stream, signal)
  try {
    const bytes = bytesOf(interaction)
    if (bytes.length > 0 && !stream.send(bytes)) await stream.onDrain({ signal })
    if (interaction.kind === 'reset') stream.abort(new Error('reset by the fuzzer'))
    else if (interaction.kind !== 'endless') await stream.close({ signal })
  } catch {
    // The node may reset the stream while we write: the ending says so.
  }
  try {
    return await ending
  } finally {
    // Our side of a stream the node has ended (an endless prefix leaves it open): let it go.
    if (stream.status === 'open') stream.abort(new Error('the fuzz case is over'))
  }
}
