// A table of small records by key that the node keeps for core/files (in LevelDB, sealed at rest:
// core/node/files-wiring.ts), so that core/files never opens the database itself.
export interface RecordTable<V> {
  put: (key: string, value: V) => Promise<void>
  del: (key: string) => Promise<void>
  /** Every record, in key order: read once, when the files service loads. */
  entries: () => AsyncIterable<[string, V]>
}

/** A table in memory: for tests, and a node without a database. */
export function memoryTable<V> (): RecordTable<V> & { readonly map: Map<string, V> } {
  const map = new Map<string, V>()
  return {
    map,
    put: async (key, value) => { map.set(key, structuredClone(value)) },
    del: async key => { map.delete(key) },
    entries: async function * () { yield * [...map].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0) }
  }
}

/** A RecordTable read once into memory and written through: reads come at once, and a failed write changes nothing. */
export class CachedTable<V> {
  readonly #table: RecordTable<V>
  readonly #values = new Map<string, V>()

  private constructor (table: RecordTable<V>) {
    this.#table = table
  }

  static async load<V> (table: RecordTable<V>): Promise<CachedTable<V>> {
    const cached = new CachedTable(table)
    for await (const [key, value] of table.entries()) cached.#values.set(key, value)
    return cached
  }

  get (key: string): V | undefined {
    return this.#values.get(key)
  }

  has (key: string): boolean {
    return this.#values.has(key)
  }

  entries (): IterableIterator<[string, V]> {
    return this.#values.entries()
  }

  async put (key: string, value: V): Promise<void> {
    await this.#table.put(key, value)
    this.#values.set(key, value)
  }

  /**
   * Moves every record whose key is not `keyOf` its value to that key, as `moved` makes it (a profile
   * written before a change of key): the new record is written before the old one goes.
   */
  async rekey (keyOf: (value: V) => string, moved: (value: V) => V = value => value): Promise<void> {
    for (const [key, value] of [...this.#values]) {
      const wanted = keyOf(value)
      if (wanted === key) continue
      if (!this.#values.has(wanted)) await this.put(wanted, moved(value))
      await this.del(key)
    }
  }

  async del (key: string): Promise<void> {
    if (!this.#values.has(key)) return
    await this.#table.del(key)
    this.#values.delete(key)
  }
}
