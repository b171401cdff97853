// What an mDNS answer may make us dial. Anyone on the LAN can answer, for any PeerId, with any
// addresses (docs/SECURITY.md, "Spoofed mDNS answers"), so an answer is reduced to the addresses a
// peer on our own link could really have: TCP over an IP literal inside the subnet of one of our
// interfaces, not one of our own addresses, at most MAX_ADDRESSES_PER_PEER of them, each once. DNS
// names, loopback, multicast, the unspecified address, other transports and other networks go.
import { BlockList, isIP } from 'node:net'
import { networkInterfaces } from 'node:os'
import { CODE_IP4, CODE_IP6, CODE_P2P, CODE_TCP } from '@multiformats/multiaddr'
import type { PeerInfo } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** A desk has a wired and a wireless address, perhaps an IPv6 one each: more is an attacker's list. */
export const MAX_ADDRESSES_PER_PEER = 4

/** Our interfaces are read again at most this often (a cable plugged in, a new DHCP lease). */
const INTERFACES_REFRESH_MS = 5_000

/** Ranges no peer listens on, whatever our own subnets are. */
const NEVER_DIALLED = new BlockList()
NEVER_DIALLED.addSubnet('0.0.0.0', 8, 'ipv4')
NEVER_DIALLED.addSubnet('224.0.0.0', 4, 'ipv4')
NEVER_DIALLED.addAddress('255.255.255.255', 'ipv4')
NEVER_DIALLED.addAddress('::', 'ipv6')
NEVER_DIALLED.addSubnet('ff00::', 8, 'ipv6')

/** This host: a peer's address here is reachable only from the same machine. */
const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

interface IpHost { host: string, family: 'ipv4' | 'ipv6' }

/** The IP literal `address` starts with, else undefined. */
function leadingHost (address: Multiaddr): IpHost | undefined {
  const [ip] = address.getComponents()
  if (ip?.code !== CODE_IP4 && ip?.code !== CODE_IP6) return undefined
  const host = ip.value ?? ''
  const version = isIP(host)
  return version === 0 ? undefined : { host, family: version === 6 ? 'ipv6' : 'ipv4' }
}

/** The host of exactly `/ip4|ip6/<literal>/tcp/<port>`, else undefined. */
function tcpHost (address: Multiaddr): IpHost | undefined {
  const [, tcp, ...rest] = address.getComponents()
  if (rest.length > 0 || tcp?.code !== CODE_TCP || Number(tcp.value) < 1) return undefined
  return leadingHost(address)
}

/** Whether `address` (a connection's remote address, say, with its /tcp and /p2p) is on this host's loopback interface. */
export function isLoopback (address: Multiaddr): boolean {
  const ip = leadingHost(address)
  return ip !== undefined && LOOPBACK.check(ip.host, ip.family)
}

/**
 * Exactly `/ip4|ip6/<literal>/tcp/<port>` at a host a peer can listen on: never the unspecified
 * address, multicast or broadcast, DNS names or other transports; loopback only if `loopback`.
 */
export function isDialableTcp (address: Multiaddr, { loopback }: { loopback: boolean }): boolean {
  return dialableHost(address, loopback) !== undefined
}

/** The host of a dialable address (isDialableTcp), else undefined. */
function dialableHost (address: Multiaddr, loopback: boolean): IpHost | undefined {
  const tcp = tcpHost(address)
  if (tcp === undefined || NEVER_DIALLED.check(tcp.host, tcp.family)) return undefined
  return loopback || !LOOPBACK.check(tcp.host, tcp.family) ? tcp : undefined
}

interface OwnNetworks {
  subnets: BlockList
  addresses: Set<string>
}

export interface LanAddressFilterComponents {
  /** Default: this host's interfaces (os.networkInterfaces). */
  interfaces?: typeof networkInterfaces
  /** Milliseconds; default a monotonic clock, so a wall clock set back does not keep stale interfaces. */
  now?: () => number
}

export class LanAddressFilter {
  readonly #interfaces: typeof networkInterfaces
  readonly #now: () => number
  #networks: OwnNetworks | undefined
  #readAt = 0

  constructor (components: LanAddressFilterComponents = {}) {
    this.#interfaces = components.interfaces ?? networkInterfaces
    this.#now = components.now ?? (() => performance.now())
  }

  /** `peer` with only the addresses worth dialling, or undefined if none is left. */
  reachableOnLan (peer: PeerInfo): PeerInfo | undefined {
    const seen = new Set<string>()
    const kept: Multiaddr[] = []
    for (const address of peer.multiaddrs) {
      if (kept.length === MAX_ADDRESSES_PER_PEER) break
      const bare = withoutPeerId(address, peer)
      if (bare === undefined || !this.isOnOurLan(bare)) continue
      const key = bare.toString()
      if (seen.has(key)) continue
      seen.add(key)
      kept.push(bare)
    }
    return kept.length === 0 ? undefined : { id: peer.id, multiaddrs: kept }
  }

  /** Exactly `/ip4|ip6/<address>/tcp/<port>`, the address in one of our subnets and not ours. */
  isOnOurLan (address: Multiaddr): boolean {
    const tcp = dialableHost(address, false)
    if (tcp === undefined) return false
    const networks = this.#ownNetworks()
    return networks.subnets.check(tcp.host, tcp.family) && !networks.addresses.has(tcp.host)
  }

  #ownNetworks (): OwnNetworks {
    const age = this.#now() - this.#readAt
    if (this.#networks !== undefined && age >= 0 && age < INTERFACES_REFRESH_MS) return this.#networks
    const subnets = new BlockList()
    const addresses = new Set<string>()
    for (const info of Object.values(this.#interfaces()).flat()) {
      if (info === undefined || info.internal || info.cidr === null) continue
      const [network, prefix] = info.cidr.split('/')
      subnets.addSubnet(network, Number(prefix), info.family === 'IPv6' ? 'ipv6' : 'ipv4')
      addresses.add(info.address)
    }
    this.#networks = { subnets, addresses }
    this.#readAt = this.#now()
    return this.#networks
  }
}

/** `address` without a trailing `/p2p/<peer.id>`; undefined if it names another peer. */
export function withoutPeerId (address: Multiaddr, peer: Pick<PeerInfo, 'id'>): Multiaddr | undefined {
  const named = address.getComponents().findLast(component => component.code === CODE_P2P)?.value
  if (named === undefined) return address
  return named === peer.id.toString() ? address.decapsulateCode(CODE_P2P) : undefined
}
