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
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { AttachmentStore } from '../core/files/attachment-store.js'
import { fetchFile, type FetchComponents, type FetchTarget } from '../core/files/fetcher.js'
import { createHost, type Host } from '../core/node/p2p-host.js'
import { CausetteError } from '../core/errors.js'
import { tuneGarbageCollector } from '../core/runtime/gc-tuning.js'
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
  tcpPort: number
  /** By size in MiB: the file's id and its chunk list's SHA-256 (hex). */
  files: Record<string, { fileId: string, chunksSha256: string }>
}

export interface FilesBenchOptions {
  /** File sizes in MiB; default 100 and 1024. */
  sizesMiB?: number[]
  /** Rounds of each way for each size (medians are shown); default 1 (npm run bench asks for 3). */
  rounds?: number
  log?: (line: string) => void
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

export interface SizeFigures { mib: number, rounds: number, ways: Record<Way, WayFigures> }

export interface FilesFigures { sizes: SizeFigures[] }

/**
 * A full garbage collection, so that each run's RSS growth starts from what is live rather than from
 * what the run before left for the collector (chunks are kept outside V8's heap: it frees them late).
 */
export function collectGarbage (): void {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}

/** The holder process, its RSS questions answered in turn. */
interface HolderProcess {
  ready: HolderReady
  rssMark: () => Promise<void>
  /** The RSS growth and the CPU used since the mark. */
  sinceMark: () => Promise<{ rssGrowthMiB: number, cpuMs: number }>
  stop: () => Promise<void>
}

async function startHolder (sizesMiB: number[]): Promise<HolderProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./files-holder.ts', import.meta.url).pathname, ...sizesMiB.map(String)], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const exited = new Promise(resolve => child.once('exit', resolve))
  const next = async (): Promise<string> => {
    const line = await Promise.race([lines.next(), exited.then(() => { throw new Error('the files bench holder exited') })])
    if (line.done === true) throw new Error('the files bench holder closed its output')
    return line.value
  }
  const ready = JSON.parse(await next()) as HolderReady
  return {
    ready,
    rssMark: async () => { child.stdin.write('mark\n'); await next() },
    sinceMark: async () => { child.stdin.write('peak\n'); return JSON.parse(await next()) as { rssGrowthMiB: number, cpuMs: number } },
    stop: async () => { child.stdin.end(); await exited }
  }
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
      const socket = connect({ host: '127.0.0.1', port: holder.tcpPort })
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
async function measureWay (ready: () => Promise<WayRun>, totalBytes: number, holder: HolderProcess): Promise<WayFigures> {
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

export async function benchFiles (options: FilesBenchOptions = {}): Promise<FilesFigures> {
  const sizesMiB = options.sizesMiB ?? [100, 1024]
  const rounds = Math.max(1, options.rounds ?? 1)
  tuneGarbageCollector() // a node's own setting (startNode), on both sides: every way runs under it
  const holder = await startHolder(sizesMiB)
  const host = await createHost({ deviceSeed: new Uint8Array(randomBytes(32)), listenHost: '127.0.0.1', port: 0, mdns: false, peers: [] })
  await host.start()
  try {
    const peer = peerIdFromString(holder.ready.peerId)
    await host.peerStore.merge(peer, { multiaddrs: [multiaddr(holder.ready.address)] })
    await host.dial(peer)
    const sizes: SizeFigures[] = []
    for (const mib of sizesMiB) {
      const ways = waysTo(host, peer, holder.ready, mib)
      if (mib === sizesMiB[0]) for (const way of WAYS) await runOnce(ways[way]) // warm every path once
      const runs = Object.fromEntries(WAYS.map(way => [way, [] as WayFigures[]])) as Record<Way, WayFigures[]>
      for (let round = 0; round < rounds; round++) {
        for (const way of WAYS) {
          options.log?.(`files bench: ${mib} MiB, ${way}, round ${round + 1} of ${rounds}`)
          runs[way].push(await measureWay(ways[way], mib * 2 ** 20, holder))
        }
        for (const way of WAYS) runs[way][round]!.ofBare = runs[way][round]!.mibPerSecond / runs.bareLibp2p[round]!.mibPerSecond
      }
      sizes.push({ mib, rounds, ways: Object.fromEntries(WAYS.map(way => [way, medianFigures(runs[way])])) as Record<Way, WayFigures> })
    }
    return { sizes }
  } finally {
    await host.stop()
    await holder.stop()
  }
}

const WAY_NAMES: Record<Way, string> = {
  rawTcp: 'raw TCP (floor)',
  bareLibp2p: 'bare libp2p stream (floor)',
  bareToFile: 'the same, written to a file as the store does',
  fileCounted: 'file protocol, every chunk checked',
  fileToStore: 'file protocol into the attachment store',
  storeToStore: 'the same, served from the holder\'s store'
}

/** One table per size, each way beside the bare stream, as the other rows of npm run bench. */
export function printFilesFigures (figures: FilesFigures): void {
  for (const size of figures.sizes) {
    console.log(`\na file of ${size.mib.toLocaleString('en-US')} MiB, loopback, holder in another process (median of ${size.rounds})   MiB/s   of bare   CPU ms/MiB (fetcher / holder)   RSS growth MiB (fetcher / holder)`)
    for (const way of WAYS) {
      const f = size.ways[way]
      const cpu = `${f.cpuMsPerMiB.toFixed(1)} / ${f.holderCpuMsPerMiB.toFixed(1)}`
      console.log(`  ${WAY_NAMES[way].padEnd(46)} ${f.mibPerSecond.toLocaleString('en-US').padStart(6)}   ${`${Math.round(100 * f.ofBare)}%`.padStart(7)}   ${cpu.padStart(28)}   ${String(f.requesterRssGrowthMiB).padStart(6)} / ${f.holderRssGrowthMiB}`)
    }
  }
  console.log('  of bare: the median of each round\'s share of the bare stream; RSS growth: the most of any round')
  console.log('  goals: the file protocol >= 70% of the bare stream; RSS growth under 64 MiB for 1 GiB')
}
