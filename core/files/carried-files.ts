// The files a carrier holds for absent colleagues (core/messaging/carrier.ts's CarriedFilesPort): a
// deposit names the attachment ids of its message, and each is fetched from its author into the
// store as a `carried` copy, one file at a time, authors in turn, so that the recipient, back, can fetch it from us
// while the author is away. The carrier sees ciphertext chunks, their sizes and the id; never the key,
// the name, the type or the content. Carried copies live within the store's limit and go first when
// room is needed, and one author's take at most a quarter of it (CARRIED_FILES_SHARE_PER_AUTHOR), so
// one colleague's big files cannot push out everyone else's; a file that does not fit is not carried
// (the message still is) and the log says so. A file no carried item names any more is dropped,
// unless it was handed over whole: then it stays for the recipient to fetch, until the sweep drops it
// after `ttlMs`.
import { fromHex } from '../../crypto/encoding.js'
import { CausetteError, codedError } from '../errors.js'
import type { ChunkList, ChunkSink, HolderLink } from '../protocol/file-ports.js'
import { CARRIED_FILES_SHARE_PER_AUTHOR, CARRY_TTL_MS, MAX_CARRIED_PENDING_PER_AUTHOR } from '../protocol/limits.js'
import type { AttachmentStore } from './attachment-store.js'
import { fetchFile, type HolderFault } from './fetcher.js'
import { FetchOrder } from './fetch-order.js'

export interface CarriedFilesComponents {
  store: Pick<AttachmentStore, 'sink' | 'state' | 'remove' | 'carriedFiles' | 'usage'>
  /** A holder link to `peer` (core/protocol/file-requester.ts's libp2pHolderLink). */
  holderLink: (peer: string) => HolderLink
  isConnected: (peer: string) => boolean
  log: (format: string, ...args: unknown[]) => void
  /** An author that served what its own id does not prove (the node journals it). */
  onHolderFault?: (fault: HolderFault) => void
  now?: () => number
  /** How long a carried file handed over stays for its recipient; default CARRY_TTL_MS. */
  ttlMs?: number
}

export class CarriedFiles {
  /** Attachment id → the authors whose deposits name it: where it is fetched from. */
  private readonly wanted = new Map<string, Set<string>>()
  /**
   * Ids to fetch, authors in turn (each in the order its deposits named them): one whose files come
   * slowly holds up only its own (fetch-order.ts).
   */
  private readonly queue = new FetchOrder()
  private running: Promise<void> | undefined
  private stopped = false

  constructor (private readonly components: CarriedFilesComponents) {}

  /**
   * Fetch these files from `author` (now, or once it connects) as carried copies; at most
   * MAX_CARRIED_PENDING_PER_AUTHOR not yet held at once, so an author naming files it does not
   * hold costs a bounded number of requests each time it connects.
   */
  carry (author: string, fileIds: readonly string[]): void {
    let pending = this.pendingOf(author)
    let refused = 0
    for (const id of fileIds) {
      const authors = this.wanted.get(id) ?? new Set<string>()
      if (!authors.has(author)) {
        if (pending >= MAX_CARRIED_PENDING_PER_AUTHOR) { refused++; continue }
        pending++
      }
      authors.add(author)
      this.wanted.set(id, authors)
      this.enqueue(id, author)
    }
    if (refused > 0) this.components.log('%s names more files than we fetch at once (%d): %d of them not carried', author, MAX_CARRIED_PENDING_PER_AUTHOR, refused)
    this.run()
  }

  /** The files `author` named that we do not hold whole yet. */
  private pendingOf (author: string): number {
    let pending = 0
    for (const [id, authors] of this.wanted) if (authors.has(author) && this.components.store.state(id)?.complete !== true) pending++
    return pending
  }

  /** A member connected: fetch what it named for us and we do not hold whole yet. */
  connected (peer: string): void {
    for (const [id, authors] of this.wanted) if (authors.has(peer)) this.enqueue(id, peer)
    this.run()
  }

  /** Queued once, in `author`'s turn (a file several authors named waits in the first's). */
  private enqueue (id: string, author: string): void {
    this.queue.add(id, { preview: false, fresh: false, author })
  }

  /** No carried item names `fileId` any more: drop our copy, unless handed over whole (the recipient fetches it from us). */
  release (fileId: string, handedOver: boolean): void {
    this.wanted.delete(fileId)
    this.queue.remove(fileId)
    if (!(handedOver && this.components.store.state(fileId)?.complete === true)) this.drop(fileId)
  }

  /** Removes our carried copy of `fileId` (never the user's own file of the same id). */
  private drop (fileId: string): void {
    if (this.components.store.state(fileId)?.owner !== 'carried') return
    void this.components.store.remove(fileId).catch(error => { this.components.log('could not drop the carried file %s: %e', fileId, error) })
  }

  /** Drops carried files that no item names and that came more than `ttlMs` ago; returns how many. */
  async sweep (): Promise<number> {
    const before = (this.components.now ?? Date.now)() - (this.components.ttlMs ?? CARRY_TTL_MS)
    const stale = this.components.store.carriedFiles().filter(file => file.addedAt <= before && !this.wanted.has(file.id))
    for (const file of stale) await this.components.store.remove(file.id)
    return stale.length
  }

  /** Resolves once no fetch runs or waits to run (each is tried once per `carry` or `connected`). */
  async idle (): Promise<void> {
    while (this.running !== undefined) await this.running
  }

  /** At stop: no new fetch; resolves once the one under way ends (what it wrote is kept: it resumes at the next start). */
  async drain (): Promise<void> {
    this.stopped = true
    await this.running
  }

  /** One fetch at a time: carrying for others must not take the bandwidth from the user's own files. */
  private run (): void {
    if (this.running !== undefined || this.stopped) return
    const id = this.queue.next([])?.id
    if (id === undefined) return
    this.running = this.fetch(id).finally(() => {
      this.running = undefined
      this.run()
    })
  }

  private async fetch (id: string): Promise<void> {
    const state = this.components.store.state(id)
    // Held whole already, or the user's own file (sent or received: their own fetch takes care of it).
    if (state?.complete === true || state?.owner === 'mine') return
    const authors = [...this.wanted.get(id) ?? []].filter(peer => this.components.isConnected(peer))
    if (authors.length === 0) return // fetched once an author connects
    const links = authors.map(peer => this.components.holderLink(peer))
    try {
      await fetchFile({ fileId: id, chunksSha256: fromHex(id) }, { sink: this.withinShares(id), holders: () => links, onHolderFault: this.components.onHolderFault })
    } catch (error) {
      this.failed(id, error)
    }
  }

  /**
   * The store's sink for `id`, which refuses the file once its chunk list tells its size if it would
   * take any author naming it past their share of the limit (the file's bytes count for each).
   */
  private withinShares (id: string): ChunkSink {
    const sink = this.components.store.sink(id, 'carried')
    return {
      ...sink,
      saveChunkList: async list => {
        this.checkShares(id, list)
        await sink.saveChunkList(list)
      }
    }
  }

  private checkShares (id: string, list: ChunkList): void {
    const share = Math.floor(this.components.store.usage().limitBytes * CARRIED_FILES_SHARE_PER_AUTHOR)
    const fileBytes = list.reduce((sum, entry) => sum + entry.bytes, 0)
    const others = this.components.store.carriedFiles().filter(file => file.id !== id)
    for (const author of this.wanted.get(id) ?? []) {
      const held = others.filter(file => this.wanted.get(file.id)?.has(author) === true).reduce((sum, file) => sum + file.bytes, 0)
      if (held + fileBytes > share) {
        throw new CausetteError('FILE_STORE_FULL', `${author}'s carried files would take ${held + fileBytes} bytes here, over their share of the file limit (${share} bytes)`)
      }
    }
  }

  private failed (id: string, error: unknown): void {
    if (codedError(error)?.code !== 'FILE_STORE_FULL') {
      this.components.log('could not fetch the carried file %s from its author yet (again when it connects): %e', id, error)
      return
    }
    this.components.log('the file %s is not carried: %s; the message is carried without it (its recipient fetches it from its author)', id, (error as Error).message)
    this.wanted.delete(id)
    this.drop(id)
  }
}
