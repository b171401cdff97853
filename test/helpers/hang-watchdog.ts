// Bounds each call of a synchronous decoder in time without a thread per call. vm's `timeout` starts
// and joins a watchdog thread on every run: about 1 ms a call on a loaded machine, most of the fuzz
// tests' time. Here one worker thread watches the call under way (its start and bound, in shared
// memory) and, once it runs past its bound, sends the process SIGINT; the calls run inside one vm
// run with `breakOnSigint`, which ends any JavaScript under way, the decoder's own loop included.
import vm from 'node:vm'
import { Worker } from 'node:worker_threads'

/**
 * In shared memory, as a seqlock (SEQ is odd while the main thread writes): when the call under way
 * started (ms since BASE, plus one; 0: none), its bound, and whether the watcher stopped it.
 */
const SEQ = 0
const START = 1
const BOUND = 2
const STOPPED = 3
const BASE = Date.now()

const WATCHER = `
const { workerData } = require('node:worker_threads')
const call = new Int32Array(workerData.buffer)
setInterval(() => {
  const seq = Atomics.load(call, ${SEQ})
  const start = Atomics.load(call, ${START})
  const bound = Atomics.load(call, ${BOUND})
  if (seq % 2 === 1 || Atomics.load(call, ${SEQ}) !== seq) return // being written: next time
  if (start === 0 || Atomics.load(call, ${STOPPED}) === 1 || Date.now() - workerData.base - (start - 1) <= bound) return
  Atomics.store(call, ${STOPPED}, 1)
  process.kill(process.pid, 'SIGINT')
}, 50)
`

let call: Int32Array | undefined
let inBoundedRun = false
const context = vm.createContext({ run: undefined })
const runScript = new vm.Script('run()')

function watchedCall (): Int32Array {
  if (call !== undefined) return call
  call = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT))
  new Worker(WATCHER, { eval: true, workerData: { buffer: call.buffer, base: BASE } }).unref()
  // A SIGINT the watcher sent just as the call returned: the call reports it (withinBound); any other ends the process as usual.
  process.on('SIGINT', () => { if (call === undefined || Atomics.load(call, STOPPED) !== 1) process.exit(130) })
  return call
}

/** Sets the call under way (start 0: none), so that the watcher never reads half of it. */
function setCall (shared: Int32Array, start: number, bound: number): void {
  Atomics.add(shared, SEQ, 1)
  Atomics.store(shared, START, start)
  Atomics.store(shared, BOUND, bound)
  Atomics.add(shared, SEQ, 1)
}

/** Thrown by boundedRun when a call ran past its bound: `what` names the call (withinBound's), `boundMs` its bound. */
export class HangError extends Error {
  override name = 'HangError'
  constructor (readonly what: string, readonly boundMs: number) {
    super(`${what} hung: no answer in ${boundMs} ms`)
  }
}

let current: { what: string, boundMs: number } = { what: 'a call', boundMs: 0 }

/**
 * Runs `run`, whose calls of withinBound are each stopped once past their bound: a call that runs
 * past it throws HangError out of boundedRun (nothing of `run` goes on after it).
 */
export function boundedRun<T> (run: () => T): T {
  if (inBoundedRun) return run()
  const shared = watchedCall()
  context.run = run
  inBoundedRun = true
  try {
    return runScript.runInContext(context, { breakOnSigint: true }) as T
  } catch (error) {
    if (Atomics.load(shared, STOPPED) === 1) throw new HangError(current.what, current.boundMs)
    throw error
  } finally {
    inBoundedRun = false
    context.run = undefined
    setCall(shared, 0, 0)
    Atomics.store(shared, STOPPED, 0)
  }
}

/** Whether withinBound can bound a call here without a thread of its own: inside boundedRun. */
export const bounding = (): boolean => inBoundedRun

/** Calls `call` (inside boundedRun), stopped once it runs past `boundMs`; a call of it may nest another. */
export function withinBound<T> (what: string, boundMs: number, call: () => T): T {
  const shared = watchedCall()
  const outer = { start: Atomics.load(shared, START), bound: Atomics.load(shared, BOUND), current }
  current = { what, boundMs }
  setCall(shared, Date.now() - BASE + 1, boundMs)
  let value: T
  try {
    value = call()
  } finally {
    setCall(shared, outer.start, outer.bound)
    current = outer.current
  }
  // Stopped just as it returned: it ran past its bound all the same.
  if (Atomics.load(shared, STOPPED) === 1) throw new HangError(what, boundMs)
  return value
}
