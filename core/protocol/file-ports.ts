// What the file transfer (file-protocol.ts, core/files/fetcher.ts) needs from a store
// of attachments, and nothing more: a holder serves the ciphertext chunks of the files it holds, a
// sink takes the chunks of one file being fetched. Both see only ciphertext: opaque bytes, each chunk
// proved by its SHA-256 in the file's chunk list, the list itself proved by `chunksSha256`, the
// SHA-256 that the signed message's attachment descriptor carries (chunkListSha256 below).
import type { Uint8ArrayList } from 'uint8arraylist'
import { equals } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'

/** One ciphertext chunk as the chunk list names it: its length in bytes and its SHA-256 (32 bytes). */
export interface ChunkEntry {
  bytes: number
  sha256: Uint8Array
}

/**
 * A chunk's bytes: one array, or the buffers it arrived in (a 256 KiB chunk comes in several Noise
 * messages), taken as they are so that no chunk is copied on its way from the stream to the disk.
 */
export type ChunkBytes = Uint8Array | Uint8ArrayList

/** The buffers of a chunk in order, to hash and write one after the other. */
export function chunkParts (data: ChunkBytes): Uint8Array[] {
  return data instanceof Uint8Array ? [data] : [...data]
}

/** Whether `data` is the chunk `entry` names: its length, then its SHA-256 (the one hash a fetched chunk gets, in its sink). */
export function matchesEntry (data: ChunkBytes, entry: ChunkEntry): boolean {
  return data.byteLength === entry.bytes && equals(sha256(...chunkParts(data)), entry.sha256)
}

/** A file's chunks in order. A file of no bytes still has one chunk (its encryption header, at least). */
export type ChunkList = readonly ChunkEntry[]

/** Serves the chunks of the files this node holds (its own, carried ones, fetched ones). */
export interface ChunkHolder {
  /** The chunk list of `fileId`, or undefined if this node does not hold that file. */
  chunkList: (fileId: string) => Promise<ChunkList | undefined>
  /** Chunk `index` of `fileId`, or undefined if not held (yet: a colleague still fetching it). */
  readChunk: (fileId: string, index: number) => Promise<Uint8Array | undefined>
  /**
   * The chunks of `fileId` for one run of the file protocol, its files opened once for the run
   * rather than for every chunk (a store on disk); a holder without it is read chunk by chunk.
   */
  openChunks?: (fileId: string) => Promise<ChunkSource>
}

/** The chunks of one file as a run reads them (the file protocol's, a save's); closed when the run ends. */
export interface ChunkSource {
  /** As ChunkHolder.readChunk; undefined too once the file is removed. */
  read: (index: number) => Promise<Uint8Array | undefined>
  close: () => Promise<void>
}

/** The chunks of `fileId` for one run: opened once if the holder can, else read one by one. */
export async function chunkSourceOf (holder: ChunkHolder, fileId: string): Promise<ChunkSource> {
  return await holder.openChunks?.(fileId) ?? { read: async index => await holder.readChunk(fileId, index), close: async () => {} }
}

/**
 * Takes the chunks of one file being fetched, in order, and verifies each against the chunk list.
 * Durable across restarts for a store on disk: `chunkList` and `nextChunk` say where a fetch resumes.
 */
export interface ChunkSink {
  /** The chunk list saved by `saveChunkList`, or undefined if none yet. */
  chunkList: () => Promise<ChunkList | undefined>
  /** Keeps the chunk list, verified against the descriptor's `chunksSha256`. */
  saveChunkList: (list: ChunkList) => Promise<void>
  /** The first chunk not written yet (all before it are): where a fetch starts or resumes. */
  nextChunk: () => Promise<number>
  /**
   * Keeps chunk `index` only if its length and SHA-256 are its list entry's, else refuses it with
   * FILE_BAD_CHUNK and keeps nothing: the sink is the chunk's one verifier (its SHA-256 is taken
   * once), and the fetcher takes that refusal as the holder's fault. Resolves once it is kept. Chunks come in order from `nextChunk()`,
   * a few at a time: a call may come before the previous ones resolved (the fetcher keeps up to
   * SINK_WRITES_IN_FLIGHT under way, so the disk works while the next chunks arrive).
   */
  writeChunk: (index: number, data: ChunkBytes) => Promise<void>
  /** Every chunk is written: the store checks the whole file and makes it available. */
  complete: () => Promise<void>
  /** The fetch stopped, whole or not: what was written is made durable and the sink's files closed. */
  end?: () => Promise<void>
}

/** A chunk as a holder sent it, not verified yet. */
export interface FetchedChunk {
  index: number
  data: ChunkBytes
}

/**
 * One holder of files as the fetcher sees it (the protocol's dialer implements it over libp2p:
 * core/protocol/file-requester.ts). It bounds what the holder sends (lengths, order, window, idle
 * deadline) and throws coded errors (TRANSFER_*); the fetcher checks every hash.
 */
export interface HolderLink {
  /** Who the holder is (a PeerId), for reports of a lying holder. */
  readonly peer: string
  /** The holder's chunk list of `fileId`, bounded but not yet checked against chunksSha256. */
  chunkList: (fileId: string) => Promise<ChunkList>
  /** Chunks `first`, `first + 1`... to the end of `list`, as they arrive; leaving the loop early ends the run. */
  chunks: (fileId: string, list: ChunkList, first: number) => AsyncIterable<FetchedChunk>
  /**
   * The chunk list, then the first chunks (a window of them) on the same stream: `accept` checks
   * the list, and keeps it, before any chunk is taken (it throws for a list that is not the one
   * wanted, which ends the run). No chunks from a holder that sends the list alone (an older one).
   */
  listAndChunks: (fileId: string, accept: (list: ChunkList) => Promise<void>) => AsyncIterable<FetchedChunk>
}

/** Bytes of one chunk list entry in the canonical encoding: a 4-byte length, then the SHA-256. */
export const CHUNK_ENTRY_BYTES = 36

/** What the chunk list's SHA-256 commits to, besides the entries: a purpose label, so no other hash can pass for it. */
const CHUNK_LIST_LABEL = new TextEncoder().encode('causette file chunk list v1\n')

/** The canonical bytes of a chunk list: each entry's length (uint32, big-endian) and SHA-256, in order. */
export function encodeChunkList (list: ChunkList): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(list.length * CHUNK_ENTRY_BYTES)
  const view = new DataView(bytes.buffer)
  list.forEach((entry, index) => {
    if (entry.sha256.byteLength !== 32) throw new RangeError('a chunk hash is 32 bytes')
    view.setUint32(index * CHUNK_ENTRY_BYTES, entry.bytes)
    bytes.set(entry.sha256, index * CHUNK_ENTRY_BYTES + 4)
  })
  return bytes
}

/** The entries of canonical chunk list bytes; undefined if their length is not a whole number of entries. */
export function decodeChunkList (bytes: Uint8Array): ChunkEntry[] | undefined {
  if (bytes.byteLength % CHUNK_ENTRY_BYTES !== 0) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const entries: ChunkEntry[] = []
  for (let at = 0; at < bytes.byteLength; at += CHUNK_ENTRY_BYTES) {
    entries.push({ bytes: view.getUint32(at), sha256: bytes.slice(at + 4, at + CHUNK_ENTRY_BYTES) })
  }
  return entries
}

/** The `chunksSha256` of an attachment descriptor: SHA-256 of the label and the canonical chunk list. */
export function chunkListSha256 (list: ChunkList): Uint8Array {
  return sha256(CHUNK_LIST_LABEL, encodeChunkList(list))
}

/** The chunk list of ciphertext `chunks`: what a store computes when it seals a file. */
export function chunkListOf (chunks: readonly Uint8Array[]): ChunkEntry[] {
  return chunks.map(chunk => ({ bytes: chunk.byteLength, sha256: sha256(chunk) }))
}
