// For gc-tuning.test.ts, in its own process: with `tuned`, sets the node's GC flags first; then
// allocates 2 GiB in short-lived 64 KiB buffers, as libp2p's Noise does for every message of a
// transfer, a turn of the event loop every 64 of them, and prints how many full (mark-compact)
// collections ran meanwhile.
import { constants, PerformanceObserver } from 'node:perf_hooks'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { tuneGarbageCollector } from '../../core/runtime/gc-tuning.js'

if (process.argv[2] === 'tuned') tuneGarbageCollector()
let fullCollections = 0
const observer = new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) fullCollections++
})
observer.observe({ entryTypes: ['gc'] })
// A heap the size of a running node's (its modules, libp2p, LevelDB's caches): about 30 MB of live objects.
const live = Array.from({ length: 300_000 }, (_, index) => ({ index, name: `object ${index}` }))
let kept = 0
for (let buffer = 0; buffer < 32768; buffer++) {
  kept ^= Buffer.allocUnsafe(64 * 1024).fill(buffer & 0xff)[0]!
  if (buffer % 64 === 63) await nextTurn()
}
await nextTurn() // the observer's last entries
observer.disconnect()
process.stdout.write(`${JSON.stringify({ fullCollections, kept, live: live.length })}\n`)
