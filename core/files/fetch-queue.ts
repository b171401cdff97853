// The fetch queue of the attachments received (docs/files.md, "Receiving"): authors in turn, each
// one's previews first, alone (no file of an author starts while a preview of its is queued or
// fetched, so an image never competes with its preview), then its files in arrival order,
// FETCH_CONCURRENCY at a time, those just received before those tried again (fetch-order.ts); each
// fetched into the store as the user's
// from the author, then every other connected member (whoever holds it answers). No holder:
// `waiting`, tried again when a member connects (and every RETRY_MS); the store or the disk full:
// `paused`, tried again once the limit is raised or room is freed (and every RETRY_MS: a disk may
// be freed by others); cancelled: stops at the next chunk, keeping what it has; a restart resumes
// every unfinished fetch from its last checked chunk.
import { fromHex } from '../../crypto/encoding.js'
import { codedError, type ErrorCode } from '../errors.js'
import type { ChunkSink, HolderLink } from '../protocol/file-ports.js'
import type { AttachmentIndex, AttachmentRecord, AttachmentState } from './attachment-index.js'
import type { AttachmentStore } from './attachment-store.js'
import { checkListFitsDescriptor } from './chunk-list.js'
import type { AttachmentDescriptor } from './descriptor.js'
import { fetchFile, type HolderFault } from './fetcher.js'
import { FetchOrder, type Place } from './fetch-order.js'
import { ProgressGate } from './progress.js'

/** Files fetched at once: a big file never holds up every other. */
export const FETCH_CONCURRENCY = 2
/** How often waiting and paused files are tried again meanwhile (a holder that was busy, a disk freed). */
export const RETRY_MS = 30_000

export interface FetchQueueComponents {
  store: AttachmentStore
  index: AttachmentIndex
  /** Our PeerId: never asked. */
  self: string
  /** The connected members of the workspace other than us, asked after the author. */
  connectedMembers: () => string[]
  holderLink: (peer: string) => HolderLink
  /** A holder that served what the descriptor does not prove (the node journals it). */
  holderFault: (fault: HolderFault) => void
  /** The attachment's record changed, or its fetch made progress (at most 4 times a second). */
  changed: (id: string) => void
  now: () => number
  log: (format: string, ...args: unknown[]) => void
  concurrency?: number
}

/** Where a running fetch stands. */
export interface FetchProgress {
  received: number
  bytesPerSecond?: number
}

interface Running extends Place {
  cancelled: boolean
  progress: ProgressGate
  received: number
}

/** Thrown from a fetch's progress to end it: the user cancelled, or the node stops. */
class FetchStopped extends Error {}

export class FetchQueue {
  readonly #components: FetchQueueComponents
  readonly #order = new FetchOrder()
  readonly #running = new Map<string, Running>()
  /** Content id → the fetches of it, one after the other: two authors' records of one content never write it at once. */
  readonly #contentTurns = new Map<string, Promise<void>>()
  /** Holders that lied about a file: not asked for it again while the node runs. */
  readonly #faulty = new Map<string, Set<string>>()
  #timer: ReturnType<typeof setInterval> | undefined
  #started = false
  #stopped = false

  constructor (components: FetchQueueComponents) {
    this.#components = components
  }

  /** Resumes every unfinished fetch; tries waiting and paused ones again every RETRY_MS. */
  start (): void {
    this.#started = true
    for (const [id, record] of this.#components.index.all()) {
      if (record.state !== 'held' && record.state !== 'cancelled') this.#enqueue(id, record, false)
    }
    this.#timer = setInterval(() => { this.retryWhere('waiting'); this.retryWhere('paused') }, RETRY_MS)
    this.#timer.unref()
    this.#pump()
  }

  /** Starts no more fetches; a running one ends at its next chunk and resumes at the next start. */
  stop (): void {
    this.#stopped = true
    clearInterval(this.#timer)
  }

  /** Queues the fetch of a new record (or one the user asked for again), before those tried again. */
  add (id: string): void {
    const record = this.#components.index.get(id)
    if (record === undefined || record.state === 'held') return
    this.#enqueue(id, record, true)
    this.#pump()
  }

  progressOf (id: string): FetchProgress | undefined {
    const running = this.#running.get(id)
    if (running === undefined) return undefined
    const speed = running.progress.bytesPerSecond
    return { received: running.received, ...(speed !== undefined ? { bytesPerSecond: speed } : {}) }
  }

  /** Stops fetching `id`: a running fetch at its next chunk, a queued one at once. */
  async cancel (id: string): Promise<void> {
    const record = this.#components.index.get(id)
    if (record === undefined || record.state === 'held' || record.state === 'cancelled') return
    const running = this.#running.get(id)
    if (running !== undefined) running.cancelled = true
    this.#unqueue(id)
    await this.#setState(id, 'cancelled')
  }

  /** Fetches `id` again from its last checked chunk, from every holder (liars included: they may have mended). */
  async retry (id: string): Promise<void> {
    const record = this.#components.index.get(id)
    const running = this.#running.get(id)
    if (record === undefined || record.state === 'held') return
    if (running?.cancelled === true) { // cancelled, and its fetch has not reached its next chunk yet: it goes on
      running.cancelled = false
      await this.#setState(id, 'fetching')
    } else if (running === undefined) {
      this.#faulty.delete(id)
      await this.#setState(id, 'waiting')
      this.add(id)
    }
  }

  /** Queues every file in `state` again, after those just received. */
  retryWhere (state: AttachmentState): void {
    if (!this.#started || this.#stopped) return
    for (const [id, record] of this.#components.index.all()) if (record.state === state) this.#enqueue(id, record, false)
    this.#pump()
  }

  #enqueue (id: string, record: AttachmentRecord, fresh: boolean): void {
    if (!this.#running.has(id)) this.#order.add(id, { preview: record.preview === true, fresh, author: record.author })
  }

  #unqueue (id: string): void {
    this.#order.remove(id)
  }

  #pump (): void {
    if (!this.#started || this.#stopped) return
    while (this.#running.size < (this.#components.concurrency ?? FETCH_CONCURRENCY)) {
      const next = this.#order.next(this.#running.values())
      if (next === undefined) return
      const { id, place } = next
      const record = this.#components.index.get(id)
      if (record === undefined || record.state === 'held' || record.state === 'cancelled') continue
      const received = receivedBytes(record.descriptor, this.#components.store.nextChunk(contentOf(record))) // kept from an earlier fetch
      const running: Running = { ...place, cancelled: false, progress: new ProgressGate(received, this.#components.now), received }
      this.#running.set(id, running)
      void this.#inContentTurn(contentOf(record), async () => { await this.#fetch(id, record, running) })
        .catch(error => { this.#components.log('files: fetching %s: %e', id, error) })
        .finally(() => { this.#running.delete(id); this.#pump() })
    }
  }

  /** Runs `fetch` once every earlier fetch of content `content` (another author's record of it) ended. */
  async #inContentTurn (content: string, fetch: () => Promise<void>): Promise<void> {
    const earlier = this.#contentTurns.get(content) ?? Promise.resolve()
    const turn = earlier.then(fetch)
    const settled = turn.catch(() => {})
    this.#contentTurns.set(content, settled)
    try {
      await turn
    } finally {
      if (this.#contentTurns.get(content) === settled) this.#contentTurns.delete(content)
    }
  }

  async #fetch (id: string, record: AttachmentRecord, running: Running): Promise<void> {
    const { store } = this.#components
    const descriptor = record.descriptor
    const content = contentOf(record)
    await this.#setState(id, 'fetching')
    let outcome: { state: AttachmentState, error?: ErrorCode }
    try {
      await store.begin(content, 'mine')
      await fetchFile({ fileId: content, chunksSha256: fromHex(descriptor.chunksSha256) }, {
        sink: fittingDescriptor(store.sink(content, 'mine'), descriptor),
        holders: () => running.cancelled || this.#stopped ? [] : this.#holdersOf(id, record).map(this.#components.holderLink),
        onHolderFault: fault => {
          this.#faultyFor(id).add(fault.peer)
          this.#components.holderFault(fault)
        },
        onChunk: next => {
          if (running.cancelled || this.#stopped) throw new FetchStopped()
          running.received = receivedBytes(descriptor, next)
          if (running.progress.due(running.received)) this.#components.changed(id)
        }
      })
      outcome = { state: 'held' }
    } catch (error) {
      if (this.#stopped) return // resumed at the next start: the record still says fetching
      if (running.cancelled) return // cancel() set the state
      outcome = stateAfter(error)
      // A fault of ours (the disk failing, no file handles): logged, and tried again with the paused ones.
      if (outcome.error === 'STORAGE_UNAVAILABLE') this.#components.log('files: fetching %s: %e', id, error)
    }
    if (running.cancelled && outcome.state !== 'held') return
    await this.#setState(id, outcome.state, outcome.error)
  }

  /** The author first, then every other connected member; never a holder that lied about this file. */
  #holdersOf (id: string, record: AttachmentRecord): string[] {
    const connected = this.#components.connectedMembers().filter(peer => peer !== this.#components.self)
    const ordered = [...connected.filter(peer => peer === record.author), ...connected.filter(peer => peer !== record.author)]
    const faulty = this.#faulty.get(id)
    return faulty === undefined ? ordered : ordered.filter(peer => !faulty.has(peer))
  }

  #faultyFor (id: string): Set<string> {
    const found = this.#faulty.get(id) ?? new Set<string>()
    this.#faulty.set(id, found)
    return found
  }

  async #setState (id: string, state: AttachmentState, error?: ErrorCode): Promise<void> {
    if (await this.#components.index.setState(id, state, error)) this.#components.changed(id)
  }
}

/** The id the store and the holders know `record`'s file by: its chunk list's SHA-256, whoever named it. */
function contentOf (record: AttachmentRecord): string {
  return record.descriptor.chunksSha256
}

/** What a fetch that failed leaves: waiting for a holder; paused for room, or when this desk could not write it. */
function stateAfter (error: unknown): { state: AttachmentState, error: ErrorCode } {
  const code = codedError(error)?.code
  if (code === 'FILE_STORE_FULL') return { state: 'paused', error: code }
  // The author's chunk list is not the file its descriptor states: no holder has another, so set aside.
  if (code === 'FILE_HASH_MISMATCH') return { state: 'cancelled', error: code }
  if (code === 'FILE_NOT_HELD' || code?.startsWith('TRANSFER_') === true) return { state: 'waiting', error: code }
  return { state: 'paused', error: 'STORAGE_UNAVAILABLE' }
}

/** The store's sink for the file `descriptor` states, which keeps no chunk list that is another file's shape. */
function fittingDescriptor (sink: ChunkSink, descriptor: AttachmentDescriptor): ChunkSink {
  return {
    ...sink,
    saveChunkList: async list => {
      checkListFitsDescriptor(list, descriptor)
      await sink.saveChunkList(list)
    }
  }
}

/** Plaintext bytes held when the chunks before `nextChunk` are. */
export function receivedBytes (descriptor: AttachmentDescriptor, nextChunk: number): number {
  return Math.min(descriptor.size, nextChunk * descriptor.chunkSize)
}
