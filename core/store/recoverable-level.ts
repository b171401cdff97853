// The profile's LevelDB root, guarded against storage faults (a full disk, no file handles).
//
// Why: when a write of LevelDB's write-ahead log fails half-way, the part written stays in the log
// and later writes are appended after it. At the next open, the log reader drops the rest of that
// 32 KiB block ("dropping 32768 bytes; Corruption: checksum mismatch"), and with it writes that
// were acknowledged after space came back. So on the first failed write the store turns
// unwritable: it refuses every write (STORAGE_UNAVAILABLE, nothing written) until a probe shows the
// file system takes writes again, then closes and reopens LevelDB (which replays the log up to the
// failed write, keeps it as a table and starts a fresh log) before accepting the next write.
// Writes are serialised, so none can slip in after a failed one. Reads that start while it closes
// and reopens wait for the reopen (abstract-level would refuse them: "Database is not open"); an
// iterator already open (a history page half read) is let finish first, since closing LevelDB
// would end it ("Iterator is not open").
import { AbstractLevel } from 'abstract-level'
import { Level } from 'level'
import { dirname } from 'node:path'
import { CausetteError } from '../errors.js'
import { canWriteAgain } from './space-probe.js'

export type StorageHealth =
  | { state: 'ok' }
  | { state: 'unwritable', since: number, message: string }

/** abstract-level's implementation contract for writes (not in its typings). */
interface NativeWrites {
  _put: (key: unknown, value: unknown, options: unknown) => Promise<void>
  _del: (key: unknown, options: unknown) => Promise<void>
  _batch: (operations: unknown[], options: unknown) => Promise<void>
}

const native = Level.prototype as unknown as NativeWrites
const RETRY_MS = 2000
/** How long a reopen waits for the iterators open on the database to finish: a page takes milliseconds. */
const DRAIN_MS = 2000

export class RecoverableLevel extends Level<string, string> {
  #health: StorageHealth = { state: 'ok' }
  #writes: Promise<unknown> = Promise.resolve()
  #retry: NodeJS.Timeout | undefined
  /** Set while the root closes and reopens after a fault; reads started meanwhile wait for it. */
  #reopened: Promise<void> | undefined
  /** What is open on the root (iterators), which closing it would end; and who waits for none. */
  readonly #inUse = new Set<unknown>()
  #noneInUse: (() => void) | undefined
  readonly #report: (line: string) => void

  constructor (location: string, report: (line: string) => void = line => { console.error(line) }) {
    super(location)
    this.#report = report
  }

  get health (): StorageHealth { return this.#health }

  /**
   * Sublevels do not register with the root as resources, so that reopening the root after a fault
   * leaves them open: their operations wait while the root reopens instead of failing for good.
   */
  override attachResource (resource: Parameters<Level['attachResource']>[0]): void {
    if (typeof (resource as { sublevel?: unknown }).sublevel === 'function') return
    this.#inUse.add(resource)
    super.attachResource(resource)
  }

  override detachResource (resource: Parameters<Level['detachResource']>[0]): void {
    super.detachResource(resource)
    if (this.#inUse.delete(resource) && this.#inUse.size === 0) this.#noneInUse?.()
  }

  /** Waits, DRAIN_MS at most, until nothing is open on the root: a reader that never closes is not waited for. */
  async #drain (): Promise<void> {
    if (this.#inUse.size === 0) return
    let timer: NodeJS.Timeout | undefined
    await new Promise<void>(resolve => {
      this.#noneInUse = resolve
      timer = setTimeout(resolve, DRAIN_MS)
    })
    clearTimeout(timer)
    this.#noneInUse = undefined
  }

  async _put (key: unknown, value: unknown, options: unknown): Promise<void> {
    await this.#guarded(async () => { await native._put.call(this, key, value, options) })
  }

  async _del (key: unknown, options: unknown): Promise<void> {
    await this.#guarded(async () => { await native._del.call(this, key, options) })
  }

  async _batch (operations: unknown[], options: unknown): Promise<void> {
    await this.#guarded(async () => { await native._batch.call(this, operations, options) })
  }

  /** abstract-level's own chained batch, which commits through _batch: guarded too (LevelDB's native one would not be). */
  _chainedBatch (): unknown {
    return (AbstractLevel.prototype as unknown as { _chainedBatch: () => unknown })._chainedBatch.call(this)
  }

  /** The reopen under way, if any: a read asked for meanwhile starts once it has finished (whether or not it succeeded). */
  get reopening (): Promise<void> | undefined { return this.#reopened }

  /** Stops retrying (the node is stopping). */
  stopRecovery (): void {
    clearInterval(this.#retry)
    this.#retry = undefined
  }

  async #guarded (write: () => Promise<void>): Promise<void> {
    const run = this.#writes.then(async () => {
      if (this.#health.state !== 'ok') await this.#recover()
      try {
        await write()
      } catch (error) {
        this.#fault(error)
        throw unavailable(this.#health)
      }
    })
    this.#writes = run.catch(() => undefined)
    await run
  }

  #fault (error: unknown): void {
    if (this.#health.state !== 'ok') return
    this.#health = { state: 'unwritable', since: Date.now(), message: describeFault(error) }
    this.#report(`causette store: ${this.#health.message} (${String((error as Error).message ?? error)})`)
    this.#retry = setInterval(() => { void this.#retryInTurn() }, RETRY_MS)
    this.#retry.unref()
  }

  /** A retry takes its turn among the writes, so that it never runs beside one. */
  async #retryInTurn (): Promise<void> {
    const run = this.#writes.then(async () => { if (this.#health.state !== 'ok') await this.#recover() })
    this.#writes = run.catch(() => undefined)
    await run.catch(() => undefined)
  }

  /** Reopens the database once the file system takes writes again; throws while it does not. */
  async #recover (): Promise<void> {
    if (!await canWriteAgain(this.location, dirname(this.location))) throw unavailable(this.#health)
    let reopenDone = (): void => {}
    this.#reopened = new Promise(resolve => { reopenDone = resolve })
    try {
      await this.#drain()
      await this.close()
      await this.open()
    } catch (error) {
      this.#report(`causette store: the database could not be reopened yet (${(error as Error).message}); retrying`)
      throw unavailable(this.#health)
    } finally {
      this.#reopened = undefined
      reopenDone()
    }
    this.stopRecovery()
    this.#health = { state: 'ok' }
    this.#report('causette store: writes succeed again; messages are accepted')
  }
}

// Reads wait while reopening. abstract-level's read methods are overloaded, so they are wrapped on
// the prototype rather than overridden in the class; sublevels read through them too.
for (const name of ['get', 'getMany', 'has', 'hasMany'] as const) {
  const read = Level.prototype[name] as (...args: unknown[]) => Promise<unknown>
  replaceMethod(name, function (this: RecoverableLevel, ...args: unknown[]) {
    const reopening = this.reopening
    return reopening === undefined ? read.apply(this, args) : reopening.then(async () => await read.apply(this, args))
  })
}
for (const name of ['iterator', 'keys', 'values'] as const) {
  const make = Level.prototype[name] as (...args: unknown[]) => IteratorLike
  replaceMethod(name, function (this: RecoverableLevel, ...args: unknown[]) {
    const reopening = this.reopening
    return reopening === undefined ? make.apply(this, args) : afterReopen(reopening, () => make.apply(this, args))
  })
}

function replaceMethod (name: string, value: (this: RecoverableLevel, ...args: unknown[]) => unknown): void {
  Object.defineProperty(RecoverableLevel.prototype, name, { value, writable: true, configurable: true })
}

interface IteratorLike {
  next: (...args: unknown[]) => Promise<unknown>
  nextv: (...args: unknown[]) => Promise<unknown>
  all: (...args: unknown[]) => Promise<unknown>
  seek: (...args: unknown[]) => void
  close: () => Promise<void>
  [Symbol.asyncIterator]?: () => AsyncIterator<unknown>
}

/** What a sublevel's iterator calls on the root's: each call waits for the real iterator first. */
function afterReopen (reopening: Promise<void>, make: () => IteratorLike): IteratorLike {
  const real = reopening.then(make)
  const seeks: unknown[][] = []
  const ready = async (): Promise<IteratorLike> => {
    const iterator = await real
    for (const target of seeks.splice(0)) iterator.seek(...target)
    return iterator
  }
  return {
    next: async (...args) => await (await ready()).next(...args),
    nextv: async (...args) => await (await ready()).nextv(...args),
    all: async (...args) => await (await ready()).all(...args),
    seek: (...args) => { seeks.push(args) },
    close: async () => { await (await real).close() },
    [Symbol.asyncIterator]: async function * () { yield * (await ready()) as unknown as AsyncIterable<unknown> }
  }
}

function describeFault (error: unknown): string {
  const text = String((error as Error | undefined)?.message ?? error)
  if (/no space left|ENOSPC|disk quota/i.test(text)) return 'the disk is full: messages are not being accepted until space is freed'
  if (/too many open files|EMFILE|ENFILE/i.test(text)) return 'the node has run out of file handles: messages are not being accepted until it can write again'
  return 'the database cannot be written: messages are not being accepted until it can'
}

function unavailable (health: StorageHealth): CausetteError {
  const message = health.state === 'unwritable' ? health.message : 'the database cannot be written'
  return new CausetteError('STORAGE_UNAVAILABLE', message)
}
