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
