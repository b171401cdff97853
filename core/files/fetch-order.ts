// Which queued attachment is fetched next (docs/files.md, "Receiving"): the files of messages just
// received before those tried again (waiting for a holder, paused for room, resumed at a start), so
// that files nobody holds, however many a colleague's messages name, never hold up a new one. In
// each tier previews come first, and a file waits while a preview of its tier is fetched, so that an
// image never competes with its own preview. Each queue is a Set: first in, first out, and an id
// found or taken out at once.

/** Where a queued or running fetch stands in the order. */
export interface Place {
  preview: boolean
  /** A file of a message just received (or one the user asked for again), not one tried again. */
  fresh: boolean
}

interface Tier { previews: Set<string>, files: Set<string> }

const tier = (): Tier => ({ previews: new Set(), files: new Set() })

function takeFirst (queue: Set<string>): string | undefined {
  const first = queue.values().next()
  if (first.done === true) return undefined
  queue.delete(first.value)
  return first.value
}

export class FetchOrder {
  readonly #fresh = tier()
  readonly #again = tier()

  has (id: string): boolean {
    return [this.#fresh, this.#again].some(t => t.previews.has(id) || t.files.has(id))
  }

  /** Queues `id` at the end of its queue; a file queued to be tried again that comes fresh moves up. */
  add (id: string, place: Place): void {
    if (place.fresh) this.remove(id)
    else if (this.has(id)) return
    const queues = place.fresh ? this.#fresh : this.#again
    ;(place.preview ? queues.previews : queues.files).add(id)
  }

  remove (id: string): void {
    for (const t of [this.#fresh, this.#again]) {
      t.previews.delete(id)
      t.files.delete(id)
    }
  }

  /** The next to fetch and its place, given those running; undefined when none may start now. */
  next (running: Iterable<Place>): { id: string, place: Place } | undefined {
    const places = [...running]
    const previewOf = (fresh: boolean): boolean => places.some(p => p.preview && p.fresh === fresh)
    const candidates: Array<[Set<string>, Place, boolean]> = [
      [this.#fresh.previews, { preview: true, fresh: true }, true],
      [this.#fresh.files, { preview: false, fresh: true }, !previewOf(true)],
      [this.#again.previews, { preview: true, fresh: false }, true],
      [this.#again.files, { preview: false, fresh: false }, !previewOf(true) && !previewOf(false)]
    ]
    for (const [queue, place, may] of candidates) {
      const id = may ? takeFirst(queue) : undefined
      if (id !== undefined) return { id, place }
    }
    return undefined
  }
}
