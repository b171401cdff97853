// Group commit: writes requested in the same turn of the event loop go to LevelDB as one batch,
// together with their journal entries, and every caller learns when its part is durable. This is
// what lets a node store thousands of messages per second while acknowledging each only once it
// is written.
export interface JournaledWriter<Entry, Op> {
  /** Writes the entries and the ops atomically (one LevelDB batch). */
  append: (entries: Entry[], ops: Op[]) => Promise<unknown>
}

interface Pending<Entry, Op> { entries: Entry[], ops: Op[], done: () => void, failed: (error: Error) => void }

export class GroupCommit<Entry, Op> {
  private queue: Array<Pending<Entry, Op>> = []
  private running: Promise<void> | undefined

  /** `coalesce` may drop ops that a later op of the same batch makes moot. */
  constructor (private readonly writer: JournaledWriter<Entry, Op>, private readonly coalesce: (ops: Op[]) => Op[] = ops => ops) {}

  async write (entries: Entry[], ops: Op[]): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ entries, ops, done: resolve, failed: reject })
      // Wait one turn so that writes requested together share a batch; while a batch is being
      // written, the next group keeps growing.
      this.running ??= new Promise<void>(resolve => setImmediate(resolve)).then(async () => { await this.run() })
    })
  }

  private async run (): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue
      this.queue = []
      try {
        await this.writer.append(group.flatMap(p => p.entries), this.coalesce(group.flatMap(p => p.ops)))
        for (const p of group) p.done()
      } catch (error) {
        for (const p of group) p.failed(error as Error)
        // One turn before the next group: its callers first undo what they kept in memory for the
        // failed writes (a conversation's received seqs, a spent key), so the next batch leaves it out.
        await new Promise<void>(resolve => setImmediate(resolve))
      }
    }
    this.running = undefined
  }

  /** Resolves when everything requested so far is written. */
  async drain (): Promise<void> {
    while (this.running !== undefined) await this.running
  }
}
