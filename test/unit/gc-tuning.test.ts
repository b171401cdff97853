// The node's GC setting (core/runtime/gc-tuning.ts): in a heap the size of a node's, buffers outside
// V8's heap, as a file transfer makes, no longer set off a full collection every 64 MB or so. Each way
// runs in a process of its own (a V8 flag cannot be unset), its collector on the main thread alone
// (--single-threaded-gc) and its buffers kept (gc-tuning-allocator.ts): with GC threads, or buffers
// dropped, the count depended on how fast those threads got a core (with --no-concurrent-marking, 2
// to 15 without the setting, by the load: the test failed in a busy unit suite). So: 5 to 7 without
// the setting, 0 or 1 with it, quiet or beside two CPU hogs.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { needsGcFlag } from '../../core/runtime/gc-tuning.js'

const ALLOCATOR = fileURLToPath(new URL('./gc-tuning-allocator.ts', import.meta.url))

async function fullCollections (way: 'tuned' | 'default'): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--single-threaded-gc', '--import', 'tsx', ALLOCATOR, way])
  return (JSON.parse(stdout) as { fullCollections: number }).fullCollections
}

test('640 MiB of 64 KiB buffers: far fewer full collections with the node\'s GC setting', async () => {
  // One way after the other: each allocator takes a core's worth of memory traffic.
  const untuned = await fullCollections('default')
  const tuned = await fullCollections('tuned')
  assert.ok(untuned >= 4, `without the setting, V8 collects fully every 64 MB or so (saw ${untuned})`)
  assert.ok(tuned * 2 < untuned, `with it, far fewer: ${tuned} against ${untuned} without`)
})

test('the flag is set on the V8s that have it and need it: Node 24 and 26, not Node 20 nor V8 14.8', () => {
  assert.equal(needsGcFlag('11.3.244.8-node.33'), false) // Node 20: no such flag
  assert.equal(needsGcFlag('13.6.233.17-node.28'), true) // Node 24
  assert.equal(needsGcFlag('14.6.202.33-node.20'), true) // Node 26
  assert.equal(needsGcFlag('14.7.1'), true)
  assert.equal(needsGcFlag('14.8.0'), false) // the default there, and the flag is gone
  assert.equal(needsGcFlag('15.0.0'), false)
})
