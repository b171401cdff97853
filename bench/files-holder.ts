// The far end of the files bench (bench/files.ts), in its own process: holds a file of each size
// asked, its chunks made on the fly (a fixed random block stamped with its index, so nothing is kept
// but the chunk list), and serves the same bytes three ways: /causette/file/1.0.0 with the node's
// host configuration, a bare libp2p stream and raw TCP (each asked for a byte count, 8 bytes
// big-endian). The file protocol also serves the same files from an attachment store in a
// temporary profile, written when it starts, as a node serves what it sent (by attachment id).
// Prints one JSON line {address, peerId, tcpHost, tcpPort, files}; then on stdin `mark` starts an RSS and CPU
// measure (after a full collection; answered `{}`) and `peak` answers {rssGrowthMiB, cpuMs}
// since the mark; serves until stdin closes.
// Run by bench/files.ts:  node --import tsx bench/files-holder.ts --listen <IPv4> <MiB>...
// (127.0.0.1 on loopback, its namespace's address in the office-LAN section)
import { randomBytes } from 'node:crypto'
import { createServer, type Socket } from 'node:net'
import { createInterface } from 'node:readline'
import type { Stream } from '@libp2p/interface'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AttachmentStore } from '../core/files/attachment-store.js'
import { chunkListOf, chunkListSha256, type ChunkHolder, type ChunkList } from '../core/protocol/file-ports.js'
import { createHost } from '../core/node/p2p-host.js'
import { handleFileStream } from '../core/protocol/file-protocol.js'
import { FILE_PROTOCOL } from '../core/protocol/protocol-ids.js'
import { tuneGarbageCollector } from '../core/runtime/gc-tuning.js'

import { BARE_PROTOCOL, collectGarbage, type HolderReady } from './files-fetch.js'

/** A sealed chunk: 256 KiB of plaintext and its tag. */
const CHUNK_BYTES = 256 * 1024 + 16

const block = new Uint8Array(randomBytes(CHUNK_BYTES))

/** Chunk `index` of a file of `totalBytes`: the block stamped with its index. */
function chunkOf (totalBytes: number, index: number): Uint8Array {
  const data = block.slice(0, Math.min(CHUNK_BYTES, totalBytes - index * CHUNK_BYTES))
  new DataView(data.buffer).setUint32(0, index)
  return data
}

const chunkCount = (totalBytes: number): number => Math.ceil(totalBytes / CHUNK_BYTES)

/** A file of `mib` MiB: its id (the size) and chunk list, its chunks made when read. */
function benchFile (mib: number): { fileId: string, totalBytes: number, list: ChunkList } {
  const totalBytes = mib * 2 ** 20
  const list = chunkListOf(Array.from({ length: chunkCount(totalBytes) }, (_, index) => chunkOf(totalBytes, index)))
  return { fileId: `bench-${mib}`, totalBytes, list }
}

/** Sends `totalBytes` on a libp2p stream in chunks, as fast as it drains. */
async function sendBare (stream: Stream, totalBytes: number): Promise<void> {
  for (let index = 0; index < chunkCount(totalBytes); index++) {
    if (!stream.send(chunkOf(totalBytes, index))) await new Promise(resolve => stream.addEventListener('drain', resolve, { once: true }))
  }
  await stream.close()
}

/** Sends `totalBytes` on a socket in chunks, as fast as it drains. */
async function sendRaw (socket: Socket, totalBytes: number): Promise<void> {
  for (let index = 0; index < chunkCount(totalBytes); index++) {
    if (!socket.write(chunkOf(totalBytes, index))) await new Promise(resolve => socket.once('drain', resolve))
  }
  socket.end()
}

/** The byte count a requester asks for: its first 8 bytes. */
async function askedBytes (read: () => Promise<Uint8Array>): Promise<number> {
  let asked = new Uint8Array(0)
  while (asked.byteLength < 8) asked = new Uint8Array([...asked, ...await read()])
  return Number(new DataView(asked.buffer).getBigUint64(0))
}

/**
 * The same files kept in an attachment store in a temporary profile, as a node keeps what it sent
 * or holds: served from its data files, under their attachment ids (the chunk list's SHA-256, hex).
 */
async function storeOf (files: Iterable<{ totalBytes: number, list: ChunkList }>, home: string): Promise<AttachmentStore> {
  const store = await AttachmentStore.open(home, { limitBytes: 2 ** 40 })
  for (const file of files) {
    const sink = store.sink(Buffer.from(chunkListSha256(file.list)).toString('hex'), 'mine')
    await sink.saveChunkList(file.list)
    for (let index = 0; index < file.list.length; index++) await sink.writeChunk(index, chunkOf(file.totalBytes, index))
    await sink.complete()
    await sink.end?.()
  }
  return store
}

async function serve (listenHost: string, sizesMiB: number[]): Promise<void> {
  tuneGarbageCollector() // as a node's process runs (startNode)
  const files = new Map(sizesMiB.map(mib => { const file = benchFile(mib); return [file.fileId, file] }))
  const storeHome = await mkdtemp(join(tmpdir(), 'causette-bench-holder-'))
  const store = await storeOf(files.values(), storeHome)
  // A file id of the bench (`bench-<MiB>`): its chunks made as they are read; an attachment id: the store's.
  const holder: ChunkHolder = {
    chunkList: async id => files.get(id)?.list ?? await store.chunkList(id),
    readChunk: async (id, index) => { const file = files.get(id); return file === undefined ? await store.readChunk(id, index) : chunkOf(file.totalBytes, index) },
    openChunks: async id => {
      const file = files.get(id)
      return file === undefined ? await store.openChunks(id) : { read: async index => chunkOf(file.totalBytes, index), close: async () => {} }
    }
  }
  const host = await createHost({ deviceSeed: new Uint8Array(randomBytes(32)), listenHost, port: 0, mdns: false, peers: [] })
  await host.handle(FILE_PROTOCOL, (stream, connection) => { void handleFileStream(stream, connection, holder) })
  await host.handle(BARE_PROTOCOL, async (stream) => {
    const reader = stream[Symbol.asyncIterator]()
    await sendBare(stream, await askedBytes(async () => { const { value } = await reader.next(); return value.subarray() }))
  })
  await host.start()
  const server = createServer(socket => {
    let asked = Buffer.alloc(0)
    const onData = (data: Buffer): void => {
      asked = Buffer.concat([asked, data])
      if (asked.byteLength < 8) return
      socket.off('data', onData)
      void sendRaw(socket, Number(asked.readBigUInt64BE(0)))
    }
    socket.on('data', onData)
  })
  await new Promise<void>(resolve => server.listen(0, listenHost, resolve))
  const ready: HolderReady = {
    address: host.getMultiaddrs()[0]!.toString(),
    peerId: host.peerId.toString(),
    tcpHost: listenHost,
    tcpPort: (server.address() as { port: number }).port,
    files: Object.fromEntries([...files.values()].map(file => [String(file.totalBytes / 2 ** 20), { fileId: file.fileId, chunksSha256: Buffer.from(chunkListSha256(file.list)).toString('hex') }]))
  }
  process.stdout.write(JSON.stringify(ready) + '\n')
  answerRssQuestions()
  process.stdin.on('end', () => { server.close(); void Promise.resolve(host.stop()).then(async () => { await rm(storeHome, { recursive: true, force: true }); process.exit(0) }) })
}

/** `mark` on stdin starts sampling the RSS and counting CPU; `peak` answers the RSS growth and the CPU used since the mark. */
function answerRssQuestions (): void {
  let markRss = process.memoryUsage.rss()
  let peakRss = markRss
  let markCpu = process.cpuUsage()
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()) }, 50)
  sampler.unref()
  createInterface({ input: process.stdin }).on('line', line => {
    if (line === 'mark') {
      collectGarbage()
      markRss = process.memoryUsage.rss()
      peakRss = markRss
      markCpu = process.cpuUsage()
      process.stdout.write('{}\n')
    }
    if (line === 'peak') {
      const cpu = process.cpuUsage(markCpu)
      process.stdout.write(JSON.stringify({ rssGrowthMiB: (peakRss - markRss) / 2 ** 20, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\n')
    }
  })
}

const [listenFlag, listenHost, ...sizes] = process.argv.slice(2)
if (listenFlag !== '--listen' || listenHost === undefined) throw new Error('usage: files-holder.ts --listen <IPv4> <MiB>...')
await serve(listenHost, sizes.map(Number))
