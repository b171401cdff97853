// Which queued attachment is fetched next (docs/files.md, "Receiving"): the files of messages just
// received before those tried again (waiting for a holder, paused for room, resumed at a start), so
// that files nobody holds, however many a colleague's messages name, never hold up a new one. In
// each tier the author with the fewest fetches running goes next (the least recently served among
// equals), its previews before its files: a file waits while a preview of its author in its tier is
// fetched, so that an image never competes with its own preview, but a colleague's previews (a
// holder may take FILE_IDLE_MS a frame) hold up no one else's files. The carrier's one fetch at a
// time takes its turns alike (carried-files.ts). Each author's queue is a Set: first in, first out,
// and an id found or taken out at once.

/** Where a queued or running fetch stands in the order. */
export interface Place {
  preview: boolean
  /** A file of a message just received (or one the user asked for again), not one tried again. */
  fresh: boolean
  /** The author of the first message that carried it: the turn it takes. */
  author: string
}

interface Queues { previews: Set<string>, files: Set<string> }

/** One tier's queues by author. */
class Tier {
  readonly #byAuthor = new Map<string, Queues>()
  /** When each author last had a fetch start (a count): the least recent goes first among equals. One number per author. */
  readonly #served = new Map<string, number>()
  #turns = 0

  add (id: string, place: Place): void {
    const queues = this.#byAuthor.get(place.author) ?? { previews: new Set<string>(), files: new Set<string>() }
    this.#byAuthor.set(place.author, queues)
    ;(place.preview ? queues.previews : queues.files).add(id)
  }

  remove (id: string, author: string): void {
    const queues = this.#byAuthor.get(author)
    if (queues === undefined) return
    queues.previews.delete(id)
    queues.files.delete(id)
    if (queues.previews.size === 0 && queues.files.size === 0) this.#byAuthor.delete(author)
  }

  /**
   * The next of the author with the fewest fetches running, and of those the one served least
   * recently (its preview, else a file `mayStart`).
   */
  take (fresh: boolean, mayStart: (author: string) => boolean, runningOf: (author: string) => number): { id: string, place: Place } | undefined {
    let chosen: { id: string, place: Place, rank: [number, number] } | undefined
    for (const [author, queues] of this.#byAuthor) {
      const preview = first(queues.previews)
      const id = preview ?? (mayStart(author) ? first(queues.files) : undefined)
      const rank: [number, number] = [runningOf(author), this.#served.get(author) ?? 0]
      if (id !== undefined && (chosen === undefined || before(rank, chosen.rank))) chosen = { id, place: { preview: preview !== undefined, fresh, author }, rank }
    }
    if (chosen === undefined) return undefined
    this.remove(chosen.id, chosen.place.author)
    this.#served.set(chosen.place.author, ++this.#turns)
    return { id: chosen.id, place: chosen.place }
  }
}

const before = (a: [number, number], b: [number, number]): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])

function first (queue: Set<string>): string | undefined {
  const found = queue.values().next()
  return found.done === true ? undefined : found.value
}

export class FetchOrder {
  readonly #fresh = new Tier()
  readonly #again = new Tier()
  /** Where each queued id is: its tier and author. */
  readonly #queued = new Map<string, Place>()

  has (id: string): boolean {
    return this.#queued.has(id)
  }

  /** Queues `id` at the end of its queue; a file queued to be tried again that comes fresh moves up. */
  add (id: string, place: Place): void {
    if (place.fresh) this.remove(id)
    else if (this.has(id)) return
    ;(place.fresh ? this.#fresh : this.#again).add(id, place)
    this.#queued.set(id, place)
  }

  remove (id: string): void {
    const place = this.#queued.get(id)
    if (place === undefined) return
    ;(place.fresh ? this.#fresh : this.#again).remove(id, place.author)
    this.#queued.delete(id)
  }

  /** The next to fetch and its place, given those running; undefined when none may start now. */
  next (running: Iterable<Place>): { id: string, place: Place } | undefined {
    const places = [...running]
    const previewRuns = (author: string, fresh?: boolean): boolean => places.some(p => p.preview && p.author === author && (fresh === undefined || p.fresh === fresh))
    const runningOf = (author: string): number => places.filter(p => p.author === author).length
    const next = this.#fresh.take(true, author => !previewRuns(author, true), runningOf) ??
      this.#again.take(false, author => !previewRuns(author), runningOf)
    if (next !== undefined) this.#queued.delete(next.id)
    return next
  }
}
