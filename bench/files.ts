// The file transfer's figures (issue 16): 100 MiB moved between two libp2p hosts in separate
// processes on loopback, with /causette/file/1.0.0 and the fetcher (every chunk checked by SHA-256
// against the chunk list) beside a bare libp2p stream moving the same bytes over the same host
// configuration (the node's: TCP, Noise, yamux with our 1 MiB stream window). The holder makes its
// chunks on the fly and the sink only counts them, so RSS growth is the transfer's own.
// Not wired into bench/run.ts yet:  node --import tsx bench/files.ts [MiB]  (FILE_WINDOW=<chunks> tries another grant window)
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { fetchFile } from '../core/files/fetcher.js'
import { chunkListOf, chunkListSha256, type ChunkHolder, type ChunkList, type ChunkSink } from '../core/protocol/file-ports.js'
import { createHost, type Host } from '../core/node/p2p-host.js'
import { handleFileStream } from '../core/protocol/file-protocol.js'
import { libp2pHolderLink } from '../core/protocol/file-requester.js'
import { FILE_PROTOCOL } from '../core/protocol/limits.js'

const BARE_PROTOCOL = '/bench/files/bare/1.0.0'
/** A sealed chunk: 256 KiB of plaintext and its tag. */
const CHUNK_BYTES = 256 * 1024 + 16
const ROUNDS = 3

/** Chunk `index` of the bench file, made when asked: a fixed random block stamped with its index. */
function chunkMaker (totalBytes: number): { chunks: number, chunk: (index: number) => Uint8Array } {
  const block = new Uint8Array(randomBytes(CHUNK_BYTES))
  const chunks = Math.ceil(totalBytes / CHUNK_BYTES)
  return {
    chunks,
    chunk: (index) => {
      const data = block.slice(0, Math.min(CHUNK_BYTES, totalBytes - index * CHUNK_BYTES))
      new DataView(data.buffer).setUint32(0, index)
      return data
    }
  }
}

async function benchHost (port = 0): Promise<Host> {
  return await createHost({ deviceSeed: new Uint8Array(randomBytes(32)), listenHost: '127.0.0.1', port, mdns: false, peers: [] })
}

/** The holder process: serves the file protocol and the bare stream, prints its address and the file's chunk list. */
async function serveHolder (totalBytes: number): Promise<void> {
  const maker = chunkMaker(totalBytes)
  const list = chunkListOf(Array.from({ length: maker.chunks }, (_, index) => maker.chunk(index)))
  const fileId = 'bench'
  const holder: ChunkHolder = {
    chunkList: async id => id === fileId ? list : undefined,
    readChunk: async (id, index) => id === fileId ? maker.chunk(index) : undefined
  }
  const host = await benchHost()
  await host.handle(FILE_PROTOCOL, (stream, connection) => { void handleFileStream(stream, connection, holder) })
  await host.handle(BARE_PROTOCOL, async (stream) => {
    for (let index = 0; index < maker.chunks; index++) {
      if (!stream.send(maker.chunk(index))) await new Promise(resolve => stream.addEventListener('drain', resolve, { once: true }))
    }
    await stream.close()
  })
  await host.start()
  const rssBefore = process.memoryUsage.rss()
  process.stdout.write(JSON.stringify({ address: host.getMultiaddrs()[0]!.toString(), peerId: host.peerId.toString(), chunksSha256: Buffer.from(chunkListSha256(list)).toString('hex') }) + '\n')
  let peakRss = rssBefore
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()) }, 100)
  process.stdin.resume()
  process.stdin.on('end', () => {
    clearInterval(sampler)
    process.stderr.write(JSON.stringify({ holderRssGrowthMiB: (peakRss - rssBefore) / 2 ** 20 }) + '\n')
    void Promise.resolve(host.stop()).then(() => process.exit(0))
  })
}

/** A sink that checks nothing more and keeps nothing: the fetcher verified each chunk already. */
class CountingSink implements ChunkSink {
  #list: ChunkList | undefined
  #next = 0
  bytes = 0
  async chunkList (): Promise<ChunkList | undefined> { return this.#list }
  async saveChunkList (list: ChunkList): Promise<void> { this.#list = list }
  async nextChunk (): Promise<number> { return this.#next }
  async writeChunk (_index: number, data: Uint8Array): Promise<void> { this.#next++; this.bytes += data.byteLength }
  async complete (): Promise<void> {}
}

/** The run's rate, and the requester's CPU time per MiB (user and system, ms). */
async function timed (run: () => Promise<number>): Promise<{ mibPerSecond: number, cpuMsPerMiB: number }> {
  const start = performance.now()
  const cpu = process.cpuUsage()
  const bytes = await run()
  const used = process.cpuUsage(cpu)
  const mib = bytes / 2 ** 20
  return { mibPerSecond: mib / ((performance.now() - start) / 1000), cpuMsPerMiB: (used.user + used.system) / 1000 / mib }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

async function main (totalMiB: number): Promise<void> {
  const totalBytes = totalMiB * 2 ** 20
  const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, 'holder', String(totalBytes)], { stdio: ['pipe', 'pipe', 'pipe'] })
  const holderReport = new Promise<string>(resolve => { let text = ''; child.stderr.on('data', (data: Buffer) => { text += data.toString() }); child.once('exit', () => { resolve(text) }) })
  const ready = await new Promise<{ address: string, peerId: string, chunksSha256: string }>((resolve, reject) => {
    child.once('exit', code => { reject(new Error(`the holder process exited with ${code}`)) })
    createInterface({ input: child.stdout }).once('line', line => { resolve(JSON.parse(line)) })
  })
  const host = await benchHost()
  await host.start()
  const peer = peerIdFromString(ready.peerId)
  await host.peerStore.merge(peer, { multiaddrs: [multiaddr(ready.address)] })
  await host.dial(peer)
  const bare = async (): Promise<number> => {
    const stream = await host.dialProtocol(peer, BARE_PROTOCOL)
    let bytes = 0
    for await (const data of stream) bytes += data.byteLength
    return bytes
  }
  const file = async (): Promise<number> => {
    const sink = new CountingSink()
    await fetchFile({ fileId: 'bench', chunksSha256: Buffer.from(ready.chunksSha256, 'hex') }, { sink, holders: () => [libp2pHolderLink(host, peer, process.env.FILE_WINDOW === undefined ? {} : { windowChunks: Number(process.env.FILE_WINDOW) })] })
    if (sink.bytes !== totalBytes) throw new Error(`fetched ${sink.bytes} of ${totalBytes} bytes`)
    return sink.bytes
  }
  await timed(bare)
  await timed(file) // warm both paths once
  const rssBefore = process.memoryUsage.rss()
  let peakRss = rssBefore
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()) }, 100)
  const bareRuns: Array<{ mibPerSecond: number, cpuMsPerMiB: number }> = []
  const fileRuns: Array<{ mibPerSecond: number, cpuMsPerMiB: number }> = []
  for (let round = 0; round < ROUNDS; round++) {
    bareRuns.push(await timed(bare))
    fileRuns.push(await timed(file))
  }
  const bareRates = bareRuns.map(run => run.mibPerSecond)
  const fileRates = fileRuns.map(run => run.mibPerSecond)
  clearInterval(sampler)
  await host.stop()
  child.stdin.end()
  const holder = JSON.parse((await holderReport).trim().split('\n').at(-1) ?? '{}') as { holderRssGrowthMiB?: number }
  const figures = {
    mib: totalMiB,
    rounds: ROUNDS,
    bareLibp2pMiBPerSecond: Math.round(median(bareRates)),
    fileProtocolMiBPerSecond: Math.round(median(fileRates)),
    ratio: Number((median(fileRates) / median(bareRates)).toFixed(2)),
    requesterRssGrowthMiB: Math.round((peakRss - rssBefore) / 2 ** 20),
    holderRssGrowthMiB: Math.round(holder.holderRssGrowthMiB ?? NaN),
    requesterCpuMsPerMiB: { bare: Number(median(bareRuns.map(run => run.cpuMsPerMiB)).toFixed(1)), file: Number(median(fileRuns.map(run => run.cpuMsPerMiB)).toFixed(1)) },
    bareRuns: bareRates.map(Math.round),
    fileRuns: fileRates.map(Math.round)
  }
  console.log(JSON.stringify(figures, null, 2))
}

if (process.argv[2] === 'holder') await serveHolder(Number(process.argv[3]))
else await main(Number(process.argv[2] ?? 100))
