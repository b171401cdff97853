// The profile's LevelDB root, guarded against storage faults (a full disk, no file handles), with
// its writes made durable by one synchronous append each to a file beside it (ahead-log.ts).
//
// Why the append: a LevelDB batch is a round trip to its thread pool (120-250 µs on a quiet
// machine, much more on a busy one), and every message waited for several. A write() to the
// ahead log keeps the same promise (the batch survives the process being killed) in one system
// call; LevelDB takes the batch behind it, in order. Reads wait until LevelDB holds every write
// acknowledged before them, so they see what was written, as before.
//
// Why the guard: when a write of LevelDB's write-ahead log fails half-way, the part written stays in the log
// and later writes are appended after it. At the next open, the log reader drops the rest of that
// 32 KiB block ("dropping 32768 bytes; Corruption: checksum mismatch"), and with it writes that
// were acknowledged after space came back. So on the first failed write the store turns
// unwritable: it refuses every write (STORAGE_UNAVAILABLE, nothing written) until a probe shows the
// file system takes writes again, then closes and reopens LevelDB (which replays the log up to the
// failed write, keeps it as a table and starts a fresh log) and applies the ahead log again (the
// batches acknowledged that LevelDB did not take) before accepting the next write.
// Writes are serialised, so none can slip in after a failed one.
import { AbstractIterator, AbstractLevel } from 'abstract-level'
import { Level } from 'level'
import { dirname } from 'node:path'
import { CausetteError } from '../errors.js'
import { AheadLog, type EncodedOp } from './ahead-log.js'
import { canWriteAgain } from './space-probe.js'

export type StorageHealth =
  | { state: 'ok' }
  | { state: 'unwritable', since: number, message: string }

/** abstract-level's implementation contract (not in its typings). */
interface NativeLevel {
  _open: (options: unknown) => Promise<void>
  _close: () => Promise<void>
  _put: (key: unknown, value: unknown, options: unknown) => Promise<void>
  _del: (key: unknown, options: unknown) => Promise<void>
  _batch: (operations: unknown[], options: unknown) => Promise<void>
  _clear: (options: unknown) => Promise<void>
  _get: (key: unknown, options: unknown) => Promise<unknown>
  _getMany: (keys: unknown[], options: unknown) => Promise<unknown[]>
  _has: (key: unknown, options: unknown) => Promise<boolean>
  _hasMany: (keys: unknown[], options: unknown) => Promise<boolean[]>
  _iterator: (options: unknown) => NativeIterator
}

interface NativeIterator {
  _next: () => Promise<unknown>
  _nextv: (size: number, options: unknown) => Promise<unknown[]>
  _seek: (target: unknown, options: unknown) => void
  close: () => Promise<void>
}

const native = Level.prototype as unknown as NativeLevel
const RETRY_MS = 2000
/** Beside the database directory: `<home>/db` has `<home>/db-ahead.log`. */
const AHEAD_LOG_SUFFIX = '-ahead.log'

export class RecoverableLevel extends Level<string, string> {
  #health: StorageHealth = { state: 'ok' }
  #writes: Promise<unknown> = Promise.resolve()
  #ahead: AheadLog | undefined
  /** LevelDB taking the batches already in the ahead log, one after another. */
  #behind: Promise<void> = Promise.resolve()
  #unsettled = 0
  /** The keys those batches write (as latin1 strings of their bytes), with how many batches write each. */
  #pendingKeys = new Map<string, number>()
  #retry: NodeJS.Timeout | undefined
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
    super.attachResource(resource)
  }

  /** Opens LevelDB, then applies what the ahead log still holds (a crash or a fault came before LevelDB took it). */
  async _open (options: unknown): Promise<void> {
    await native._open.call(this, options)
    try {
      const { log, pending } = AheadLog.open(this.location + AHEAD_LOG_SUFFIX)
      this.#ahead = log
      if (pending.length > 0) await native._batch.call(this, pending, {})
      log.empty()
    } catch (error) {
      this.#ahead?.close()
      this.#ahead = undefined
      await native._close.call(this)
      throw error
    }
  }

  async _close (): Promise<void> {
    await this.#caughtUp()
    this.#ahead?.close()
    this.#ahead = undefined
    await native._close.call(this)
  }

  async _put (key: unknown, value: unknown, options: unknown): Promise<void> {
    await this.#write([{ type: 'put', key: key as string, value: value as string }], async () => { await native._put.call(this, key, value, options) })
  }

  async _del (key: unknown, options: unknown): Promise<void> {
    await this.#write([{ type: 'del', key: key as string }], async () => { await native._del.call(this, key, options) })
  }

  async _batch (operations: unknown[], options: unknown): Promise<void> {
    await this.#write(operations as EncodedOp[], async () => { await native._batch.call(this, operations, options) })
  }

  /** Not logged: it waits for LevelDB to hold everything, then empties the ahead log, so no replay brings cleared keys back. */
  async _clear (options: unknown): Promise<void> {
    await this.#guarded(async () => {
      await this.#caughtUp()
      this.#ahead?.empty()
      await native._clear.call(this, options)
    })
  }

  async _get (key: unknown, options: unknown): Promise<unknown> {
    await this.#caughtUpWith([key])
    return await native._get.call(this, key, options)
  }

  async _getMany (keys: unknown[], options: unknown): Promise<unknown[]> {
    await this.#caughtUpWith(keys)
    return await native._getMany.call(this, keys, options)
  }

  async _has (key: unknown, options: unknown): Promise<boolean> {
    await this.#caughtUpWith([key])
    return await native._has.call(this, key, options)
  }

  async _hasMany (keys: unknown[], options: unknown): Promise<boolean[]> {
    await this.#caughtUpWith(keys)
    return await native._hasMany.call(this, keys, options)
  }

  /** An iterator made while LevelDB is behind the ahead log starts reading once it caught up. */
  _iterator (options: object): unknown {
    const open = (): NativeIterator => native._iterator.call(this, options)
    if (this.#unsettled === 0) return open()
    return new AfterWrites(this, options, this.#caughtUp().then(open))
  }

  /** Durable once appended to the ahead log; LevelDB takes it behind, in order (skipped after a fault: the reopen replays it). */
  async #write (logged: EncodedOp[], apply: () => Promise<void>): Promise<void> {
    await this.#guarded(() => {
      this.#ahead!.append(logged)
      this.#unsettled++
      const keys = logged.map(op => keyId(op.key))
      for (const key of keys) this.#pendingKeys.set(key, (this.#pendingKeys.get(key) ?? 0) + 1)
      this.#behind = this.#behind.then(async () => {
        try {
          if (this.#health.state === 'ok') await apply()
        } catch (error) {
          this.#fault(error)
        }
        for (const key of keys) {
          const left = this.#pendingKeys.get(key)! - 1
          if (left === 0) this.#pendingKeys.delete(key)
          else this.#pendingKeys.set(key, left)
        }
        if (--this.#unsettled === 0 && this.#health.state === 'ok') this.#settle()
      })
    })
  }

  #settle (): void {
    try { this.#ahead?.settled() } catch {} // the file only grows until the next try
  }

  /** A read of keys no pending batch writes goes at once: LevelDB already holds their last value. */
  async #caughtUpWith (keys: unknown[]): Promise<void> {
    if (this.#unsettled > 0 && keys.some(key => this.#pendingKeys.has(keyId(key)))) await this.#behind
  }

  /** Resolves once LevelDB holds (or, after a fault, gave up on) every write acknowledged so far. */
  async #caughtUp (): Promise<void> {
    if (this.#unsettled > 0) await this.#behind
  }

  /** abstract-level's own chained batch, which commits through _batch: guarded too (LevelDB's native one would not be). */
  _chainedBatch (): unknown {
    return (AbstractLevel.prototype as unknown as { _chainedBatch: () => unknown })._chainedBatch.call(this)
  }

  /** Stops retrying (the node is stopping). */
  stopRecovery (): void {
    clearInterval(this.#retry)
    this.#retry = undefined
  }

  async #guarded (write: () => Promise<void> | void): Promise<void> {
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
    try {
      await this.close()
      await this.open()
    } catch (error) {
      this.#report(`causette store: the database could not be reopened yet (${(error as Error).message}); retrying`)
      throw unavailable(this.#health)
    }
    this.stopRecovery()
    this.#health = { state: 'ok' }
    this.#report('causette store: writes succeed again; messages are accepted')
  }
}

/** One string per key, whichever encoding (text or bytes) carries it. */
function keyId (key: unknown): string {
  if (typeof key === 'string') return ASCII.test(key) ? key : Buffer.from(key, 'utf8').toString('latin1')
  const bytes = key as Uint8Array
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
}

// eslint-disable-next-line no-control-regex -- any ASCII key is its own latin1 form
const ASCII = /^[\u0000-\u007f]*$/

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

/** Reads through a LevelDB iterator made once `inner` resolves (LevelDB caught up with the ahead log). */
class AfterWrites extends AbstractIterator<RecoverableLevel, unknown, unknown> {
  #inner: Promise<NativeIterator>

  constructor (db: RecoverableLevel, options: object, inner: Promise<NativeIterator>) {
    super(db, options)
    this.#inner = inner
  }

  async _next (): Promise<any> {
    return await (await this.#inner)._next()
  }

  async _nextv (size: number, options: unknown): Promise<any> {
    return await (await this.#inner)._nextv(size, options)
  }

  _seek (target: unknown, options: unknown): void {
    this.#inner = this.#inner.then(inner => { inner._seek(target, options); return inner })
  }

  async _close (): Promise<void> {
    await (await this.#inner).close()
  }
}
