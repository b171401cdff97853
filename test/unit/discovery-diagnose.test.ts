// Discovery diagnostics and the mDNS address filter: pure functions, no network.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { multiaddr } from '@multiformats/multiaddr'
import { findDiscoveryProblems, isAnnounceableOnLan } from '../../discovery/index.js'
import { ipv4ToNumber, parseProcNetRoute } from '../../discovery/diagnose.js'
import type { NetworkInterfaceInfo } from 'node:os'

const ROUTES_WITH_DEFAULT = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
`
const ROUTES_SUBNET_ONLY = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
`
const ROUTES_MULTICAST = ROUTES_SUBNET_ONLY + 'eth0\t000000E0\t00000000\t0001\t0\t0\t0\t000000F0\t0\t0\t0\n'

function ipv4 (address: string, internal = false): NetworkInterfaceInfo {
  return { address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr: `${address}/24` }
}
const LAN = { lo: [ipv4('127.0.0.1', true)], eth0: [ipv4('192.0.2.10')] }
const LOOPBACK_ONLY = { lo: [ipv4('127.0.0.1', true)], eth0: [ipv4('169.254.3.4')] }
const MDNS_ON = { mdns: true, peers: [] }

function codes (...args: Parameters<typeof findDiscoveryProblems>): string[] {
  return findDiscoveryProblems(...args).map(problem => problem.code)
}

describe('discovery diagnostics', () => {
  it('reads /proc/net/route in host byte order', () => {
    assert.deepEqual(parseProcNetRoute(ROUTES_WITH_DEFAULT), [
      { destination: 0, mask: 0 },
      { destination: ipv4ToNumber('192.0.2.0'), mask: ipv4ToNumber('255.255.255.0') }
    ])
  })

  it('finds nothing wrong on a LAN with a default route or a multicast route', () => {
    assert.deepEqual(codes(MDNS_ON, LAN, parseProcNetRoute(ROUTES_WITH_DEFAULT)), [])
    assert.deepEqual(codes(MDNS_ON, LAN, parseProcNetRoute(ROUTES_MULTICAST)), [])
  })

  it('reports a missing multicast route when mDNS is on', () => {
    assert.deepEqual(codes(MDNS_ON, LAN, parseProcNetRoute(ROUTES_SUBNET_ONLY)), ['no-multicast-route'])
    assert.deepEqual(codes({ mdns: false, peers: ['/ip4/192.0.2.7/tcp/7420'] }, LAN, parseProcNetRoute(ROUTES_SUBNET_ONLY)), [])
  })

  it('skips the route check when routes are unknown (not Linux)', () => {
    assert.deepEqual(codes(MDNS_ON, LAN, undefined), [])
  })

  it('reports a host with only loopback and link-local addresses', () => {
    assert.deepEqual(codes(MDNS_ON, LOOPBACK_ONLY, parseProcNetRoute(ROUTES_WITH_DEFAULT)), ['no-lan-interface'])
  })

  it('reports a node with neither mDNS nor static peers', () => {
    assert.deepEqual(codes({ mdns: false, peers: [] }, LAN, parseProcNetRoute(ROUTES_WITH_DEFAULT)), ['no-discovery-configured'])
  })

  it('gives every problem a sentence to show the user', () => {
    for (const problem of findDiscoveryProblems({ mdns: false, peers: [] }, LOOPBACK_ONLY, [])) {
      assert.match(problem.message, /\w{4,} .{20,}/)
    }
  })
})

describe('mDNS address filter', () => {
  it('keeps LAN addresses and drops loopback and link-local ones', () => {
    const keep = ['/ip4/192.168.1.20/tcp/7420', '/ip4/10.0.0.3/tcp/7420', '/ip6/fd00::3/tcp/7420']
    const drop = ['/ip4/127.0.0.1/tcp/7420', '/ip6/::1/tcp/7420', '/ip4/169.254.9.9/tcp/7420', '/ip6/fe80::1/tcp/7420']
    for (const address of keep) assert.equal(isAnnounceableOnLan(multiaddr(address)), true, address)
    for (const address of drop) assert.equal(isAnnounceableOnLan(multiaddr(address)), false, address)
  })
})
