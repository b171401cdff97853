// The file transfer's figures (issue 16, docs/files.md "Speed"): a file of each size (100 MiB and
// 1 GiB) fetched from a holder in another process on loopback (bench/files-holder.ts) with
// /causette/file/1.0.0 and the fetcher (every chunk checked by SHA-256 against the chunk list), beside
// a bare libp2p stream over the same host configuration (the node's: TCP, Noise, yamux with our 1 MiB
// stream window) and raw TCP moving the same bytes, in the same run, and the bare stream's bytes
// written down to a file as the store writes (what the disk costs any transfer: written-floor.ts).
// The fetch is measured twice: into a sink that only counts (the transfer alone) and into an
// attachment store in a temporary profile (what a recipient's node does: every chunk checked again,
// written whole, made durable). Throughput, the ratio to the bare stream, each side's RSS growth and
// CPU a MiB (on a machine of two cores both processes share them: a way's cost on either side is
// throughput lost).
import { spawn, type ChildProcess } from 'node:child_process'
import { tuneGarbageCollector } from '../core/runtime/gc-tuning.js'
import { childLines } from './child-lines.js'
import { connectToHolder, measureSizes, WAYS, type HolderReady, type HolderSide, type SizeFigures, type Way, type WayFigures } from './files-fetch.js'

export interface FilesBenchOptions {
  /** File sizes in MiB; default 100 and 1024. */
  sizesMiB?: number[]
  /** Rounds of each way for each size (medians are shown); default 1 (npm run bench asks for 3). */
  rounds?: number
  log?: (line: string) => void
}

export interface FilesFigures { sizes: SizeFigures[] }

/** The holder process, its RSS questions answered in turn. */
export interface HolderProcess extends HolderSide {
  ready: HolderReady
  stop: () => Promise<void>
}

export const HOLDER_SCRIPT = new URL('./files-holder.ts', import.meta.url).pathname

/** Runs `node --import tsx <args>` here, its stdin and stdout piped (the LAN section runs it in a namespace instead). */
const spawnHere = (args: string[]): ChildProcess => spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['pipe', 'pipe', 'inherit'] })

/** bench/files-holder.ts holding a file of each size, its raw TCP and libp2p on `listenHost`. */
export async function startHolder (sizesMiB: number[], listenHost = '127.0.0.1', spawnTsx = spawnHere): Promise<HolderProcess> {
  const child = childLines(spawnTsx([HOLDER_SCRIPT, '--listen', listenHost, ...sizesMiB.map(String)]), 'the files bench holder')
  const ready = JSON.parse(await child.next()) as HolderReady
  return {
    ready,
    rssMark: async () => { child.send('mark'); await child.next() },
    sinceMark: async () => { child.send('peak'); return JSON.parse(await child.next()) as { rssGrowthMiB: number, cpuMs: number } },
    stop: async () => { await child.end() }
  }
}

export async function benchFiles (options: FilesBenchOptions = {}): Promise<FilesFigures> {
  const sizesMiB = options.sizesMiB ?? [100, 1024]
  const rounds = Math.max(1, options.rounds ?? 1)
  tuneGarbageCollector() // a node's own setting (startNode), on both sides: every way runs under it
  const holder = await startHolder(sizesMiB)
  try {
    const link = await connectToHolder(holder.ready, '127.0.0.1')
    try {
      return { sizes: await measureSizes(link, holder, { sizesMiB, rounds, ways: WAYS, warm: true }, options.log) }
    } finally {
      await link.host.stop()
    }
  } finally {
    await holder.stop()
  }
}

export const WAY_NAMES: Record<Way, string> = {
  rawTcp: 'raw TCP (floor)',
  bareLibp2p: 'bare libp2p stream (floor)',
  bareToFile: 'the same, written to a file as the store does',
  fileCounted: 'file protocol, every chunk checked',
  fileToStore: 'file protocol into the attachment store',
  storeToStore: 'the same, served from the holder\'s store'
}

/** The ways a size was measured by, in the order of WAYS. */
export const measuredWays = (size: SizeFigures): Array<[Way, WayFigures]> =>
  WAYS.flatMap(way => size.ways[way] === undefined ? [] : [[way, size.ways[way]] as [Way, WayFigures]])

/** A way's row: its name, MiB/s, share of the bare stream, `beside` (another share, for the LAN's link), both sides' CPU a MiB and RSS growth. */
export function wayRow (way: Way, figures: WayFigures, beside = ''): string {
  const cpu = `${figures.cpuMsPerMiB.toFixed(1)} / ${figures.holderCpuMsPerMiB.toFixed(1)}`
  return `  ${WAY_NAMES[way].padEnd(46)} ${figures.mibPerSecond.toLocaleString('en-US').padStart(6)}   ${beside}${`${Math.round(100 * figures.ofBare)}%`.padStart(7)}   ${cpu.padStart(28)}   ${String(figures.requesterRssGrowthMiB).padStart(6)} / ${figures.holderRssGrowthMiB}`
}

/** One table per size, each way beside the bare stream, as the other rows of npm run bench. */
export function printFilesFigures (figures: FilesFigures): void {
  for (const size of figures.sizes) {
    console.log(`\na file of ${size.mib.toLocaleString('en-US')} MiB, loopback, holder in another process (median of ${size.rounds})   MiB/s   of bare   CPU ms/MiB (fetcher / holder)   RSS growth MiB (fetcher / holder)`)
    for (const [way, figures] of measuredWays(size)) console.log(wayRow(way, figures))
  }
  console.log('  of bare: the median of each round\'s share of the bare stream; RSS growth: the most of any round')
  console.log('  goals: the file protocol >= 70% of the bare stream; RSS growth under 64 MiB for 1 GiB')
}
