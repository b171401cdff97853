// Why a peer cannot be found (DESIGN §10): conditions of this host under which discovery cannot
// work, each with a stable code for the status API and a sentence a person can act on.
import { readFile } from 'node:fs/promises'
import { networkInterfaces } from 'node:os'
import type { NetworkInterfaceInfo } from 'node:os'

export type DiscoveryProblemCode = 'no-lan-interface' | 'no-multicast-route' | 'no-discovery-configured'

export interface DiscoveryProblem {
  code: DiscoveryProblemCode
  message: string
}

export interface DiscoverySettings {
  mdns: boolean
  peers: readonly string[]
}

/** One row of the kernel's IPv4 routing table: destination and netmask as 32-bit numbers. */
export interface Ipv4Route {
  destination: number
  mask: number
}

const MDNS_GROUP = ipv4ToNumber('224.0.0.251')

/** The pure part: what is wrong given these interfaces and routes (routes undefined when unknown). */
export function findDiscoveryProblems (
  settings: DiscoverySettings,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
  routes: Ipv4Route[] | undefined
): DiscoveryProblem[] {
  const problems: DiscoveryProblem[] = []
  if (!settings.mdns && settings.peers.length === 0) {
    problems.push({
      code: 'no-discovery-configured',
      message: 'mDNS is off and no --peer address is given: this node dials only colleagues where it met them before, and those they tell it of; others reach it only by dialling it'
    })
  }
  if (!hasLanIpv4(interfaces)) {
    problems.push({
      code: 'no-lan-interface',
      message: 'no network interface with an IPv4 address other than loopback: this machine is not on a LAN'
    })
  } else if (settings.mdns && routes != null && !routes.some(route => routeCovers(route, MDNS_GROUP))) {
    problems.push({
      code: 'no-multicast-route',
      message: 'no default route and no 224.0.0.0/4 route: mDNS queries cannot leave this machine, so no colleague will be found by multicast (add a route, or give one colleague\'s address with --peer: the others are then told of)'
    })
  }
  return problems
}

/** Looks at this host. Routes are read on Linux only; elsewhere that check is skipped. */
export async function diagnoseDiscovery (settings: DiscoverySettings): Promise<DiscoveryProblem[]> {
  return findDiscoveryProblems(settings, networkInterfaces(), await readIpv4Routes())
}

async function readIpv4Routes (): Promise<Ipv4Route[] | undefined> {
  try {
    return parseProcNetRoute(await readFile('/proc/net/route', 'utf8'))
  } catch {
    return undefined
  }
}

/** Parses /proc/net/route: hexadecimal fields in host (little-endian) byte order; only routes that are up. */
export function parseProcNetRoute (text: string): Ipv4Route[] {
  const ROUTE_UP = 0x1
  return text.split('\n').slice(1).flatMap(line => {
    const fields = line.trim().split(/\s+/)
    if (fields.length < 8) return []
    const flags = Number.parseInt(fields[3], 16)
    if ((flags & ROUTE_UP) === 0) return []
    return [{ destination: littleEndianHexToNumber(fields[1]), mask: littleEndianHexToNumber(fields[7]) }]
  })
}

function littleEndianHexToNumber (hex: string): number {
  const value = Number.parseInt(hex, 16)
  return (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24)) >>> 0
}

export function ipv4ToNumber (address: string): number {
  return address.split('.').reduce((value, octet) => ((value << 8) | Number(octet)) >>> 0, 0)
}

function routeCovers (route: Ipv4Route, address: number): boolean {
  return ((address & route.mask) >>> 0) === ((route.destination & route.mask) >>> 0)
}

function hasLanIpv4 (interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): boolean {
  return Object.values(interfaces).some(addresses =>
    (addresses ?? []).some(info => info.family === 'IPv4' && !info.internal && !info.address.startsWith('169.254.')))
}
