// Ed25519 verification on worker threads: `causette log verify` checks the author signatures of a
// large export there while the main thread reads and hashes, and a node under a burst of messages
// checks their signatures there while its main thread decrypts and stores. Workers hold the event
// loop only while they have work, so an idle pool never keeps a process alive.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { SignatureCheck } from '../../crypto/log/primitives.js'

// The worker is a script string: it needs node:crypto alone, and a worker file would need a
// TypeScript loader under test. Same checks as crypto/ed25519.ts's ed25519Verify.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createPublicKey, verify } = require('node:crypto')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const keys = new Map()
function publicKey (raw) {
  const id = Buffer.from(raw).toString('base64')
  let key = keys.get(id)
  if (key === undefined) {
    if (keys.size >= 4096) keys.clear()
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
    keys.set(id, key)
  }
  return key
}
parentPort.on('message', ({ id, checks }) => {
  const results = checks.map(c => {
    if (c.publicKey.length !== 32 || c.signature.length !== 64) return false
    try { return verify(null, c.message, publicKey(c.publicKey), c.signature) } catch { return false }
  })
  parentPort.postMessage({ id, results })
})`

interface Pending { resolve: (results: boolean[]) => void, reject: (error: Error) => void, worker: Worker }

export class Ed25519Pool {
  readonly #workers: Worker[]
  readonly #pending = new Map<number, Pending>()
  readonly #load = new Map<Worker, number>()
  #nextId = 0

  constructor (threads = availableParallelism()) {
    this.#workers = Array.from({ length: Math.max(1, threads) }, () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true })
      worker.on('message', ({ id, results }: { id: number, results: boolean[] }) => { this.#settle(id)?.resolve(results) })
      worker.on('error', (error) => {
        for (const [id, p] of this.#pending) if (p.worker === worker) this.#settle(id)?.reject(error)
      })
      worker.unref()
      this.#load.set(worker, 0)
      return worker
    })
  }

  async verifyBatch (checks: SignatureCheck[]): Promise<boolean[]> {
    const worker = this.#workers.reduce((a, b) => this.#load.get(a)! <= this.#load.get(b)! ? a : b)
    const id = this.#nextId++
    const done = new Promise<boolean[]>((resolve, reject) => { this.#pending.set(id, { resolve, reject, worker }) })
    if (this.#load.get(worker) === 0) worker.ref()
    this.#load.set(worker, this.#load.get(worker)! + 1)
    worker.postMessage({ id, checks })
    return await done
  }

  #settle (id: number): Pending | undefined {
    const p = this.#pending.get(id)
    if (p === undefined) return undefined
    this.#pending.delete(id)
    const load = this.#load.get(p.worker)! - 1
    this.#load.set(p.worker, load)
    if (load === 0) p.worker.unref()
    return p
  }

  async close (): Promise<void> {
    await Promise.all(this.#workers.map(async w => await w.terminate()))
  }
}
