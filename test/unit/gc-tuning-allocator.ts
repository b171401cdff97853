// For gc-tuning.test.ts, in its own process: with `tuned`, sets the node's GC flags first; then
// allocates 640 MiB in 64 KiB buffers outside V8's heap, as libp2p's Noise does for every message of
// a transfer, a turn of the event loop every 64 of them, keeping them all, and prints how many full
// (mark-compact) collections ran meanwhile. Kept, not dropped: how much dead buffers count depends on
// when a GC thread frees them (2 to 15 collections without the setting, by the machine's load), while
// live ones count the same in every run: what differs is V8's accounting, which the setting changes.
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
const kept: Buffer[] = []
for (let buffer = 0; buffer < 10240; buffer++) {
  kept.push(Buffer.allocUnsafe(64 * 1024).fill(buffer & 0xff))
  if (buffer % 64 === 63) await nextTurn()
}
await nextTurn() // the observer's last entries
observer.disconnect()
process.stdout.write(`${JSON.stringify({ fullCollections, kept: kept.length, live: live.length })}\n`)
