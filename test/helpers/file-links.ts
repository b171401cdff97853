// Holders for fetcher tests without a network: each HolderLink speaks the real file protocol (the
// holder's handler, the requester's link) over in-memory stream pairs, so that only the transport
// is not the real one. A holder can be made to lie (tamper a chunk), stall, or drop its streams.
import type { Connection, Stream } from '@libp2p/interface'
import { streamPair } from '@libp2p/utils'
import type { ChunkHolder, ChunkList, HolderLink } from '../../core/protocol/file-ports.js'
import { reader, writer } from 'protons-runtime'
import { FileRequest } from '../../core/protocol/file.js'
import { handleFileStream, type FileServeOptions } from '../../core/protocol/file-protocol.js'
import { fileHolderLink, type FileRequesterOptions } from '../../core/protocol/file-requester.js'

/**
 * A holder served over in-memory streams; `streams` are the holder's ends, for a test to cut. An
 * `older` holder does not know FileRequest.thenChunks (it reads the request without it, as protobuf
 * skips a field it does not know): asked for a list and its first chunks, it sends the list alone.
 */
export function pairedLink (peer: string, holder: ChunkHolder, options: { serve?: FileServeOptions, request?: FileRequesterOptions, older?: boolean } = {}): HolderLink & { streams: Stream[] } {
  const streams: Stream[] = []
  const connection = { remotePeer: { toString: () => 'requester' } } as unknown as Connection
  const link = fileHolderLink(peer, async () => {
    const [outbound, inbound] = await streamPair()
    if (options.older === true) withoutThenChunks(outbound)
    streams.push(inbound)
    void handleFileStream(inbound, connection, holder, options.serve)
    return outbound
  }, options.request)
  return Object.assign(link, { streams })
}

/** What a misbehaving holder does instead of reading chunk `index` honestly. */
export type Misbehaviour = (index: number, data: Uint8Array | undefined) => Promise<Uint8Array | undefined>

/** `holder`, except that its chunks go through `misbehave`. */
export function misbehaving (holder: ChunkHolder, misbehave: Misbehaviour): ChunkHolder {
  return {
    chunkList: async fileId => await holder.chunkList(fileId),
    readChunk: async (fileId, index) => await misbehave(index, await holder.readChunk(fileId, index))
  }
}

/** A holder whose chunk list is `list` whatever it holds. */
export function withList (holder: ChunkHolder, list: ChunkList): ChunkHolder {
  return { chunkList: async () => list, readChunk: async (fileId, index) => await holder.readChunk(fileId, index) }
}

/** Flips one bit of chunk `target`. */
export const tamper = (target: number): Misbehaviour => async (index, data) => {
  if (index !== target || data === undefined) return data
  const copy = new Uint8Array(data)
  copy[0] = (copy[0] ?? 0) ^ 1
  return copy
}

/** Never answers for chunk `target` and after (until `release` is called). */
export function stallAt (target: number): { misbehave: Misbehaviour, release: () => void } {
  let release = (): void => {}
  const released = new Promise<void>(resolve => { release = resolve })
  return {
    misbehave: async (index, data) => {
      if (index >= target) await released
      return data
    },
    release
  }
}

/** The stream's first frame (the FileRequest) sent without its thenChunks field. */
function withoutThenChunks (stream: Stream): void {
  const send = stream.send.bind(stream)
  let first = true
  stream.send = data => {
    if (!first) return send(data)
    first = false
    const request = FileRequest.decode(reader(data.subarray()).bytes())
    return send(writer().bytes(FileRequest.encode({ ...request, thenChunks: false })).finish())
  }
}
