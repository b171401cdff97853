// Fetches one file's chunks into a ChunkSink from whichever holders have them (its author, a carrier,
// a colleague), one holder at a time, resuming from the sink's `nextChunk` (after a disconnect, or a
// restart of either side). Every chunk is checked against the chunk list (by the sink as it keeps
// it: a chunk is hashed once), and the list against the descriptor's chunksSha256: a holder that
// serves anything else is dropped for this file and reported (`onHolderFault`, which the node journals), and the chunk is fetched from the next one.
// A holder that does not have the file, stalls or disconnects is left for the next, not blamed.
import { CausetteError, codedError, type ErrorCode } from '../errors.js'
import { equals } from '../../crypto/encoding.js'
import { chunkListSha256, type ChunkBytes, type ChunkList, type ChunkSink, type FetchedChunk, type HolderLink } from '../protocol/file-ports.js'

/** What the fetcher is asked to fetch: the descriptor's file id and chunk list SHA-256. */
export interface FetchTarget {
  fileId: string
  chunksSha256: Uint8Array
}

/** A holder that served something the descriptor does not prove: its peer, the code and what it did. */
export interface HolderFault {
  peer: string
  fileId: string
  code: ErrorCode
  message: string
}

export interface FetchComponents {
  sink: ChunkSink
  /** The holders to try, in order: asked again on each round, so holders met meanwhile count. */
  holders: () => readonly HolderLink[]
  /** A holder dropped for this file because it lied. */
  onHolderFault?: (fault: HolderFault) => void
  /** Each chunk kept: for progress. */
  onChunk?: (index: number, chunks: number) => void
}

/**
 * Chunk writes under way at once: the disk works while the next chunks arrive and are checked,
 * rather than the transfer and the disk taking turns, and the store writes those under way together
 * (core/files/chunk-file.ts: one writev and one log append a batch). 2 MiB of 256 KiB chunks.
 */
export const SINK_WRITES_IN_FLIGHT = 8

/** Codes that prove a holder served what the descriptor does not: it is dropped and reported. */
const LIES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'TRANSFER_BAD_CHUNK', 'TRANSFER_BAD_CHUNK_LIST', 'TRANSFER_CHUNK_TOO_LARGE', 'TRANSFER_UNASKED', 'TRANSFER_BAD_FRAME'
])

/** Fetches the rest of the file; resolves once the sink is complete, else throws TRANSFER_NO_HOLDER. */
export async function fetchFile (target: FetchTarget, components: FetchComponents): Promise<void> {
  try {
    await fetchInto(target, components)
  } catch (error) {
    await components.sink.end?.().catch(() => {}) // the fetch's own fault is the one to report
    throw error
  }
  await components.sink.end?.()
}

async function fetchInto (target: FetchTarget, components: FetchComponents): Promise<void> {
  const dropped = new Set<string>()
  const usable = (): HolderLink[] => components.holders().filter(holder => !dropped.has(holder.peer))
  const blame = (holder: HolderLink, error: unknown): void => {
    const coded = codedError(error)
    if (coded === undefined || !LIES.has(coded.code) || dropped.has(holder.peer)) return
    dropped.add(holder.peer)
    components.onHolderFault?.({ peer: holder.peer, fileId: target.fileId, code: coded.code, message: coded.message })
  }
  const known: { list?: ChunkList } = {}
  const saved = await components.sink.chunkList()
  if (saved !== undefined) known.list = saved
  let next = known.list !== undefined ? await components.sink.nextChunk() : await fetchListAndFirstChunks(target, usable(), known, components, blame)
  const list = known.list!
  while (next < list.length) {
    const before = next
    for (const holder of usable()) {
      next = await fetchFrom(holder, holder.chunks(target.fileId, list, next), next, () => list.length, components, blame)
      if (next === list.length) break
    }
    if (next === before) throw new CausetteError('TRANSFER_NO_HOLDER', `no holder could serve chunk ${next} of ${list.length}`)
  }
  await components.sink.complete()
}

/**
 * The first chunk list a holder gives that matches chunksSha256, kept in the sink (`known.list`),
 * with the chunks that holder sends after it on the same stream; returns where the fetch goes on.
 */
async function fetchListAndFirstChunks (target: FetchTarget, holders: HolderLink[], known: { list?: ChunkList }, components: FetchComponents, blame: (holder: HolderLink, error: unknown) => void): Promise<number> {
  const accept = async (list: ChunkList): Promise<void> => {
    if (!equals(chunkListSha256(list), target.chunksSha256)) throw new CausetteError('TRANSFER_BAD_CHUNK_LIST', 'a chunk list whose SHA-256 is not the descriptor\'s')
    try {
      await components.sink.saveChunkList(list)
    } catch (error) {
      throw new SinkError('sink fault', { cause: error }) // a full store: no holder is to blame, none would help
    }
    known.list = list
  }
  for (const holder of holders) {
    const next = await fetchFrom(holder, holder.listAndChunks(target.fileId, accept), 0, () => known.list?.length ?? 0, components, blame)
    if (known.list !== undefined) return next
  }
  throw new CausetteError('TRANSFER_NO_HOLDER', 'no holder could give the file\'s chunk list')
}

/**
 * Chunks from `next` on from one holder, each kept by the sink, which checks it against its list
 * entry (the one SHA-256 of the chunk: a refusal is the holder's fault); returns where the next
 * holder starts, the first chunk not kept. The holder's faults end its turn; the sink's other
 * faults (a full disk) end the fetch: no holder would help.
 */
async function fetchFrom (holder: HolderLink, run: AsyncIterable<FetchedChunk>, next: number, chunkCount: () => number, components: FetchComponents, blame: (holder: HolderLink, error: unknown) => void): Promise<number> {
  const chunks = run[Symbol.asyncIterator]()
  const writes = new SinkWrites(components, next, chunkCount)
  try {
    for (let index = next; ; index++) {
      const chunk = await nextInOrder(chunks, index)
      if (chunk === undefined) break
      await writes.add(index, chunk.data)
    }
  } catch (error) {
    if (!(error instanceof HolderError)) {
      await writes.settle()
      throw error
    }
    blame(holder, error.cause)
  } finally {
    await chunks.return?.()?.catch(() => {})
  }
  try {
    await writes.drain()
  } catch (error) {
    if (!(error instanceof HolderError)) throw error
    blame(holder, error.cause)
  }
  return writes.kept
}

/**
 * The sink's writes under way, oldest first, at most SINK_WRITES_IN_FLIGHT; each reported (onChunk)
 * once kept, in order. A chunk the sink refuses as not its list's (FILE_BAD_CHUNK) is the holder's
 * fault (TRANSFER_BAD_CHUNK); `kept` stays at it.
 */
class SinkWrites {
  /** The first chunk not kept: every one before it is. */
  kept: number
  readonly #pending: Array<{ index: number, kept: Promise<void> }> = []
  readonly #components: FetchComponents
  readonly #chunks: () => number

  constructor (components: FetchComponents, first: number, chunks: () => number) {
    this.#components = components
    this.kept = first
    this.#chunks = chunks
  }

  /** Starts writing chunk `index`; waits for the oldest write when too many are under way. Throws its fault. */
  async add (index: number, data: ChunkBytes): Promise<void> {
    const kept = this.#components.sink.writeChunk(index, data)
    kept.catch(() => {}) // awaited in its turn: no unhandled rejection meanwhile
    this.#pending.push({ index, kept })
    if (this.#pending.length >= SINK_WRITES_IN_FLIGHT) await this.#keepOldest()
  }

  /** Waits for every write under way; throws the first fault once none is left running. */
  async drain (): Promise<void> {
    try {
      while (this.#pending.length > 0) await this.#keepOldest()
    } catch (error) {
      await this.settle()
      throw error
    }
  }

  /** Waits for every write under way to end, kept or not. */
  async settle (): Promise<void> {
    await Promise.allSettled(this.#pending.map(write => write.kept))
  }

  async #keepOldest (): Promise<void> {
    const { index, kept } = this.#pending[0]!
    try {
      await kept
    } catch (error) {
      if (codedError(error)?.code !== 'FILE_BAD_CHUNK') throw error
      throw new HolderError('holder fault', { cause: new CausetteError('TRANSFER_BAD_CHUNK', `chunk ${index} is not the one its chunk list names`) })
    }
    this.#pending.shift()
    this.kept = index + 1
    this.#components.onChunk?.(index + 1, this.#chunks())
  }
}

/** The holder's fault, set apart from the sink's. */
class HolderError extends Error {}

/** The sink's fault met while reading a holder's stream (keeping the list it sent): it ends the fetch. */
class SinkError extends Error {}

/** The holder's next chunk, the one due (the sink checks its length and SHA-256); undefined once it has no more. */
async function nextInOrder (chunks: AsyncIterator<FetchedChunk>, index: number): Promise<FetchedChunk | undefined> {
  try {
    const result = await chunks.next()
    if (result.done === true) return undefined
    if (result.value.index !== index) throw new CausetteError('TRANSFER_UNASKED', `chunk ${result.value.index} where chunk ${index} was due`)
    return result.value
  } catch (error) {
    if (error instanceof SinkError) throw error.cause
    throw new HolderError('holder fault', { cause: error })
  }
}
