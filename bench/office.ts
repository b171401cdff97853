// An office of twenty desks at rest: twenty daemons in network namespaces on one bridge (real mDNS,
// one workspace, made as in the LAN tests), each connected to the nineteen others, and nobody
// writing. What a desk's node costs then, all day: the share of a core it keeps busy and its memory.
// Needs root and iproute2, as the LAN tests do; otherwise its row says why.
import { setTimeout as sleep } from 'node:timers/promises'
import { createLan } from '../test/helpers/netns.js'
import { fullMesh, startSoakOffice } from '../test/helpers/soak-nodes.js'
import { benchTeardown } from './lan-teardown.js'
import { cpuMicrosOf, rssBytesOf } from './proc.js'
import { median } from './stats.js'
import { namespacesMissing, type Unavailable } from './tools.js'

export interface Spread { min: number, median: number, max: number }

export interface IdleOfficeFigures {
  desks: number
  /** From the last daemon's start until every desk lists every other one as connected. */
  fullMeshMs: number
  idleSeconds: number
  /** Each desk's CPU over the idle window, in % of one core. */
  cpuPercentOfCore: Spread
  rssMiB: Spread
}

export interface IdleOfficeOptions {
  desks: number
  /** Left to the office after the mesh, before measuring: the joins' work and its garbage collections end. */
  settleMs: number
  idleMs: number
  log: (line: string) => void
}

function spread (values: number[]): Spread {
  return { min: Math.min(...values), median: median(values), max: Math.max(...values) }
}

/** CPU time over a wall-clock span, as the share of one core it kept busy. */
const percentOfCore = (cpuMicros: number, seconds: number): number => 100 * cpuMicros / (seconds * 1_000_000)

export async function benchIdleOffice (options: IdleOfficeOptions): Promise<IdleOfficeFigures | Unavailable> {
  const missing = await namespacesMissing('ip')
  if (missing !== undefined) return { unavailable: missing }
  const teardown = benchTeardown()
  try {
    const lan = await createLan(teardown, { hosts: options.desks })
    const names = lan.hosts.map(host => `desk-${host.name}`)
    options.log(`idle office: starting ${options.desks} desks`)
    const members = await startSoakOffice(teardown, lan.hosts, names)
    const startedAt = Date.now()
    await fullMesh(members, 120_000)
    const fullMeshMs = Date.now() - startedAt
    options.log(`idle office: full mesh after ${fullMeshMs} ms; settling ${options.settleMs / 1000} s, then measuring ${options.idleMs / 1000} s`)
    await sleep(options.settleMs)
    const pids = members.map(member => member.daemon.pid)
    const before = pids.map(cpuMicrosOf)
    const idleFrom = performance.now()
    await sleep(options.idleMs)
    const idleSeconds = (performance.now() - idleFrom) / 1000
    const cpu = pids.map((pid, index) => percentOfCore(cpuMicrosOf(pid) - before[index]!, idleSeconds))
    return { desks: options.desks, fullMeshMs, idleSeconds: Math.round(idleSeconds), cpuPercentOfCore: spread(cpu), rssMiB: spread(pids.map(pid => rssBytesOf(pid) / 2 ** 20)) }
  } catch (error) {
    return { unavailable: `the office did not come up: ${error instanceof Error ? error.message : String(error)}` }
  } finally {
    await teardown.run()
  }
}

export function printIdleOfficeFigures (office: IdleOfficeFigures | Unavailable): void {
  console.log('\nan idle office (network namespaces, real mDNS, one workspace), each desk connected to all the others')
  if ('unavailable' in office) { console.log(`  not measured: ${office.unavailable}`); return }
  const range = (value: Spread, digits: number): string => `${value.min.toFixed(digits)} / ${value.median.toFixed(digits)} / ${value.max.toFixed(digits)}`
  console.log(`  desks                                      ${office.desks}, full mesh ${(office.fullMeshMs / 1000).toFixed(1)} s after the last one started`)
  console.log(`  CPU per desk, % of a core, min/median/max  ${range(office.cpuPercentOfCore, 2)} (over ${office.idleSeconds} s with nobody writing)`)
  console.log(`  RSS per desk, MiB, min/median/max          ${range(office.rssMiB, 0)} (daemons run from source, through tsx)`)
}
