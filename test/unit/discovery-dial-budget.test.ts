// What an mDNS answer may make us dial (discovery/lan-addresses.ts) and how fast discovery may dial
// (discovery/dial-budget.ts), with fixed interfaces and a clock the test moves.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { NetworkInterfaceInfo } from 'node:os'
import { DialBudget, LanAddressFilter, MAX_ADDRESSES_PER_PEER } from '../../discovery/index.js'

function clock (start = 1_000_000) {
  const time = { ms: start, now: () => time.ms }
  return time
}

function iface (address: string, cidr: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo {
  return { address, cidr, family, internal, netmask: '', mac: '00:00:00:00:00:00', ...(family === 'IPv6' ? { scopeid: 0 } : {}) } as NetworkInterfaceInfo
}

// A desk on 10.20.30.0/24 and fd00:1::/64, with its loopback.
const interfaces = (): NodeJS.Dict<NetworkInterfaceInfo[]> => ({
  lo: [iface('127.0.0.1', '127.0.0.1/8', 'IPv4', true), iface('::1', '::1/128', 'IPv6', true)],
  eth0: [iface('10.20.30.5', '10.20.30.5/24', 'IPv4'), iface('fd00:1::5', 'fd00:1::5/64', 'IPv6')]
})

test('an mDNS answer keeps only TCP addresses in our own subnets, each once, a few per peer', async () => {
  const filter = new LanAddressFilter({ interfaces })
  const id = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  const refused = [
    '/dns4/victim.example/tcp/443', '/dnsaddr/victim.example', '/ip4/127.0.0.1/tcp/7420', '/ip6/::1/tcp/7420',
    '/ip4/224.0.0.251/tcp/7420', '/ip4/0.0.0.0/tcp/7420', '/ip4/255.255.255.255/tcp/7420', '/ip6/ff02::1/tcp/7420',
    '/ip4/10.20.31.9/tcp/7420', '/ip4/192.168.1.9/tcp/7420', '/ip4/8.8.8.8/tcp/7420',
    '/ip4/10.20.30.9/udp/7420', '/ip4/10.20.30.9/tcp/0', '/ip4/10.20.30.9/tcp/7420/ws',
    '/ip4/10.20.30.5/tcp/7420', // our own address
    `/ip4/10.20.30.9/tcp/7420/p2p/${other.toString()}` // another peer's
  ]
  assert.equal(filter.reachableOnLan({ id, multiaddrs: refused.map(address => multiaddr(address)) }), undefined)

  const kept = filter.reachableOnLan({
    id,
    multiaddrs: ['/ip4/10.20.30.9/tcp/7420', `/ip4/10.20.30.9/tcp/7420/p2p/${id.toString()}`, '/ip6/fd00:1::9/tcp/7420', '/ip4/8.8.8.8/tcp/1']
      .map(address => multiaddr(address))
  })
  assert.deepEqual(kept?.multiaddrs.map(String), ['/ip4/10.20.30.9/tcp/7420', '/ip6/fd00:1::9/tcp/7420'])

  const many = Array.from({ length: 20 }, (_, port) => multiaddr(`/ip4/10.20.30.9/tcp/${7000 + port}`))
  assert.equal(filter.reachableOnLan({ id, multiaddrs: many })?.multiaddrs.length, MAX_ADDRESSES_PER_PEER)
})

test('the dial budget grants its burst, then its rate, one pending dial per address', () => {
  const time = clock()
  const budget = new DialBudget({ ratePerSecond: 2, burst: 3, backoff: { firstMs: 1_000, maxMs: 8_000 } }, time)
  const addresses = ['/ip4/10.0.0.1/tcp/1', '/ip4/10.0.0.1/tcp/2', '/ip4/10.0.0.1/tcp/3', '/ip4/10.0.0.1/tcp/4'].map(address => multiaddr(address))
  assert.deepEqual(budget.claim(addresses).map(String), addresses.slice(0, 3).map(String))
  assert.deepEqual(budget.claim(addresses), [], 'no token left, and three of them pending')
  assert.equal(budget.waitMs(addresses), 500)
  time.ms += 500
  assert.deepEqual(budget.claim(addresses).map(String), [addresses[3].toString()], 'only the address not pending')
  time.ms += 10_000
  assert.deepEqual(budget.claim([addresses[0]]), [], 'still pending, whoever names it')
  budget.settle(addresses[0], true)
  assert.deepEqual(budget.claim([addresses[0]]).map(String), [addresses[0].toString()])
})

test('an address whose dial failed is left alone for a growing while, whoever names it next', () => {
  const time = clock()
  const budget = new DialBudget({ ratePerSecond: 1_000, burst: 1_000, backoff: { firstMs: 1_000, maxMs: 60_000 } }, time)
  const victim = multiaddr('/ip4/10.0.0.9/tcp/80')
  let dials = 0
  // A thousand fake peers name the victim every 100 ms for five minutes.
  for (let step = 0; step < 3_000; step++, time.ms += 100) {
    for (const granted of budget.claim([victim])) {
      dials++
      budget.settle(granted, false)
    }
  }
  assert.ok(dials <= 15, `${dials} dials to one address in five minutes`)
  assert.ok(dials >= 5, 'a failed address is tried again eventually')
})

// A clock set back (a desk's clock corrected by an hour): before, the budget lost an hour of tokens
// and a failed address's backoff lasted an hour longer, so discovery dialled nobody for an hour.
test('a clock set back an hour neither empties the dial budget nor lengthens a backoff', () => {
  const time = clock(10 * 3_600_000)
  const budget = new DialBudget({ ratePerSecond: 2, burst: 3, backoff: { firstMs: 1_000, maxMs: 8_000 } }, time)
  const failing = multiaddr('/ip4/10.0.0.9/tcp/80')
  const fresh = multiaddr('/ip4/10.0.0.1/tcp/1')
  for (const granted of budget.claim([failing])) budget.settle(granted, false)
  time.ms -= 3_600_000
  assert.deepEqual(budget.claim([fresh]).map(String), [fresh.toString()], 'a token is still there')
  assert.ok(budget.waitMs([failing]) <= 1_000, `the failed address waits its backoff, not an hour: ${budget.waitMs([failing])} ms`)
  time.ms += 1_000
  assert.deepEqual(budget.claim([failing]).map(String), [failing.toString()])
})

// The desk's clock set back a day, then its address changes (DHCP): before, its interfaces were not
// read again for a day, and every mDNS answer from its new subnet was dropped.
test('a clock set back does not keep the interfaces read before it', async () => {
  const time = clock(10 * 86_400_000)
  let eth0 = iface('10.20.30.5', '10.20.30.5/24', 'IPv4')
  const filter = new LanAddressFilter({ interfaces: () => ({ eth0: [eth0] }), now: time.now })
  const id = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  const answer = { id, multiaddrs: [multiaddr('/ip4/192.168.7.9/tcp/7420')] }
  assert.equal(filter.reachableOnLan(answer), undefined, 'not our subnet yet')
  time.ms -= 86_400_000
  eth0 = iface('192.168.7.5', '192.168.7.5/24', 'IPv4')
  time.ms += 10_000
  assert.deepEqual(filter.reachableOnLan(answer)?.multiaddrs.map(String), ['/ip4/192.168.7.9/tcp/7420'], 'the new subnet is read')
})
