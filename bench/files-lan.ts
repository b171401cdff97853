// The file transfer on an office's LAN (docs/files.md, "Speed"): two hosts in network namespaces
// (test/helpers/netns.ts), the holder (bench/files-holder.ts) in one and the fetcher
// (bench/files-lan-fetcher.ts, the loopback section's ways and measures) in the other, joined by a
// link shaped as an office's: a token bucket (`tc` tbf) at 1 Gbit/s, then 100 Mbit/s, on each side's
// egress, Ethernet's framing counted. In the same run over the same link: raw TCP, the bare libp2p
// stream (also written to a file as the store writes), the file protocol counted and into an
// attachment store, beside the link's rate. Both processes still share this machine's cores, where
// an office's two PCs have their own. Needs root and iproute2, as the LAN tests do; otherwise its
// rows say why and the rest of the bench runs.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLan, type LanHost } from '../test/helpers/netns.js'
import { childLines, type ChildLines } from './child-lines.js'
import { startHolder, measuredWays, wayRow } from './files.js'
import type { HolderSide, MeasurePlan, SizeFigures, Way } from './files-fetch.js'
import { benchTeardown } from './lan-teardown.js'
import { lanLinks, linkCeilingMiBPerSecond, shapingArgs, type LanLink } from './lan-link.js'
import { namespacesMissing, type Unavailable } from './tools.js'

/**
 * The ways measured over the link: the floors (the bare stream also written down as the store writes,
 * what the disk costs any transfer) and the file protocol a recipient's node runs.
 */
export const LAN_WAYS: readonly Way[] = ['rawTcp', 'bareLibp2p', 'bareToFile', 'fileCounted', 'fileToStore']

export interface LanLinkFigures { link: string, bitsPerSecond: number, ceilingMiBPerSecond: number, sizes: SizeFigures[] }
export interface LanFilesFigures { links: LanLinkFigures[] }

export interface LanFilesOptions {
  quick: boolean
  rounds: number
  /** The links measured, in turn; default `lanLinks(quick)`. */
  links?: LanLink[]
  log: (line: string) => void
}

/** `node --import tsx <args>` inside `host`, its stdin and stdout piped, its temporary files under `tempDir`. */
const spawnIn = (host: LanHost, tempDir: string) => (args: string[]) =>
  host.spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, TMPDIR: tempDir } })

/** The fetcher in its namespace: a measure asked, the holder's questions relayed to it meanwhile. */
interface LanFetcher { measure: (plan: MeasurePlan) => Promise<SizeFigures[]>, stop: () => Promise<void> }

async function startFetcher (child: ChildLines, holder: HolderSide): Promise<LanFetcher> {
  const next = async (): Promise<Record<string, unknown>> => JSON.parse(await child.next()) as Record<string, unknown>
  await next() // {"ready":true}
  return {
    measure: async (plan) => {
      child.send(JSON.stringify({ measure: plan }))
      for (let message = await next(); ; message = await next()) {
        if (message.figures !== undefined) return message.figures as SizeFigures[]
        if (message.holder === 'mark') await holder.rssMark().then(() => { child.send('{}') })
        if (message.holder === 'peak') child.send(JSON.stringify(await holder.sinceMark()))
      }
    },
    stop: async () => { await child.end() }
  }
}

export async function benchFilesLan (options: LanFilesOptions): Promise<LanFilesFigures | Unavailable> {
  const missing = await namespacesMissing('ip', 'tc')
  if (missing !== undefined) return { unavailable: missing }
  const links = options.links ?? lanLinks(options.quick)
  const rounds = Math.max(1, options.rounds)
  const teardown = benchTeardown()
  try {
    // Both processes' temporary profiles (1 GiB each), removed with the namespaces, however the run ends.
    const tempDir = await mkdtemp(join(tmpdir(), 'causette-bench-lan-'))
    teardown.after(async () => { await rm(tempDir, { recursive: true, force: true }) })
    const [holderHost, fetcherHost] = (await createLan(teardown, { hosts: 2, multicastRoute: false })).hosts as [LanHost, LanHost]
    options.log(`files bench, office LAN: holder at ${holderHost.address}, fetcher at ${fetcherHost.address}`)
    const holder = await startHolder([...new Set(links.flatMap(link => link.sizesMiB))], holderHost.address, spawnIn(holderHost, tempDir))
    const fetcherArgs = JSON.stringify({ holder: holder.ready, listenHost: fetcherHost.address })
    const fetcher = await startFetcher(childLines(spawnIn(fetcherHost, tempDir)([new URL('./files-lan-fetcher.ts', import.meta.url).pathname, fetcherArgs]), 'the files bench\'s LAN fetcher'), holder)
    const figures: LanLinkFigures[] = []
    for (const link of links) {
      for (const host of [holderHost, fetcherHost]) await host.exec('tc', shapingArgs(link))
      options.log(`files bench, office LAN: the link at ${link.name}`)
      const sizes = await fetcher.measure({ sizesMiB: link.sizesMiB, rounds, ways: LAN_WAYS, warm: link === links[0] })
      figures.push({ link: link.name, bitsPerSecond: link.bitsPerSecond, ceilingMiBPerSecond: linkCeilingMiBPerSecond(link), sizes })
    }
    await fetcher.stop()
    await holder.stop()
    return { links: figures }
  } catch (error) {
    return { unavailable: `the office LAN section failed: ${error instanceof Error ? error.message : String(error)}` }
  } finally {
    await teardown.run() // what is still running is killed with its namespace
  }
}

/** One table per link and size, each way beside the link's ceiling and the bare stream. */
export function printFilesLanFigures (figures: LanFilesFigures | Unavailable): void {
  if ('unavailable' in figures) {
    console.log(`\nfile transfer on an office LAN (network namespaces): not measured: ${figures.unavailable}`)
    return
  }
  for (const link of figures.links) {
    for (const size of link.sizes) {
      console.log(`\na file of ${size.mib.toLocaleString('en-US')} MiB, office LAN at ${link.link} (holder and fetcher in two network namespaces, median of ${size.rounds})   MiB/s   of link   of bare   CPU ms/MiB (fetcher / holder)   RSS growth MiB (fetcher / holder)`)
      for (const [way, wayFigures] of measuredWays(size)) console.log(wayRow(way, wayFigures, `${`${Math.round(100 * wayFigures.mibPerSecond / link.ceilingMiBPerSecond)}%`.padStart(7)}   `))
    }
    console.log(`  link: ${link.link}, tbf on each side's egress, Ethernet framing counted: at most ${link.ceilingMiBPerSecond.toFixed(1)} MiB/s of TCP payload ("of link")`)
  }
  console.log('  both ends share this machine\'s cores, where an office\'s two PCs have their own; the goal (70% of the bare stream) is stated on loopback')
}
