// Existence checks on one sublevel. While the database is open, a check is a synchronous LevelDB
// read on this thread: a read of one key costs a few µs, where a trip to LevelDB's threads cost
// 150–300 µs of round trip and, for `has` and `hasMany`, an iterator made on this thread first
// (a receiver's replay check was an eighth of its round trip, bench, issue 15). A key whose batch
// is still being written is not seen, as before: callers keep their in-flight keys themselves. While
// the root reopens after a storage fault (recoverable-level.ts), checks wait for it, made in the same
// turn as one `hasMany`.
interface KeyedStore {
  hasMany: (keys: string[]) => Promise<boolean[]>
  getSync: (key: string, options: { valueEncoding: 'view' }) => unknown
}

export class StoredKeys {
  private pending: Array<{ key: string, resolve: (found: boolean) => void, reject: (error: Error) => void }> = []

  constructor (private readonly db: KeyedStore) {}

  async has (key: string): Promise<boolean> {
    return this.hasNow(key) ?? await this.hasLater(key)
  }

  /** The answer now, or undefined while the root is not open (a sublevel stays open meanwhile). */
  private hasNow (key: string): boolean | undefined {
    try {
      // The value's bytes as stored: nothing to open or decode for a yes or no.
      return this.db.getSync(key, { valueEncoding: 'view' }) !== undefined
    } catch (error) {
      if ((error as { code?: string }).code === 'LEVEL_DATABASE_NOT_OPEN') return undefined
      throw error
    }
  }

  private async hasLater (key: string): Promise<boolean> {
    return await new Promise((resolve, reject) => {
      this.pending.push({ key, resolve, reject })
      if (this.pending.length === 1) setImmediate(() => { void this.flush() })
    })
  }

  private async flush (): Promise<void> {
    const batch = this.pending
    this.pending = []
    try {
      const found = await this.db.hasMany(batch.map(p => p.key))
      batch.forEach((p, i) => { p.resolve(found[i]!) })
    } catch (error) {
      for (const p of batch) p.reject(error as Error)
    }
  }
}
