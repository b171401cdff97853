// A bare libp2p node (TCP + Noise + yamux + identify) with our discovery module and nothing else
// of ours: what the discovery tests run, on loopback with mDNS off or inside a LAN namespace.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { discoveryServices } from '../../discovery/index.js'
import type { DiscoveryOptions } from '../../discovery/index.js'

export interface BareNodeOptions extends DiscoveryOptions {
  listen: string[]
}

export async function createBareNode (options: BareNodeOptions) {
  const discovery = discoveryServices(options)
  return await createLibp2p({
    addresses: { listen: options.listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery: discovery.peerDiscovery,
    services: { identify: identify(), ...discovery.services }
  })
}

export type BareNode = Awaited<ReturnType<typeof createBareNode>>
