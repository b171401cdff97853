// Peer exchange's choices (discovery/peer-exchange.ts), over connections and a peer store made by
// hand: whom a desk tells about and at which addresses, and what a list it hears may make it dial.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { TypedEventEmitter } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection, PeerDiscoveryEvents, PeerId, PeerInfo } from '@libp2p/interface'
import { MAX_ADDRESSES_PER_PEER, PeerExchange } from '../../discovery/index.js'

async function newPeerId (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

interface FakeConnection { remotePeer: PeerId, remoteAddr: ReturnType<typeof multiaddr>, direction: 'inbound' | 'outbound', status: 'open' | 'closed' }

function connection (remotePeer: PeerId, remoteAddr: string, direction: 'inbound' | 'outbound' = 'inbound', status: 'open' | 'closed' = 'open'): FakeConnection {
  return { remotePeer, remoteAddr: multiaddr(`${remoteAddr}/p2p/${remotePeer.toString()}`), direction, status }
}

/** A desk with these connections, where identify told `announced` listen addresses; the sightings it reports. */
function desk (self: PeerId, connections: FakeConnection[], announced: Map<string, string[]>, wanted: (peer: string) => boolean = () => true): { exchange: PeerExchange, sighted: PeerInfo[] } {
  const sightings = new TypedEventEmitter<PeerDiscoveryEvents>()
  const sighted: PeerInfo[] = []
  sightings.addEventListener('peer', event => { sighted.push(event.detail) })
  const exchange = new PeerExchange({
    peerId: self,
    connectionManager: { getConnections: (peer?: PeerId) => (connections.filter(c => peer === undefined || c.remotePeer.equals(peer)) as unknown as Connection[]) },
    peerStore: {
      get: async (peer: PeerId) => {
        const addresses = announced.get(peer.toString())
        if (addresses === undefined) throw new Error('not found')
        return { addresses: addresses.map(address => ({ multiaddr: multiaddr(address), isCertified: false })) } as never
      }
    }
  }, { sightings, wanted })
  return { exchange, sighted }
}

const addressesOf = (info: PeerInfo | undefined): string[] => info?.multiaddrs.map(String) ?? []

test('a desk tells a member about the other members it is connected to, at their plain TCP addresses', async () => {
  const [self, recipient, bruno, carla, stranger, closed] = await Promise.all(Array.from({ length: 6 }, newPeerId))
  const connections = [
    connection(recipient!, '/ip4/10.0.0.9/tcp/50001'),
    connection(bruno!, '/ip4/10.0.0.2/tcp/7420', 'outbound'),
    connection(carla!, '/ip4/10.0.1.3/tcp/50002'),
    connection(stranger!, '/ip4/10.0.0.4/tcp/50003'),
    connection(closed!, '/ip4/10.0.0.5/tcp/7420', 'outbound', 'closed')
  ]
  const announced = new Map([
    [bruno!.toString(), ['/ip4/10.0.0.2/tcp/7420', '/ip4/127.0.0.1/tcp/7420', '/dns4/bruno.example/tcp/7420', '/ip4/0.0.0.0/tcp/7420']],
    // Another subnet is kept: where multicast does not reach is what peer exchange is for.
    [carla!.toString(), ['/ip4/10.0.1.3/tcp/7420', '/ip4/192.168.1.3/tcp/7420', '/ip6/fd00::3/tcp/7420', '/ip4/10.0.1.3/tcp/7421', '/ip4/10.0.1.3/tcp/7422', `/ip4/10.0.1.3/tcp/7423/p2p/${stranger!.toString()}`]]
  ])
  const { exchange } = desk(self!, connections, announced, peer => peer !== stranger!.toString())
  const list = await exchange.listFor(connections[0] as unknown as Connection)
  assert.deepEqual(list.map(info => info.id.toString()).sort(), [bruno!.toString(), carla!.toString()].sort(), 'neither the recipient, a stranger nor a closed connection')
  assert.deepEqual(addressesOf(list.find(info => info.id.equals(bruno!))), ['/ip4/10.0.0.2/tcp/7420'], 'the dialled address, once; no loopback, DNS name or unspecified address')
  const carlaAddresses = addressesOf(list.find(info => info.id.equals(carla!)))
  assert.equal(carlaAddresses.length, MAX_ADDRESSES_PER_PEER)
  assert.deepEqual(carlaAddresses, ['/ip4/10.0.1.3/tcp/7420', '/ip4/192.168.1.3/tcp/7420', '/ip6/fd00::3/tcp/7420', '/ip4/10.0.1.3/tcp/7421'])
})

test('loopback addresses are told only when the member, the desk and the recipient share one machine', async () => {
  const [self, local, remote, member] = await Promise.all(Array.from({ length: 4 }, newPeerId))
  const connections = [connection(local!, '/ip4/127.0.0.1/tcp/50001'), connection(remote!, '/ip4/10.0.0.9/tcp/50002'), connection(member!, '/ip4/127.0.0.1/tcp/50003')]
  const { exchange } = desk(self!, connections, new Map([[member!.toString(), ['/ip4/127.0.0.1/tcp/7420', '/ip4/10.0.0.3/tcp/7420']]]))
  assert.deepEqual(addressesOf((await exchange.listFor(connections[0] as unknown as Connection)).find(info => info.id.equals(member!))), ['/ip4/127.0.0.1/tcp/7420', '/ip4/10.0.0.3/tcp/7420'])
  assert.deepEqual(addressesOf((await exchange.listFor(connections[1] as unknown as Connection)).find(info => info.id.equals(member!))), ['/ip4/10.0.0.3/tcp/7420'])
})

test('a list heard makes the desk dial only members it is not connected to, at plain addresses', async () => {
  const [self, teller, connected, wanted, unwanted, nowhere] = await Promise.all(Array.from({ length: 6 }, newPeerId))
  const connections = [connection(teller!, '/ip4/10.0.0.9/tcp/50001'), connection(connected!, '/ip4/10.0.0.8/tcp/7420')]
  const { exchange, sighted } = desk(self!, connections, new Map(), peer => peer !== unwanted!.toString())
  const at = (...addresses: string[]): ReturnType<typeof multiaddr>[] => addresses.map(address => multiaddr(address))
  exchange.heard(connections[0] as unknown as Connection, [
    { id: self!, multiaddrs: at('/ip4/10.0.0.1/tcp/7420') },
    { id: teller!, multiaddrs: at('/ip4/10.0.0.9/tcp/7420') },
    { id: connected!, multiaddrs: at('/ip4/10.0.0.8/tcp/7420') },
    { id: unwanted!, multiaddrs: at('/ip4/10.0.0.7/tcp/7420') },
    { id: nowhere!, multiaddrs: at('/ip4/127.0.0.1/tcp/7420', '/ip4/224.0.0.251/tcp/7420', '/dns4/evil.example/tcp/7420', '/ip4/10.0.0.6/udp/7420') },
    { id: wanted!, multiaddrs: at(`/ip4/10.0.0.5/tcp/7420/p2p/${wanted!.toString()}`, `/ip4/10.0.0.66/tcp/7420/p2p/${teller!.toString()}`, '/ip4/127.0.0.1/tcp/7420', '/ip4/10.0.0.5/tcp/7420', '/ip4/10.0.2.5/tcp/7420') }
  ])
  assert.deepEqual(sighted.map(info => [info.id.toString(), addressesOf(info)]), [[wanted!.toString(), ['/ip4/10.0.0.5/tcp/7420', '/ip4/10.0.2.5/tcp/7420']]])
})

test('a loopback address is dialled only when heard over a loopback connection', async () => {
  const [self, teller, member] = await Promise.all(Array.from({ length: 3 }, newPeerId))
  const local = connection(teller!, '/ip4/127.0.0.1/tcp/50001')
  const { exchange, sighted } = desk(self!, [local], new Map())
  exchange.heard(local as unknown as Connection, [{ id: member!, multiaddrs: [multiaddr('/ip4/127.0.0.1/tcp/7420')] }])
  assert.deepEqual(sighted.map(addressesOf), [['/ip4/127.0.0.1/tcp/7420']])
})
