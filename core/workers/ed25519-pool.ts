// Ed25519 verification on worker threads: `causette log verify` checks the author signatures of a
// large export there while the main thread reads and hashes. (A node checks its inbound messages on
// its main thread: for the few a turn brings, posting them to a worker cost that thread as much as
// checking them, bench, issue 15.) A worker starts with the first batch that finds no idle one and
// ends after `idleMs` without work, and workers hold the event loop only while they have work.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { SignatureCheck } from '../../crypto/log/primitives.js'
import { LOAD_MODULE_IN_WORKER, sodiumNativeForWorkers, type WorkerModule } from '../runtime/worker-modules.js'

// The worker is a script string (a worker file would need a TypeScript loader under test). It
// checks as crypto/ed25519.ts's ed25519Verify does, with the same libsodium.
const WORKER_SOURCE = `${LOAD_MODULE_IN_WORKER}
const { parentPort, workerData } = require('node:worker_threads')
const sodium = loadModule(workerData.sodiumNative)
parentPort.on('message', ({ id, checks }) => {
  const results = checks.map(c => c.publicKey.length === 32 && c.signature.length === 64 &&
    sodium.crypto_sign_verify_detached(c.signature, c.message, c.publicKey))
  parentPort.postMessage({ id, results })
})`

export interface Ed25519PoolInit {
  /** At most this many workers at once. */
  threads?: number
  /** A worker without work for this long ends. */
  idleMs?: number
}

interface Pending { resolve: (results: boolean[]) => void, reject: (error: Error) => void, worker: Worker }
interface Slot { load: number, idleTimer?: NodeJS.Timeout }

export class Ed25519Pool {
  readonly #maxThreads: number
  readonly #idleMs: number
  readonly #slots = new Map<Worker, Slot>()
  readonly #pending = new Map<number, Pending>()
  #sodiumNative: WorkerModule | undefined
  #nextId = 0

  constructor ({ threads = availableParallelism(), idleMs = 30_000 }: Ed25519PoolInit = {}) {
    this.#maxThreads = Math.max(1, threads)
    this.#idleMs = idleMs
  }

  /** Workers running now. */
  get threads (): number { return this.#slots.size }

  async verifyBatch (checks: SignatureCheck[]): Promise<boolean[]> {
    const worker = this.#pick()
    const slot = this.#slots.get(worker)!
    const id = this.#nextId++
    const done = new Promise<boolean[]>((resolve, reject) => { this.#pending.set(id, { resolve, reject, worker }) })
    if (slot.load++ === 0) {
      clearTimeout(slot.idleTimer)
      worker.ref()
    }
    worker.postMessage({ id, checks })
    return await done
  }

  /** An idle worker, else a new one while below the limit, else the least loaded. */
  #pick (): Worker {
    let best: [Worker, Slot] | undefined
    for (const entry of this.#slots) if (best === undefined || entry[1].load < best[1].load) best = entry
    if (best !== undefined && (best[1].load === 0 || this.#slots.size >= this.#maxThreads)) return best[0]
    return this.#spawn()
  }

  #spawn (): Worker {
    this.#sodiumNative ??= sodiumNativeForWorkers()
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sodiumNative: this.#sodiumNative } })
    worker.on('message', ({ id, results }: { id: number, results: boolean[] }) => { this.#settle(id)?.resolve(results) })
    // A worker that fails or exits takes its batches with it; the next batch starts another.
    const fail = (error: Error): void => {
      this.#slots.delete(worker)
      for (const [id, p] of this.#pending) if (p.worker === worker) this.#settle(id)?.reject(error)
    }
    worker.on('error', fail)
    worker.on('exit', (code) => { fail(new Error(`Ed25519 worker exited with code ${code}`)) })
    worker.unref()
    this.#slots.set(worker, { load: 0 })
    return worker
  }

  #settle (id: number): Pending | undefined {
    const p = this.#pending.get(id)
    if (p === undefined) return undefined
    this.#pending.delete(id)
    const slot = this.#slots.get(p.worker)
    if (slot !== undefined && --slot.load === 0) {
      p.worker.unref()
      slot.idleTimer = setTimeout(() => { this.#end(p.worker) }, this.#idleMs).unref()
    }
    return p
  }

  #end (worker: Worker): void {
    const slot = this.#slots.get(worker)
    if (slot === undefined || slot.load > 0) return
    clearTimeout(slot.idleTimer)
    this.#slots.delete(worker)
    void worker.terminate()
  }

  async close (): Promise<void> {
    const workers = [...this.#slots.keys()]
    for (const slot of this.#slots.values()) clearTimeout(slot.idleTimer)
    this.#slots.clear()
    await Promise.all(workers.map(async w => await w.terminate()))
  }
}
