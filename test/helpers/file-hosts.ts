// libp2p hosts for file transfer tests: the node's own host configuration (core/node/p2p-host.ts:
// TCP on loopback, Noise, yamux with our stream window, the per-peer limits; mDNS off), serving
// /causette/file/1.0.0 from a ChunkHolder behind limitStreams as the node would. A host restarted
// with the same seed and port is the same peer at the same address.
import { randomBytes } from 'node:crypto'
import type { TestContext } from 'node:test'
import type { PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { createHost, type Host } from '../../core/node/p2p-host.js'
import type { ChunkHolder, HolderLink } from '../../core/protocol/file-ports.js'
import { handleFileStream, type FileServeOptions } from '../../core/protocol/file-protocol.js'
import { libp2pHolderLink, type FileRequesterOptions } from '../../core/protocol/file-requester.js'
import { FILE_PROTOCOL } from '../../core/protocol/protocol-ids.js'
import { limitStreams } from '../../core/protocol/stream-limiter.js'

export interface FileHostOptions {
  /** The device seed: the same seed is the same PeerId. Default: a fresh one. */
  seed?: Uint8Array
  /** Default 0 (any); a restarted host passes the port it had. */
  port?: number
  /** What it serves; default nothing (a requester only). */
  holder?: ChunkHolder
  serve?: FileServeOptions
}

export interface FileHost {
  host: Host
  seed: Uint8Array
  port: number
  peerId: PeerId
  address: string
}

export async function fileHost (t: TestContext, options: FileHostOptions = {}): Promise<FileHost> {
  const seed = options.seed ?? new Uint8Array(randomBytes(32))
  const host = await createHost({ deviceSeed: seed, listenHost: '127.0.0.1', port: options.port ?? 0, mdns: false, peers: [] })
  const limits = host.services.limits
  if (options.holder !== undefined) {
    const holder = options.holder
    await host.handle(FILE_PROTOCOL, limitStreams(async (stream, connection) => {
      await handleFileStream(stream, connection, holder, { strike: (peer, code, message) => { limits.strike(peer, code, message) }, ...options.serve })
    }, { protocol: FILE_PROTOCOL, limits }))
  }
  await host.start()
  t.after(async () => { await host.stop() })
  const address = host.getMultiaddrs().map(String).find(a => a.includes('/ip4/127.0.0.1/'))
  if (address === undefined) throw new Error('the host listens on no loopback address')
  return { host, seed, port: Number(address.split('/')[4]), peerId: host.peerId, address }
}

/** A link from `from` to the holder `to`, whose address `from` now knows. */
export async function linkTo (from: FileHost, to: FileHost, options: FileRequesterOptions = {}): Promise<HolderLink> {
  await from.host.peerStore.merge(to.peerId, { multiaddrs: [multiaddr(to.address)] })
  return libp2pHolderLink(from.host, to.peerId, options)
}
