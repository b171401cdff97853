// The fetching end of the files bench (bench/files.ts on loopback, bench/files-lan-fetcher.ts in a
// network namespace of the office-LAN section): the ways of moving a file's bytes from the holder
// (bench/files-holder.ts), each run timed with its CPU and RSS, in rounds, medians kept. The holder's
// own CPU and RSS are asked of it around each run through `HolderSide`.
import { randomBytes } from 'node:crypto'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { AttachmentStore } from '../core/files/attachment-store.js'
import { fetchFile, type FetchComponents, type FetchTarget } from '../core/files/fetcher.js'
import { createHost, type Host } from '../core/node/p2p-host.js'
import { CausetteError } from '../core/errors.js'
import { CHUNK_ENTRY_BYTES, matchesEntry, type ChunkBytes, type ChunkList, type ChunkSink } from '../core/protocol/file-ports.js'
import { libp2pHolderLink } from '../core/protocol/file-requester.js'
import { median, round } from './stats.js'
import { DurableFile, receiveInto } from './written-floor.js'

/** The holder's bare stream: the bytes asked, as fast as they drain. */
export const BARE_PROTOCOL = '/bench/files/bare/1.0.0'

/** What the holder (bench/files-holder.ts) prints once it serves. */
export interface HolderReady {
  address: string
  peerId: string
  /** Where its raw TCP server listens. */
  tcpHost: string
  tcpPort: number
  /** By size in MiB: the file's id and its chunk list's SHA-256 (hex). */
  files: Record<string, { fileId: string, chunksSha256: string }>
}

/** The holder's side of a measure: its RSS and CPU from a mark. */
export interface HolderSide {
  rssMark: () => Promise<void>
  /** The RSS growth and the CPU used since the mark. */
  sinceMark: () => Promise<{ rssGrowthMiB: number, cpuMs: number }>
}

/**
 * One way of moving the bytes, measured: MiB/s, its share of the bare stream's MiB/s in the same
 * round (the load of a shared machine drifts less within a round than across), each side's CPU ms a
 * MiB and RSS growth (the most of any round).
 */
export interface WayFigures {
  mibPerSecond: number
  ofBare: number
  cpuMsPerMiB: number
  holderCpuMsPerMiB: number
  requesterRssGrowthMiB: number
  holderRssGrowthMiB: number
}

export const WAYS = ['rawTcp', 'bareLibp2p', 'bareToFile', 'fileCounted', 'fileToStore', 'storeToStore'] as const
export type Way = typeof WAYS[number]

/** The ways measured for one size (a section may measure fewer than all; the bare stream always). */
export interface SizeFigures { mib: number, rounds: number, ways: Partial<Record<Way, WayFigures>> }

/**
 * A full garbage collection, so that each run's RSS growth starts from what is live rather than from
 * what the run before left for the collector (chunks are kept outside V8's heap: it frees them late).
 */
export function collectGarbage (): void {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}

/** A sink that checks each chunk against its list entry (as every sink must) and keeps nothing. */
class CountingSink implements ChunkSink {
  #list: ChunkList | undefined
  #next = 0
  bytes = 0
  async chunkList (): Promise<ChunkList | undefined> { return this.#list }
  async saveChunkList (list: ChunkList): Promise<void> { this.#list = list }
  async nextChunk (): Promise<number> { return this.#next }
  async writeChunk (index: number, data: ChunkBytes): Promise<void> {
    const entry = this.#list?.[index]
    if (entry === undefined || !matchesEntry(data, entry)) throw new CausetteError('FILE_BAD_CHUNK', `chunk ${index} is not the one the chunk list names`)
    this.#next++
    this.bytes += data.byteLength
  }
  async complete (): Promise<void> {}
}

const sizeRequest = (totalBytes: number): Uint8Array => {
  const bytes = new Uint8Array(8)
  new DataView(bytes.buffer).setBigUint64(0, BigInt(totalBytes))
  return bytes
}

/**
 * One run of a way: what it needs is made before the clock starts (a store's profile, as a node has
 * one), `run` is timed and resolves to the bytes received, and `cleanUp` comes after the clock stops
 * (removing 1 GiB took 233 ms here, on ext4 mounted with discard: not the transfer's time).
 */
interface WayRun { run: () => Promise<number>, cleanUp: () => Promise<void> }

const untimed = (run: () => Promise<number>): WayRun => ({ run, cleanUp: async () => {} })

/** The bare stream's bytes written to a file in a temporary directory (removed after the clock stops). */
async function bareIntoFile (host: Host, peer: PeerId, totalBytes: number): Promise<WayRun> {
  const dir = await mkdtemp(join(tmpdir(), 'causette-bench-floor-'))
  return {
    run: async () => {
      const file = await open(join(dir, 'bytes'), 'w')
      try {
        const sink = new DurableFile(file)
        const stream = await host.dialProtocol(peer, BARE_PROTOCOL)
        stream.send(sizeRequest(totalBytes))
        const bytes = await receiveInto(stream, sink)
        await sink.finish()
        return bytes
      } finally {
        await file.close()
      }
    },
    cleanUp: async () => { await rm(dir, { recursive: true, force: true }) }
  }
}

/** The ways of moving `totalBytes` from the holder, each made ready for one run. */
function waysTo (host: Host, peer: PeerId, holder: HolderReady, mib: number): Record<Way, () => Promise<WayRun>> {
  const totalBytes = mib * 2 ** 20
  const file = holder.files[String(mib)]!
  const target: FetchTarget = { fileId: file.fileId, chunksSha256: Buffer.from(file.chunksSha256, 'hex') }
  const holders = (): ReturnType<typeof libp2pHolderLink>[] => [libp2pHolderLink(host, peer)]
  return {
    rawTcp: async () => untimed(async () => {
      const socket = connect({ host: holder.tcpHost, port: holder.tcpPort })
      socket.write(sizeRequest(totalBytes))
      let bytes = 0
      for await (const data of socket) bytes += (data as Buffer).byteLength
      return bytes
    }),
    bareLibp2p: async () => untimed(async () => {
      const stream = await host.dialProtocol(peer, BARE_PROTOCOL)
      stream.send(sizeRequest(totalBytes))
      let bytes = 0
      for await (const data of stream) bytes += data.byteLength
      return bytes
    }),
    bareToFile: async () => await bareIntoFile(host, peer, totalBytes),
    fileCounted: async () => untimed(async () => {
      const sink = new CountingSink()
      await fetchFile(target, { sink, holders })
      return sink.bytes
    }),
    fileToStore: async () => await fetchIntoStore(target, file.chunksSha256, holders, totalBytes),
    // What a node does: the holder serves the file from its own attachment store.
    storeToStore: async () => await fetchIntoStore({ ...target, fileId: file.chunksSha256 }, file.chunksSha256, holders, totalBytes)
  }
}

/** A fetch of `target` into an attachment store in a temporary profile; the run resolves to the bytes of chunks it holds. */
async function fetchIntoStore (target: FetchTarget, id: string, holders: FetchComponents['holders'], totalBytes: number): Promise<WayRun> {
  const home = await mkdtemp(join(tmpdir(), 'causette-bench-files-'))
  const cleanUp = async (): Promise<void> => { await rm(home, { recursive: true, force: true }) }
  try {
    const store = await AttachmentStore.open(home, { limitBytes: 2 * totalBytes })
    return {
      run: async () => {
        await fetchFile(target, { sink: store.sink(id, 'mine'), holders })
        if (store.state(id)?.complete !== true) throw new Error('the store does not hold the file whole')
        return store.usage().mineBytes - (await store.chunkList(id))!.length * CHUNK_ENTRY_BYTES
      },
      cleanUp
    }
  } catch (error) {
    await cleanUp()
    throw error
  }
}

/** A way run once, untimed (a warm-up). */
async function runOnce (ready: () => Promise<WayRun>): Promise<void> {
  const { run, cleanUp } = await ready()
  try { await run() } finally { await cleanUp() }
}

/** One run of one way: its rate, CPU and both sides' RSS growth. */
async function measureWay (ready: () => Promise<WayRun>, totalBytes: number, holder: HolderSide): Promise<WayFigures> {
  const { run, cleanUp } = await ready()
  await holder.rssMark()
  collectGarbage()
  const rssBefore = process.memoryUsage.rss()
  let peakRss = rssBefore
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()) }, 50)
  const start = performance.now()
  const cpu = process.cpuUsage()
  let timed: { bytes: number, used: NodeJS.CpuUsage, seconds: number }
  try {
    const bytes = await run()
    timed = { bytes, used: process.cpuUsage(cpu), seconds: (performance.now() - start) / 1000 }
  } finally {
    clearInterval(sampler)
    await cleanUp()
  }
  const { bytes, used, seconds } = timed
  const holderSide = await holder.sinceMark()
  if (bytes !== totalBytes) throw new Error(`moved ${bytes} of ${totalBytes} bytes`)
  const mib = bytes / 2 ** 20
  return {
    mibPerSecond: mib / seconds,
    ofBare: NaN, // set once the round's bare stream is measured
    cpuMsPerMiB: (used.user + used.system) / 1000 / mib,
    holderCpuMsPerMiB: holderSide.cpuMs / mib,
    requesterRssGrowthMiB: (peakRss - rssBefore) / 2 ** 20,
    holderRssGrowthMiB: holderSide.rssGrowthMiB
  }
}

function medianFigures (runs: WayFigures[]): WayFigures {
  const of = (pick: (figures: WayFigures) => number, digits = 0): number => round(median(runs.map(pick)), digits)
  const most = (pick: (figures: WayFigures) => number): number => Math.round(Math.max(...runs.map(pick)))
  return {
    mibPerSecond: of(figures => figures.mibPerSecond),
    ofBare: of(figures => figures.ofBare, 2),
    cpuMsPerMiB: of(figures => figures.cpuMsPerMiB, 1),
    holderCpuMsPerMiB: of(figures => figures.holderCpuMsPerMiB, 1),
    requesterRssGrowthMiB: most(figures => figures.requesterRssGrowthMiB),
    holderRssGrowthMiB: most(figures => figures.holderRssGrowthMiB)
  }
}

/** The fetching end's libp2p host (the node's host configuration), connected to the holder. */
export interface FetcherLink { host: Host, peer: PeerId, holder: HolderReady }

export async function connectToHolder (holder: HolderReady, listenHost: string): Promise<FetcherLink> {
  const host = await createHost({ deviceSeed: new Uint8Array(randomBytes(32)), listenHost, port: 0, mdns: false, peers: [] })
  await host.start()
  try {
    const peer = peerIdFromString(holder.peerId)
    await host.peerStore.merge(peer, { multiaddrs: [multiaddr(holder.address)] })
    await host.dial(peer)
    return { host, peer, holder }
  } catch (error) {
    await host.stop()
    throw error
  }
}

/** What one measure asks: sizes, rounds of each way, which ways, and whether to warm every path first. */
export interface MeasurePlan {
  sizesMiB: number[]
  rounds: number
  ways: readonly Way[]
  /** Each way run once, untimed, on the first size before any is measured. */
  warm: boolean
}

/** Each size's ways in rounds (every way once a round, in order), medians kept; each way's share of the bare stream taken within its round. */
export async function measureSizes (link: FetcherLink, holderSide: HolderSide, plan: MeasurePlan, log?: (line: string) => void): Promise<SizeFigures[]> {
  const sizes: SizeFigures[] = []
  for (const mib of plan.sizesMiB) {
    const ways = waysTo(link.host, link.peer, link.holder, mib)
    if (plan.warm && mib === plan.sizesMiB[0]) for (const way of plan.ways) await runOnce(ways[way])
    const runs = new Map<Way, WayFigures[]>(plan.ways.map(way => [way, []]))
    for (let round = 0; round < plan.rounds; round++) {
      for (const way of plan.ways) {
        log?.(`files bench: ${mib} MiB, ${way}, round ${round + 1} of ${plan.rounds}`)
        runs.get(way)!.push(await measureWay(ways[way], mib * 2 ** 20, holderSide))
      }
      const bare = runs.get('bareLibp2p')![round]!.mibPerSecond
      for (const way of plan.ways) runs.get(way)![round]!.ofBare = runs.get(way)![round]!.mibPerSecond / bare
    }
    sizes.push({ mib, rounds: plan.rounds, ways: Object.fromEntries([...runs].map(([way, figures]) => [way, medianFigures(figures)])) })
  }
  return sizes
}
